"""What the user chose on screen and neowatch remembers: a small JSON file, written atomically."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from watcher.paths import write_atomically


@dataclass(frozen=True, slots=True)
class ScreenState:
    sort_column: str | None = None
    sort_reverse: bool = False


def load_state(path: Path) -> tuple[ScreenState, str | None]:
    """The saved state, or the default and a sentence when the file was unreadable (set aside)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
        column = raw.get("sort_column")
        reverse = raw.get("sort_reverse", False)
        if (column is not None and not isinstance(column, str)) or not isinstance(reverse, bool):
            raise ValueError("unexpected shape")
        return ScreenState(column, reverse), None
    except FileNotFoundError:
        return ScreenState(), None
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        aside = path.with_name(path.name + ".corrupt")
        try:
            path.replace(aside)
        except OSError:
            return ScreenState(), f"The state file {path} is unreadable; starting from defaults."
        return ScreenState(), f"The state file {path} was unreadable: set aside as {aside.name}."


def save_state(path: Path, state: ScreenState) -> None:
    write_atomically(path, json.dumps(asdict(state), indent=2) + "\n")
