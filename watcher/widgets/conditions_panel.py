"""The conditions panel: each buy condition, what it watches, how far it is, and its state."""

from __future__ import annotations

from rich.text import Text

from watcher.domain.conditions import ConditionState, ConditionStatus, clause_rule, clause_value
from watcher.domain.overview import Overview, trigger_currency
from watcher.widgets.cells import MUTED, colours, inert
from watcher.widgets.line_table import Column, LineTable

# State comes second so it is never the column a narrow terminal cuts off.
COLUMNS = (
    Column("symbol", "Symbol"),
    Column("state", "State"),
    Column("label", "Condition"),
    Column("watches", "Watches"),
    Column("value", "Now"),
    Column("distance", "Distance"),
)

def state_cell(status: ConditionStatus, stale: bool) -> Text:
    if status.state is ConditionState.MET:
        text = Text(" BUY ", style=colours().buy)
        if stale:
            text.append(" stale", style=colours().stale)
        return text
    if status.state is ConditionState.UNKNOWN:
        return Text("unknown", style=colours().stale)
    return Text("not met", style=MUTED)


class ConditionsPanel(LineTable):
    COLUMNS = COLUMNS
    TITLE = "Buy conditions"

    def show(self, overview: Overview) -> int:
        stale = overview.stale_symbols
        rows = {}
        for index, status in enumerate(overview.conditions):
            clauses = status.clauses
            row = overview.row(status.condition.symbol)
            # A price trigger is in the listing's currency: say which, unless it is the base's.
            currency = trigger_currency(row.quote if row else None)
            shown = f" {currency}" if currency and currency != overview.portfolio.base_currency else ""
            rules = [clause_rule(c) + (shown if c.name.startswith("price") else "") for c in clauses]
            rows[f"{index}:{status.condition.key}"] = [
                Text(status.condition.symbol, style="bold"),
                state_cell(status, status.condition.symbol in stale),
                inert(status.condition.label, 32),
                Text(" · ".join(rules)),
                Text(" · ".join(clause_value(c) for c in clauses)),
                Text(" · ".join(c.distance for c in clauses)),
            ]
        if not rows:
            rows["none"] = [Text("—", style=MUTED), Text(""), Text("no buy conditions in the file", style=MUTED)]
            rows["none"] += [Text("")] * 3
        return self.set_rows(rows)
