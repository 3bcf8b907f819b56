"""Every remappable key: its id, default key and description — shared by the app and the file's checks."""

from __future__ import annotations

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
    *(
        f"range_{name}"
        for name in ("one_day", "five_days", "one_month", "six_months", "year_to_date", "one_year", "five_years")
    ),
)
KEY_IDS = tuple(key.id for key in (*APP_KEYS, *MAIN_KEYS)) + SCREEN_KEY_IDS
