"""The portfolio panel: each position's value, weight in the whole portfolio and P/L."""

from __future__ import annotations

from rich.text import Text

from watcher import format as fmt
from watcher.domain.currency import sign_of
from watcher.domain.overview import Overview
from watcher.widgets.cells import MUTED, colours, plain, signed
from watcher.widgets.line_table import Column, LineTable

COLUMNS = (
    Column("what", "Position"),
    Column("currency", "Ccy"),
    Column("shares", "Shares"),
    Column("cost", "Avg cost"),
    Column("price", "Price"),
    Column("value", "Value"),
    Column("weight", "Weight"),
    Column("day", "Day"),
    Column("pl", "P/L"),
    Column("pl_pct", "P/L %"),
)
EMPTY = Text("")


class PortfolioPanel(LineTable):
    """Prices and costs in the listing's currency; values, P/L and weights in the base currency."""

    COLUMNS = COLUMNS
    TITLE = "Portfolio"

    def show(self, overview: Overview) -> int:
        valued = overview.portfolio
        base = valued.base_currency
        self.border_title = f"Portfolio · in {base}"
        total = valued.total

        def money(amount: float | None) -> Text:
            return plain(in_currency(fmt.money(amount), base))

        def change(amount: float | None) -> Text:
            return signed(amount, in_currency(fmt.signed_money(amount), base))

        def share(amount: float | None) -> Text:
            return plain(fmt.pct(amount / total * 100.0) if total and amount is not None else fmt.DASH)

        rows: dict[str, list[Text]] = {}
        for position in valued.positions:
            if position.unknown is not None:
                value = Text(position.unknown, style=colours().stale)
            elif position.rate_stale:  # an old rate reads like an old price: marked, in the stale colour
                value = Text(f"STALE rate {in_currency(fmt.money(position.market_value), base)}",
                             style=colours().stale)
            else:
                value = money(position.market_value)
            rows[f"pos:{position.symbol}"] = [
                Text(position.symbol, style="bold"),
                Text(position.currency or "?", style=MUTED),
                plain(fmt.shares(position.holding.shares)),
                plain(fmt.price(position.holding.average_cost)),
                plain(fmt.price(position.price)),
                value,
                plain(fmt.pct(position.weight_pct)),
                change(position.day_change),
                change(position.profit),
                signed(position.profit_pct, fmt.signed_pct(position.profit_pct, 0)),
            ]
        rows["other"] = _summary_row(Text("Other assets"), money(valued.other_assets_total),
                                     share(valued.other_assets_total))
        rows["cash"] = _summary_row(Text("Cash"), money(valued.cash), share(valued.cash))
        if total is None:
            # What is known, said as a floor, and what keeps the total from being known.
            words = f"≥ {in_currency(fmt.money(valued.known_total), base)}, incomplete: " + "; ".join(valued.missing)
            value = Text(words, style=colours().stale)
        else:
            value = money(total)
        # The positions' P/L on what they cost, not a return of the whole portfolio: said so.
        label = Text("Total", style="bold")
        label.append(" · P/L on cost", style=MUTED)
        rows["total"] = _summary_row(label, value, share(total))
        rows["total"][7:10] = [
            change(valued.day_change),
            change(valued.profit),
            signed(valued.profit_pct, fmt.signed_pct(valued.profit_pct, 0)),
        ]
        return self.set_rows(rows)


def in_currency(text: str, base: str) -> str:
    """A dollar amount as fmt writes it, written in `base` instead ("$1,200" → "€1,200")."""
    return text if base == "USD" else text.replace("$", sign_of(base))


def _summary_row(label: Text, value: Text, weight: Text) -> list[Text]:
    """A line without shares or P/L: other assets, cash, the total."""
    return [label, EMPTY, EMPTY, EMPTY, EMPTY, value, weight, EMPTY, EMPTY, EMPTY]
