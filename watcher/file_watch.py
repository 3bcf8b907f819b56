"""Noticing that the portfolio file was saved, and finding the user's editor. No Textual here."""

from __future__ import annotations

import os
import shlex
import threading
from collections.abc import Callable, Mapping
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
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                words = [value]
            if words:
                return words
    return None


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
