"""The keys screen: every key as it is bound now."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

# Keys that are not bindings of ours but belong in the list of keys.
NAVIGATION_KEYS = [
    ("↑ ↓  j k", "move in the grid", "cursor_down, cursor_up"),
    ("PgUp PgDn  Home End", "a page, the first or the last company", ""),
    ("← →", "scroll the grid sideways (the symbol stays)", ""),
    ("Enter", "open the company's detail", "open_detail"),
    ("] [", "next / previous company (in a detail)", "next_ticker, previous_ticker"),
    ("1 … 7", "the chart's range (in a detail)", "range_one_day …"),
    ("Escape", "back", "back"),
    ("ctrl+p", "command palette", ""),
]


def keys_of(app: App[Any], screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """The keys as bound now on `screen`: (key, what it does, its id)."""
    keys = list(NAVIGATION_KEYS)
    for active in screen.active_bindings.values():
        binding = active.binding
        # Our bindings all carry an id; the widgets' own (page up, copy …) would drown them.
        if binding.id and binding.description and binding.action not in ("cursor_down", "cursor_up"):
            keys.append((app.get_key_display(binding), binding.description, binding.id))
    return list(dict.fromkeys(keys))


class KeysScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > Vertical { width: 96; height: auto; max-height: 90%; border: round $accent;
                            background: $surface; padding: 0 1; }
    KeysScreen DataTable { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="close_keys"),
        Binding("question_mark", "dismiss", "Close", show=False, id="close_keys_again"),
    ]

    def __init__(self, keys: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Keys", style="bold"))
            yield DataTable(cursor_type="none", show_cursor=False)
            yield Static(Text("Escape closes this list.", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Text, not a string: a string header is read as markup and "[keys]" would vanish.
        table.add_columns(Text("Key"), Text("Does"), Text("Id (for [keys] in the file)"))
        for key, description, key_id in self._keys:
            table.add_row(Text(key, style="bold"), Text(description), Text(key_id, style="dim"))
