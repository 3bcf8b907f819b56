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
