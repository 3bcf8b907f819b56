"""A company's detail: price and market state, chart, valuation beside the peers, figures, position,
conditions, notes."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from watcher import format as fmt
from watcher.domain.conditions import ConditionState, ConditionStatus, clause_rule, clause_value
from watcher.domain.market import MarketState
from watcher.domain.overview import CompanyRow, Overview
from watcher.feed import Feed
from watcher.quotes.provider import ChartRange, PriceHistory
from watcher.session import Session
from watcher.widgets.cells import MUTED, colours, inert
from watcher.widgets.fundamentals_table import FundamentalsTable
from watcher.widgets.peer_valuation import PeerValuation
from watcher.widgets.price_chart import PriceChart

if TYPE_CHECKING:
    from watcher.app import NeowatchApp

RANGES = tuple(ChartRange)


class DetailScreen(Screen[str]):
    """Dismissed with the symbol it ended on (] and [ move on), for the grid to follow."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("right_square_bracket", "step(1)", "Next", id="next_ticker"),
        Binding("left_square_bracket", "step(-1)", "Previous", id="previous_ticker"),
        *(
            Binding(str(n), f"chart_range({n - 1})", chart_range.value, id=f"range_{chart_range.name.lower()}")
            for n, chart_range in enumerate(RANGES, start=1)
        ),
    ]
    # The page itself has the focus: it opens at its top (focusing a table far down would
    # scroll there), and ↑ ↓ PgUp PgDn scroll it.
    AUTO_FOCUS = "#detail-body"
    DEFAULT_CSS = """
    DetailScreen #detail-body { padding: 0 1; }
    DetailScreen #ranges { height: 1; }
    DetailScreen PriceChart { height: 14; }
    DetailScreen #columns { height: auto; }
    DetailScreen #left { width: 1fr; height: auto; }
    DetailScreen #right { width: 1fr; height: auto; }
    DetailScreen .panel { border: round $primary-background; height: auto; }
    DetailScreen Static.panel { padding: 0 1; }
    """

    def __init__(
        self,
        session: Session,
        symbol: str,
        local_tz: tzinfo | None = None,
        chart_range: ChartRange = ChartRange.ONE_DAY,
        order: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.session = session
        self.symbol = symbol
        self.order = order
        """The companies as the grid showed them (its sort and group): what ] and [ walk."""
        self.local_tz = local_tz
        self.chart_range = chart_range
        self._chart_feed: Feed | None = None
        """The feed the chart on screen came from."""

    @property
    def watcher(self) -> NeowatchApp:
        return cast("NeowatchApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-body"):
            yield Static(id="heading")
            yield Static(id="price")
            yield Static(id="ranges")
            yield PriceChart(tz=self.local_tz, id="chart")
            with Horizontal(id="columns"):
                with Vertical(id="left"):
                    yield PeerValuation(id="peers", classes="panel")
                    yield Static(id="notes", classes="panel")
                with Vertical(id="right"):
                    yield Static(id="position", classes="panel")
                    yield Static(id="conditions", classes="panel")
            yield FundamentalsTable(id="figures", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#position", Static).border_title = "Position"
        self.query_one("#conditions", Static).border_title = "Buy conditions"
        self.query_one("#notes", Static).border_title = "Notes"
        self.watch(self.app, "overview", self.show, init=True)
        self.load_chart()

    # --- keys -------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(self.symbol)

    def action_step(self, step: int) -> None:
        watched = self.session.config.symbols
        symbols = [s for s in self.order if s in watched] or list(watched)
        if self.symbol in symbols:
            self.show_company(symbols[(symbols.index(self.symbol) + step) % len(symbols)])

    def show_company(self, symbol: str) -> None:
        """Another company in this detail (] and [, or the palette's "Open …")."""
        self.symbol = symbol
        self.show(self.watcher.overview)
        self.load_chart()

    def action_chart_range(self, index: int) -> None:
        self.chart_range = RANGES[index]
        self.load_chart()

    # --- the chart --------------------------------------------------------------

    def load_chart(self) -> None:
        self._show_ranges()
        previous, feed = self._chart_feed, self.session.feed
        self._chart_feed = feed
        cached = feed.histories.get(self.symbol, self.chart_range)
        if cached is None:
            chart = self.query_one(PriceChart)
            shown = chart.history
            # A chart renewed after its lifetime stays on screen until the new one is in.
            same = shown is not None and (shown.symbol, shown.range) == (self.symbol, self.chart_range)
            if not same or previous is not feed:
                chart.show(None, None, f"loading {self.symbol} {self.chart_range.value}…")
            self.fetch_history(feed, self.symbol, self.chart_range)
        else:
            self._draw(cached)

    @work(exclusive=True, group="history", exit_on_error=False)
    async def fetch_history(self, feed: Feed, symbol: str, chart_range: ChartRange) -> None:
        """The screen's own worker: a new range or company, a new provider, or closing the
        screen, cancels it."""
        result = await feed.fetch_history(symbol, chart_range)
        if feed is not self.session.feed or (symbol, chart_range) != (self.symbol, self.chart_range):
            return  # the user moved on, or the file named another provider, while it loaded
        if isinstance(result, PriceHistory):
            self._draw(result)
        else:
            self.query_one(PriceChart).show(None, None, f"No chart: {result.reason}")

    def _fetching_chart(self) -> bool:
        return any(worker.group == "history" and worker.is_running for worker in self.workers)

    def _draw(self, history: PriceHistory) -> None:
        self.query_one(PriceChart).show(history, self._trigger())

    def _trigger(self) -> float | None:
        """The first price trigger of the symbol's conditions, drawn across the chart."""
        for condition in self.session.config.conditions:
            if condition.symbol == self.symbol:
                return condition.price_below or condition.price_above
        return None

    def _show_ranges(self) -> None:
        text = Text("Chart ")
        for n, chart_range in enumerate(RANGES, start=1):
            chosen = chart_range is self.chart_range
            text.append(f" {n} {chart_range.value} ", style="reverse bold" if chosen else MUTED)
        self.query_one("#ranges", Static).update(text)

    # --- the figures ------------------------------------------------------------

    def show(self, overview: Overview | None) -> None:
        if overview is None:
            return
        feed = self.session.feed
        if self._chart_feed is not None and (
            self._chart_feed is not feed  # another provider now: its own history, not the old one's
            or (feed.histories.get(self.symbol, self.chart_range) is None and not self._fetching_chart())
        ):
            self.load_chart()  # or the chart on screen is older than its range's lifetime
        row = overview.row(self.symbol)
        if row is None:
            self.query_one("#heading", Static).update(f"{self.symbol} is no longer in the portfolio file.")
            return
        with self.app.batch_update():
            self.query_one("#heading", Static).update(self._heading(row))
            self.query_one("#price", Static).update(self._price(row))
            self.query_one(PeerValuation).show(overview, self.symbol)
            session = self.session
            figures = self.query_one(FundamentalsTable)
            figures.show(row.company, session.clock().date(), session.config.settings.figure_max_age_months)
            sec_reason = session.sec.unavailable.get(self.symbol)
            figures.border_subtitle = f"SEC filings: {sec_reason}" if sec_reason else (
                "with SEC filings" if self.symbol in session.sec.companies else "")
            self.query_one("#position", Static).update(self._position(overview))
            statuses = [s for s in overview.conditions if s.condition.symbol == self.symbol]
            self.query_one("#conditions", Static).update(_conditions(statuses))
            self.query_one("#notes", Static).update(self._notes(row))

    def _heading(self, row: CompanyRow) -> Text:
        company = row.company
        heading = Text(row.symbol, style="bold")
        heading.append("  ")
        heading.append_text(inert(company.name if company else (row.quote.name if row.quote else None), 60))
        if company and company.tier:
            heading.append(f"  ·  {company.tier}", style=MUTED)
        if self.session.feed.simulated:
            heading.append("  ")
            heading.append(" SIMULATED ", style=colours().buy)
        if row.buy:
            heading.append("  ")
            heading.append(" BUY ", style=colours().buy)
        return heading

    def _price(self, row: CompanyRow) -> Text:
        quote = row.quote
        line = Text()
        if quote is None:
            line.append("No price yet.", style=colours().stale)
        else:
            line.append(fmt.price(quote.price), style="bold")
            line.append(f" {quote.currency or ''}  ")
            change = quote.day_change_pct
            line.append(fmt.signed_pct(change, 2), style=colours().gain if (change or 0) > 0 else colours().loss)
            line.append(" today")
            state = row.market_state
            if state is MarketState.CLOSED or row.suspect:
                # The age of a closed market's last trade says nothing; when it traded does.
                where = "closed" if state is MarketState.CLOSED else f"market {state.value}" if state else None
                words = f"{where} · " if where else ""
                line.append(f"  ·  {words}last trade {self._trade_time(quote.market_time)}",
                            style=colours().stale if row.suspect else MUTED)
            else:
                if state is not None:
                    line.append(f"  ·  market {state.value}")
                age = fmt.age(row.age) if row.age is not None else "?"
                line.append(f"  ·  {age} old", style=MUTED)
            if quote.extended_price is not None:
                line.append(f"  ·  extended hours {fmt.price(quote.extended_price)}")
            if row.stale:
                fetched = fmt.age(self.session.clock() - quote.fetched_at)
                line.append(f"  ·  STALE: last fetched {fetched} ago", style=colours().stale)
        if row.suspect:
            line.append(f"\n{row.suspect[:1].upper()}{row.suspect[1:]}", style=colours().stale)
        cap = row.market_cap
        if cap is not None:
            line.append(f"\nMarket cap {fmt.big_money(cap.value)}: {cap.describe()}",
                        style=MUTED if cap.is_live else colours().stale)
        if row.failure:
            line.append(f"\nLast refresh failed: {row.failure.reason}", style=colours().stale)
        return line

    def _trade_time(self, moment: datetime) -> str:
        """"Fri 16:00" within the last week, else "2025-02-26 16:00": local time, as the chart's."""
        local = moment.astimezone(self.local_tz)
        recent = timedelta(0) <= self.session.clock() - moment < timedelta(days=6)
        return local.strftime("%a %H:%M" if recent else "%Y-%m-%d %H:%M")

    def _position(self, overview: Overview) -> Text:
        position = overview.portfolio.position(self.symbol)
        if position is None:
            return Text("No position: watched only.", style=MUTED)
        holding = position.holding
        caps = [c.max_weight for c in self.session.config.conditions if c.symbol == self.symbol and c.max_weight]
        weight = fmt.pct(position.weight_pct) + (f" (cap {fmt.plain_number(min(caps))} %)" if caps else "")
        text = Text()
        text.append(f"{fmt.shares(holding.shares)} shares at {fmt.price(holding.average_cost)} average")
        text.append(f"\nValue {fmt.money(position.market_value)}  ·  weight {weight} of the whole portfolio")
        text.append(f"\nP/L {fmt.signed_money(position.profit)} ({fmt.signed_pct(position.profit_pct, 0)})")
        text.append(f"  ·  today {fmt.signed_money(position.day_change)}")
        return text

    def _notes(self, row: CompanyRow) -> Text:
        company = row.company
        text = Text()
        if company and company.notes:
            text.append("Yours: ", style="bold")
            text.append_text(inert(company.notes, 1000))
        if company and company.view:
            if text:
                text.append("\n")
            text.append("Analyst: ", style="bold")
            text.append_text(inert(company.view, 300))
        return text or Text("No notes. Add them in the portfolio file: [companies.X] notes = \"…\"", style=MUTED)


def _conditions(statuses: list[ConditionStatus]) -> Text:
    if not statuses:
        return Text("None for this company.", style=MUTED)
    text = Text()
    for status in statuses:
        if text:
            text.append("\n")
        text.append_text(inert(status.condition.label, 60))
        text.append(": ")
        if status.state is ConditionState.MET:
            text.append(" BUY ", style=colours().buy)
        else:
            text.append(status.state.value, style=colours().stale if status.state is ConditionState.UNKNOWN else MUTED)
        for clause in status.clauses:
            text.append(f"\n  {clause_rule(clause)}: now {clause_value(clause)}, {clause.distance}"
                        f" — {clause.state.value}")
    return text
