"""Every remappable key: its id, default key and description — shared by the app and the file's checks."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeyAction:
    id: str
    key: str
    action: str
    description: str
    show: bool = True


# The app's own keys. A [keys] table in the portfolio file maps an id to other keys.
APP_KEYS: tuple[KeyAction, ...] = (
    KeyAction("quit", "q", "quit", "Quit"),
    KeyAction("refresh", "r", "refresh", "Refresh"),
    KeyAction("alert_log", "a", "alert_log", "Alerts"),
    KeyAction("feed_problems", "f", "feed_problems", "Feed"),
    KeyAction("edit_portfolio", "e", "edit_portfolio", "Edit file"),
    KeyAction("show_keys", "question_mark", "show_keys", "Keys"),
)
# The main screen's keys: the grid's group and sort order are the main screen's own.
MAIN_KEYS: tuple[KeyAction, ...] = (
    KeyAction("next_group", "tab", "next_group", "Group"),
    KeyAction("sort", "s", "sort", "Sort"),
    KeyAction("reverse_sort", "S", "reverse_sort", "Reverse", show=False),
)
# Keys of the screens, remappable the same way.
SCREEN_KEY_IDS = (
    "open_detail",
    "cursor_down",
    "cursor_up",
    "back",
    "next_ticker",
    "previous_ticker",
    "back_from_alerts",
    "back_from_feed",
    *(
        f"range_{name}"
        for name in ("one_day", "five_days", "one_month", "six_months", "year_to_date", "one_year", "five_years")
    ),
)
KEY_IDS = tuple(key.id for key in (*APP_KEYS, *MAIN_KEYS)) + SCREEN_KEY_IDS


QUIT_ID = "quit"
ALWAYS_QUITS = "ctrl+q"
"""Textual's own quit key, with priority: it quits whatever the [keys] table says."""

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset({
    "backspace", "delete", "down", "end", "enter", "escape", "home", "insert", "left", "newline",
    "pagedown", "pageup", "return", "right", "space", "tab", "up",
    # Textual's short names for some characters
    "slash", "backslash", "at", "minus", "plus", "underscore",
    *(f"f{n}" for n in range(1, 25)),
})


def is_key_name(key: str) -> bool:
    """Whether Textual knows `key`: modifiers, then a named key ("f5", "pageup"), one character
    ("r", "S") or a character's Unicode name in Textual's spelling ("question_mark")."""
    *modifiers, base = key.split("+")
    if any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers) or not base:
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _NAMED_KEYS:
        return True
    try:
        character = unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    return character.isprintable() and not character.isspace()


def _keys_of(listed: str) -> list[str]:
    return [key.strip() for key in listed.split(",") if key.strip()]


def check_keymap(keys: Mapping[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """The [keys] table as it can be used, and a notice for each part of it that cannot.

    A key name Textual does not know is left out (an id left with none keeps its default key).
    A remap onto a key that quits (q, or quit's own keys when quit is remapped, and ctrl+q) is
    refused unless it is quit's: a remap never takes the way out away. Two of the main
    screen's actions on one key are said, since only one of them can work there.
    """
    defaults = {key.id: key.key for key in (*APP_KEYS, *MAIN_KEYS)}
    notices: list[str] = []
    usable: dict[str, list[str]] = {}
    for key_id, listed in keys.items():
        known = [key for key in _keys_of(listed) if is_key_name(key)]
        unknown = [key for key in _keys_of(listed) if not is_key_name(key)]
        if unknown:
            names = ", ".join(repr(key) for key in unknown)
            rest = "the other keys are used" if known else f"{key_id} keeps its default key"
            notices.append(
                f"[keys] {key_id}: {names} is not a key name (write e.g. \"f5\", \"ctrl+r\", "
                f"\"question_mark\"); {rest}."
            )
        if known:
            usable[key_id] = known
    quit_keys = set(usable.get(QUIT_ID, [defaults[QUIT_ID]])) | {ALWAYS_QUITS}
    for key_id, listed_keys in list(usable.items()):
        if key_id == QUIT_ID:
            continue
        taken = [key for key in listed_keys if key in quit_keys]
        if not taken:
            continue
        notices.append(
            f"[keys] {key_id}: {', '.join(taken)} quits neowatch, so it is not remapped to "
            f"{key_id}; remap quit too to free it."
        )
        kept = [key for key in listed_keys if key not in quit_keys]
        if kept:
            usable[key_id] = kept
        else:
            del usable[key_id]
    owners: dict[str, list[str]] = {}
    for key_id, default in defaults.items():
        for key in usable.get(key_id, [default]):
            owners.setdefault(key, []).append(key_id)
    for key, ids in owners.items():
        if len(ids) > 1 and any(key_id in usable for key_id in ids):
            notices.append(f"[keys] {key} is the key of both {' and '.join(ids)}: only one of them works.")
    return {key_id: ",".join(listed_keys) for key_id, listed_keys in usable.items()}, tuple(notices)
