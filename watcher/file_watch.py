"""Noticing that the portfolio file was saved, and finding and running the user's editor. No
Textual here."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# How often the file's stamp is read; a thread sleeps in between, so the UI never wakes for it.
POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What changes when an editor saves: in place (size, time) or by renaming a new file over it."""

    mtime_ns: int
    size: int
    inode: int


def stamp(path: Path) -> FileStamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return FileStamp(info.st_mtime_ns, info.st_size, info.st_ino)


def editor_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """$VISUAL, else $EDITOR, split as a shell would ("code --wait" → two words); None when unset."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value and " " in value and is_program(Path(value)):
            return [value]  # a program whose path has spaces, unquoted: "/opt/My Editor/edit"
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                words = [value]
            if words:
                return words
    return None


def is_program(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


@dataclass(frozen=True, slots=True)
class EditorOutcome:
    """How running the editor went."""

    started: bool
    """False when it never ran: the file is as it was."""
    problem: str | None
    """What went wrong, in words; None when the editor exited with code 0."""


def find_editor(command: Sequence[str], environ: Mapping[str, str] | None = None) -> list[str] | EditorOutcome:
    """The command with its program looked up on $PATH (or, given as a path, checked), or why it
    cannot start: found before the terminal is handed over, so a missing editor never blanks it."""
    env = os.environ if environ is None else environ
    name = command[0]
    if os.sep in name or (os.altsep and os.altsep in name):
        if not Path(name).exists():
            reason = "there is no such file"
        elif not is_program(Path(name)):
            reason = "it is not an executable file"
        else:
            return list(command)
    else:
        found = shutil.which(name, path=env.get("PATH", os.defpath))
        if found is not None:
            return [found, *command[1:]]
        reason = "no program of that name on $PATH"
    return EditorOutcome(False, f"Could not start the editor {name}: {reason}.")


def run_editor(argv: Sequence[str], path: str, *, stdin: int | None = None) -> EditorOutcome:
    """Run the editor on `path` and wait for it. Never raises: the caller holds a suspended
    terminal, and an exception out of Textual's suspend() would leave the screen blank."""
    try:
        with _ctrl_c_to_the_editor() as ctrl_c:
            done = subprocess.run([*argv, path], check=False, stdin=stdin)
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return EditorOutcome(False, f"Could not start the editor {argv[0]}: {reason}.")
    if done.returncode == 0:
        return EditorOutcome(True, None)
    if done.returncode < 0:
        try:
            how = f"was stopped by {signal.Signals(-done.returncode).name}"
        except ValueError:
            how = f"was stopped by signal {-done.returncode}"
    else:
        how = f"exited with code {done.returncode}"
    if ctrl_c:
        how += " after Ctrl+C (which went to the editor, not to neowatch)"
    return EditorOutcome(True, f"The editor {how}; the file was read again.")


@contextmanager
def _ctrl_c_to_the_editor() -> Iterator[list[int]]:
    """Ctrl+C in the editor is the editor's: the terminal sends SIGINT to neowatch too, which
    would quit under it. A handler that only notes it (not SIG_IGN, which the editor would
    inherit through exec: its own Ctrl+C must still work) stands in until the editor ends."""
    if threading.current_thread() is not threading.main_thread():
        yield []  # only the main thread may set handlers; signals are delivered there anyway
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def watch_file(path: Path, on_change: Callable[[], None], stop: threading.Event) -> threading.Thread:
    """Compare the file's stamp every POLL_SECONDS in a daemon thread; call `on_change` (from that
    thread) when it differs. A daemon thread: it must never hold up quitting."""

    def watch() -> None:
        last = stamp(path)
        while not stop.wait(POLL_SECONDS):
            now = stamp(path)
            if now != last:
                last = now
                try:
                    on_change()
                except RuntimeError:
                    return  # the app that listened has stopped

    thread = threading.Thread(target=watch, name="portfolio-file-watch", daemon=True)
    thread.start()
    return thread
