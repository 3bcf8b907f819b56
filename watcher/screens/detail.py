"""A company's detail: price, live valuation, every figure with its date and source, position, conditions."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from watcher import format as fmt
from watcher.domain.conditions import ConditionState, clause_rule, clause_value
from watcher.domain.fundamentals import FIGURE_KINDS
from watcher.domain.overview import CompanyRow, Overview
from watcher.widgets.cells import BUY, MUTED, STALE, inert
from watcher.widgets.table_sync import sync_rows

if TYPE_CHECKING:
    from watcher.app import NeowatchApp


class DetailScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("right_square_bracket", "step(1)", "Next", id="next_ticker"),
        Binding("left_square_bracket", "step(-1)", "Previous", id="previous_ticker"),
    ]
    DEFAULT_CSS = """
    DetailScreen VerticalScroll { padding: 0 1; }
    DetailScreen .section { margin-top: 1; }
    DetailScreen DataTable { height: auto; }
    """

    def __init__(self, symbol: str) -> None:
        super().__init__()
        self.symbol = symbol

    @property
    def watcher(self) -> NeowatchApp:
        return cast("NeowatchApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="heading")
            yield Static(id="price")
            yield Static(id="valuation", classes="section")
            yield Static(Text("Fundamentals", style="bold"), classes="section")
            yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
            yield Static(id="position", classes="section")
            yield Static(id="conditions", classes="section")
            yield Static(id="view", classes="section")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#figures", DataTable)
        for key, label in (("figure", "Figure"), ("value", "Value"), ("as_of", "As of"),
                           ("source", "Source"), ("note", "Note")):
            table.add_column(label, key=key)
        self.watch(self.app, "overview", self.show, init=True)

    def action_step(self, step: int) -> None:
        symbols = list(self.watcher.config.symbols)
        if self.symbol in symbols:
            self.symbol = symbols[(symbols.index(self.symbol) + step) % len(symbols)]
            self.watcher.last_detail = self.symbol
            self.show(self.watcher.overview)

    def show(self, overview: Overview | None) -> None:
        if overview is None:
            return
        row = overview.row(self.symbol)
        if row is None:
            self.query_one("#heading", Static).update(f"{self.symbol} is no longer in the portfolio file.")
            return
        with self.app.batch_update():
            self._heading(row)
            self._valuation(row)
            self._figures(row)
            self._position(overview)
            self._conditions(overview)

    def _heading(self, row: CompanyRow) -> None:
        company = row.company
        heading = Text(row.symbol, style="bold")
        name = company.name if company else (row.quote.name if row.quote else None)
        heading.append("  ")
        heading.append_text(inert(name, 60))
        if company and company.tier:
            heading.append(f"  ·  {company.tier}", style=MUTED)
        if self.watcher.provider.simulated:
            heading.append("  ")
            heading.append(" SIMULATED ", style=BUY)
        self.query_one("#heading", Static).update(heading)

        quote = row.quote
        line = Text()
        if quote is None:
            line.append("No price yet.", style=STALE)
        else:
            line.append(fmt.price(quote.price), style="bold")
            line.append(f" {quote.currency or ''}  ")
            change = quote.day_change_pct
            line.append(fmt.signed_pct(change, 2), style="green" if (change or 0) > 0 else "red")
            line.append(" today  ·  ")
            age = fmt.age(row.age) if row.age is not None else "?"
            line.append(f"{age} old" + ("  STALE" if row.stale else ""), style=STALE if row.stale else MUTED)
        if row.failure:
            line.append(f"\nLast refresh failed: {row.failure.reason}", style=STALE)
        self.query_one("#price", Static).update(line)

    def _valuation(self, row: CompanyRow) -> None:
        text = Text("Valuation\n", style="bold")
        cap = row.market_cap
        if cap is None:
            text.append("Market cap: unknown (no shares outstanding nor market cap figure).")
        else:
            text.append(f"Market cap now {fmt.big_money(cap.value)}")
            text.append(f"  · {cap.describe()}", style=MUTED if cap.is_live else STALE)
        arr = row.company.number("arr_end_2025") if row.company else None
        text.append(f"\nGPU-cloud ARR end-2025 {fmt.big_money(arr)}")
        text.append(f"   Market cap ÷ ARR {fmt.ratio(row.mcap_to_arr)}")
        self.query_one("#valuation", Static).update(text)

    def _figures(self, row: CompanyRow) -> None:
        company = row.company
        rows: dict[str, list[Text]] = {}
        if company:
            for kind in FIGURE_KINDS:
                figure = company.figure(kind.key)
                if figure is None:
                    continue
                rows[kind.key] = [
                    Text(kind.label),
                    inert(fmt.figure_value(figure.value, kind.unit.value), 48),
                    Text(f"as of {figure.as_of.isoformat()}" if figure.as_of else "date not given"),
                    inert(figure.source, 40),
                    inert(figure.note, 40),
                ]
        if not rows:
            rows["none"] = [Text("No fundamentals for this company", style=MUTED)] + [Text("")] * 4
        sync_rows(self.query_one("#figures", DataTable), rows)

    def _position(self, overview: Overview) -> None:
        text = Text("Position\n", style="bold")
        position = overview.portfolio.position(self.symbol)
        if position is None:
            text.append("No position (watched only).", style=MUTED)
        else:
            holding = position.holding
            text.append(
                f"{fmt.shares(holding.shares)} shares at {fmt.price(holding.average_cost)} average"
                f"  ·  value {fmt.money(position.market_value)}"
                f"  ·  weight {fmt.pct(position.weight_pct)} of the whole portfolio"
                f"  ·  P/L {fmt.signed_money(position.profit)} ({fmt.signed_pct(position.profit_pct, 0)})"
            )
        self.query_one("#position", Static).update(text)

    def _conditions(self, overview: Overview) -> None:
        text = Text("Buy conditions\n", style="bold")
        statuses = [s for s in overview.conditions if s.condition.symbol == self.symbol]
        if not statuses:
            text.append("None for this company.", style=MUTED)
        for status in statuses:
            text.append_text(inert(status.condition.label, 60))
            text.append(": ")
            if status.state is ConditionState.MET:
                text.append(" BUY ", style=BUY)
            else:
                text.append(status.state.value, style=STALE if status.state is ConditionState.UNKNOWN else MUTED)
            for clause in status.clauses:
                text.append(
                    f"\n   {clause_rule(clause)}: now {clause_value(clause)}, {clause.distance}"
                    f" — {clause.state.value}"
                )
            text.append("\n")
        company = overview.row(self.symbol)
        view = company.company.view if company and company.company else None
        self.query_one("#conditions", Static).update(text)
        self.query_one("#view", Static).update(
            Text.assemble(("Analyst's view\n", "bold"), inert(view, 300)) if view else ""
        )
