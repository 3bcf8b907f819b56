"""Valuation beside the peers: each company's live market cap ÷ forward ARR, this one marked."""

from __future__ import annotations

from rich.text import Text

from watcher import format as fmt
from watcher.domain.overview import Overview
from watcher.widgets.cells import MUTED, colours, plain
from watcher.widgets.line_table import Column, LineTable

COLUMNS = (
    Column("symbol", "Peer"),
    Column("mcap", "Mcap"),
    Column("from", "From"),
    Column("arr", "ARR 25e"),
    Column("ratio", "×ARR"),
)


class PeerValuation(LineTable):
    COLUMNS = COLUMNS
    TITLE = "Valuation beside the peers"

    def show(self, overview: Overview, symbol: str) -> int:
        rows = {}
        for row in overview.rows:
            this = row.symbol == symbol
            cap = row.market_cap
            arr = row.company.number("arr_end_2025") if row.company else None
            method = Text(cap.method.value, style="" if cap.is_live else colours().stale) if cap else plain(fmt.DASH)
            rows[row.symbol] = [
                Text(("▶ " if this else "  ") + row.symbol, style="bold" if this else ""),
                plain(fmt.big_money(cap.value if cap else None)),
                method,
                plain(fmt.big_money(arr)),
                Text(fmt.ratio(row.mcap_to_arr), justify="right", style=_ratio_style(this, row.mcap_to_arr)),
            ]
        return self.set_rows(rows)


def _ratio_style(this: bool, ratio: float | None) -> str:
    """This company's ratio in bold; a missing one muted."""
    return "bold" if this else MUTED if ratio is None else ""
