"""Every fundamental of one company with its value, as-of date, source and note."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from watcher import format as fmt
from watcher.domain.fundamentals import FIGURE_KINDS, Company, Figure, is_old, months_old
from watcher.widgets.cells import MUTED, colours, inert
from watcher.widgets.line_table import Column, LineTable

COLUMNS = (Column("figure", "Figure"), Column("value", "Value"), Column("as_of", "As of"), Column("source", "Source"))


class FundamentalsTable(LineTable):
    """Unlike the other panels, its many figures are walked with a cursor once it is focused
    (the detail screen focuses its page first, so it opens at its top)."""

    DEFAULT_CSS = """
    FundamentalsTable { max-height: 100%; }
    """
    COLUMNS = COLUMNS
    TITLE = "Fundamentals"
    CURSOR = True
    HOVER = True
    ZEBRA = True
    FIRST_STRIPE = 0  # striped from its first row, as it always was (the grid from its second)

    def show(self, company: Company | None, today: date, max_months: int) -> int:
        rows: dict[str, list[Text]] = {}
        for kind in FIGURE_KINDS:
            figure = company.figure(kind.key) if company else None
            if figure is None:
                continue
            value = inert(fmt.figure_value(figure.value, kind.unit.value), 56)
            if figure.note:
                value.append(" · ", style=MUTED)
                value.append_text(inert(figure.note, 60 - len(value.plain)))
            rows[kind.key] = [
                Text(kind.label),
                value,
                _as_of(figure, today, max_months),
                inert(figure.source, 48),
            ]
        if not rows:
            rows["none"] = [Text("No fundamentals for this company", style=MUTED)] + [Text("")] * 3
        return self.set_rows(rows)


def _as_of(figure: Figure, today: date, max_months: int) -> Text:
    """"as of 2025-09-25 · 14 mo", marked OLD past the threshold."""
    if figure.as_of is None:
        return Text("date not given", style=colours().stale)
    text = Text(f"as of {figure.as_of.isoformat()} · {months_old(figure.as_of, today)} mo")
    if is_old(figure, today, max_months):
        text.append(" OLD", style=f"bold {colours().stale}")
    return text
