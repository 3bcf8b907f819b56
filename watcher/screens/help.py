"""The keys screen: every key as it is bound now."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class KeysScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > Vertical { width: 64; height: auto; max-height: 90%; border: round $accent;
                            background: $surface; padding: 0 1; }
    KeysScreen DataTable { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="close_keys"),
        Binding("question_mark", "dismiss", "Close", show=False, id="close_keys_again"),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Keys", style="bold"))
            yield DataTable(cursor_type="none", show_cursor=False)
            yield Static(Text("Escape closes this list.", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        for key, description in self._keys:
            table.add_row(Text(key, style="bold"), Text(description))
