"""The alert log: every firing from the store, newest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from watcher import format as fmt
from watcher.store import AlertRecord
from watcher.widgets.cells import MUTED, inert

COLUMNS = (("time", "Time"), ("symbol", "Symbol"), ("label", "Condition"), ("value", "Price"))


class AlertLogScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back_from_alerts")]
    DEFAULT_CSS = """
    AlertLogScreen #alert-log-title { padding: 0 1; height: auto; }
    AlertLogScreen DataTable { height: 1fr; }
    """

    def __init__(
        self,
        load: Callable[[], Sequence[AlertRecord]],
        note: str | None = None,
        local_tz: tzinfo | None = None,
    ) -> None:
        super().__init__()
        self._load = load
        self._note = note
        self._local_tz = local_tz

    def compose(self) -> ComposeResult:
        yield Static(id="alert-log-title")
        yield DataTable(id="alert-log", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        self._title("Alert log · loading…")
        self.load_records()

    def _title(self, words: str) -> None:
        text = Text(words, style="bold")
        if self._note:
            text.append(f"\n{self._note}", style=MUTED)
        self.query_one("#alert-log-title", Static).update(text)

    @work(thread=True, exit_on_error=False, group="alert-log")
    def load_records(self) -> None:
        records = list(self._load())
        self.app.call_from_thread(self.show, records)

    def show(self, records: Sequence[AlertRecord]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for index, record in enumerate(records):
            when = record.fired_at.astimezone(self._local_tz).strftime("%Y-%m-%d %H:%M:%S")
            table.add_row(
                Text(when),
                Text(record.symbol, style="bold"),
                inert(record.label, 50),
                Text(fmt.price(record.value), justify="right"),
                key=str(index),
            )
        count = len(records)
        self._title(
            f"Alert log · {count} alert{'s' if count != 1 else ''}, newest first"
            if count
            else "Alert log · no alert has fired yet"
        )
