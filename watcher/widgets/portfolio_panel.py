"""The portfolio panel: each position's value, weight in the whole portfolio and P/L."""

from __future__ import annotations

from rich.text import Text

from watcher import format as fmt
from watcher.domain.overview import Overview
from watcher.widgets.cells import MUTED, plain, signed
from watcher.widgets.line_table import Column, LineTable

COLUMNS = (
    Column("what", "Position"),
    Column("shares", "Shares"),
    Column("cost", "Avg cost"),
    Column("value", "Value"),
    Column("weight", "Weight"),
    Column("day", "Day"),
    Column("pl", "P/L"),
    Column("pl_pct", "P/L %"),
)


class PortfolioPanel(LineTable):
    COLUMNS = COLUMNS
    TITLE = "Portfolio"

    def show(self, overview: Overview) -> int:
        valued = overview.portfolio
        total = valued.total
        rows: dict[str, list[Text]] = {}
        for position in valued.positions:
            rows[f"pos:{position.symbol}"] = [
                Text(position.symbol, style="bold"),
                plain(fmt.shares(position.holding.shares)),
                plain(fmt.price(position.holding.average_cost)),
                plain(fmt.money(position.market_value)),
                plain(fmt.pct(position.weight_pct)),
                signed(position.day_change, fmt.signed_money(position.day_change)),
                signed(position.profit, fmt.signed_money(position.profit)),
                signed(position.profit_pct, fmt.signed_pct(position.profit_pct, 0)),
            ]

        def share(amount: float) -> Text:
            return plain(fmt.pct(amount / total * 100.0) if total else fmt.DASH)

        rows["other"] = _summary_row(
            Text("Other assets"), plain(fmt.money(valued.other_assets_total)),
            share(valued.other_assets_total),
        )
        rows["cash"] = _summary_row(Text("Cash"), plain(fmt.money(valued.cash)), share(valued.cash))
        if total is None:
            value = Text("no price for " + ", ".join(valued.unpriced), style=MUTED)
        else:
            value = plain(fmt.money(total))
        rows["total"] = _summary_row(Text("Total", style="bold"), value, share(total or 0))
        rows["total"][5:8] = [
            signed(valued.day_change, fmt.signed_money(valued.day_change)),
            signed(valued.profit, fmt.signed_money(valued.profit)),
            signed(valued.profit_pct, fmt.signed_pct(valued.profit_pct, 0)),
        ]
        return self.set_rows(rows)


def _summary_row(label: Text, value: Text, weight: Text) -> list[Text]:
    """A line without shares or P/L: other assets, cash, the total."""
    empty = Text("")
    return [label, empty, empty, value, weight, empty, empty, empty]
