"""The yardstick for first paint and idle: a bare Textual app with one 4×12 DataTable and nothing else."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

HEADERS = ("Symbol", "Buy", "Name", "Price", "Day", "Trend", "Age", "Mcap", "×ARR", "ARR 25e", "Pwr now", "PUE")
ROWS = (
    ("CRWV", "", "CoreWeave", "128.40", "-1.2 %", "", "0s", "$59.4 B", "3.3×", "$18.0 B", "—", "—"),
    ("NBIS", "", "Nebius", "100.00", "+2.0 %", "", "0s", "$24.6 B", "24.6×", "$1.00 B", "220 MW", "1.13"),
    ("IREN", "", "IREN", "40.00", "-2.4 %", "", "0s", "$10.4 B", "46.1×", "$225 M", "810 MW", "1.20"),
    ("CIFR", "", "Cipher Mining", "14.00", "+3.7 %", "", "0s", "$5.10 B", "—", "—", "477 MW", "—"),
)


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*HEADERS)
        table.add_rows(ROWS)


if __name__ == "__main__":
    BareApp().run()
