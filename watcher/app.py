"""The App: screens, keys, and the one worker that owns the refresh loop."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from watcher.app_alerts import AlertsMixin
from watcher.app_file import PortfolioFileMixin
from watcher.app_view import ViewMixin
from watcher.keys import APP_KEYS
from watcher.state import ScreenState
from watcher.config import Config
from watcher.domain.alerts import AlertArming
from watcher.domain.health import feed_health, refresh_words
from watcher.domain.overview import Overview, build_overview, symbols_needing_close
from watcher.domain.quote import FailureKind, Quote, QuoteBook, QuoteFailure
from watcher.fundamentals import SecResult, companies_with, load_sec, sec_settings
from watcher.messages import HistoryLoaded, QuotesUpdated
from watcher.quotes.cache import QuoteCache
from watcher.quotes.history import HistoryCache
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider
from watcher.recorder import Recorder
from watcher.screens.main import MainScreen
from watcher.widgets.status_line import StatusLine

# Ages on screen are recomputed this often between refreshes (cheap, and no 1 s wake-ups).
AGE_TICK_SECONDS = 10.0
# Filings change only when a company files; the SEC cache keeps facts for a day.
SEC_RELOAD_SECONDS = 6 * 3600

# Keys that are not bindings of ours but belong in the list of keys.
NAVIGATION_KEYS = [
    ("↑ ↓  j k", "move in the grid", "cursor_down, cursor_up"),
    ("PgUp PgDn  Home End", "a page, the first or the last company", ""),
    ("← →", "scroll the grid sideways (the symbol stays)", ""),
    ("Enter", "open the company's detail", "open_detail"),
    ("] [", "next / previous company (in a detail)", "next_ticker, previous_ticker"),
    ("1 … 7", "the chart's range (in a detail)", "range_one_day …"),
    ("Escape", "back", "back"),
    ("ctrl+p", "command palette", ""),
]


def utc_now() -> datetime:
    return datetime.now(UTC)


def palette_commands() -> type[Provider]:
    # Textual calls this when the palette opens: its module is not the first frame's cost.
    from watcher.commands import NeowatchCommands

    return NeowatchCommands


class NeowatchApp(PortfolioFileMixin, AlertsMixin, ViewMixin, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "neowatch"
    # Tab cycles the groups rather than the focus: priority lets it win over the widgets.
    BINDINGS = [
        Binding(key.key, key.action, key.description, show=key.show, id=key.id, priority=key.key == "tab")
        for key in APP_KEYS
    ]
    COMMANDS = App.COMMANDS | {palette_commands}

    overview: reactive[Overview | None] = reactive(None, always_update=True)
    file_error: reactive[str | None] = reactive(None)
    """Why the last save of the portfolio file was not applied; None once it is fixed."""

    def __init__(
        self,
        config: Config,
        provider: QuoteProvider,
        cache: QuoteCache | None = None,
        clock: Callable[[], datetime] = utc_now,
        local_tz: tzinfo | None = None,
        notices: tuple[str, ...] = (),
        recorder: Recorder | None = None,
        provider_factory: Callable[[Config], QuoteProvider] | None = None,
        theme_name: str | None = None,
        state_path: Path | None = None,
        sec_loader: Callable[[Config], Awaitable[SecResult]] | None = None,
        after_first_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.after_first_frame = after_first_frame
        """Called once the first frame (cached prices) is on screen."""
        self.provider_factory = provider_factory
        self.theme_name = theme_name
        self.state_path = state_path
        self.screen_state = ScreenState()
        self.group_index = 0
        self._stop_watching = threading.Event()
        self.config = config
        self.provider = provider
        self.cache = cache
        self.recorder = recorder or Recorder(None)
        self._store_problem_shown: str | None = None
        self.clock = clock
        self.local_tz = local_tz
        self.sec = SecResult({}, {})
        self.sec_loader = sec_loader
        self.companies = companies_with(config.companies)
        self.book = QuoteBook()
        self.histories = HistoryCache(clock)
        self.closes: dict[str, dict[str, float]] = {}
        self.arming = AlertArming(margin_pct=config.alerts.hysteresis_pct)
        self.last_refresh: datetime | None = None
        """When the last fetch finished, whatever it brought."""
        self.last_good: datetime | None = None
        """When a fetch last brought at least one price."""
        self.fetching = False
        self.not_before: datetime | None = None
        """The provider asked us (Retry-After) not to ask again before this."""
        self.last_detail: str | None = None
        self._notices = notices
        self._next_refresh: Timer | None = None
        self._closes_tried: set[tuple[str, str]] = set()
        self.choose_theme()

    # --- start and stop -------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # The main screen is the first one, not pushed over Textual's blank default: its
        # first frame is then painted once, not once unseen and again after.
        return MainScreen()

    def on_mount(self) -> None:
        self.setup_view()
        if self.cache is not None:
            quotes, closes, warning = self.cache.load()
            self.book.quotes.update({s: q for s, q in quotes.items() if s in self.config.symbols})
            self.closes = closes
            if warning:
                self.notify(warning, severity="warning", timeout=10)
        states = self.recorder.start(self.config.symbols)
        self.arming = AlertArming(states, self.config.alerts.hysteresis_pct)
        self.report_store_problem()
        self.recompute()
        for notice in self._notices:
            self.notify(notice, timeout=10)
        self.set_interval(AGE_TICK_SECONDS, self.recompute)
        # Paint first (cached prices, marked with their age), then fetch.
        if self.after_first_frame is not None:
            self.call_after_refresh(self.after_first_frame)
        self.call_after_refresh(self.refresh_now)
        self.call_after_refresh(self.load_sec_figures)
        self.set_interval(SEC_RELOAD_SECONDS, self.load_sec_figures)
        self.watch_portfolio_file()

    async def on_unmount(self) -> None:
        self._stop_watching.set()
        await self.provider.aclose()
        self.recorder.close()

    # --- the refresh loop -----------------------------------------------------

    @property
    def stale_after(self) -> timedelta:
        settings = self.config.settings
        return timedelta(seconds=settings.refresh_interval * settings.stale_after_refreshes)

    def action_refresh(self) -> None:
        # A refresh under way already says "fetching…" in the status line.
        if self.fetching:
            return
        wait = self.seconds_to_wait()
        if wait > 0:
            self.notify(
                f"{self.provider.name} is backing off after errors: the next try is in {wait:.0f} s.",
                timeout=4,
            )
            return
        self.refresh_now()

    def seconds_to_wait(self) -> float:
        if self.not_before is None:
            return 0.0
        return max(0.0, (self.not_before - self.clock()).total_seconds())

    def refresh_now(self) -> None:
        """Start a fetch unless one is running; the next is scheduled when it finishes."""
        if self.fetching:
            return
        if self._next_refresh is not None:
            self._next_refresh.stop()
            self._next_refresh = None
        self.fetching = True
        self.recompute()
        self.fetch_quotes()

    @work(exclusive=True, group="quotes", exit_on_error=False)
    async def fetch_quotes(self) -> None:
        symbols = list(self.config.symbols)
        results = await self.provider.fetch_quotes(symbols)
        closes: dict[str, dict[str, float]] = {}
        for symbol, day in symbols_needing_close(symbols, self.companies, self.closes):
            if (symbol, day.isoformat()) in self._closes_tried:
                continue
            self._closes_tried.add((symbol, day.isoformat()))
            close = await self.provider.fetch_close_on(symbol, day)
            if isinstance(close, QuoteFailure):
                if close.kind not in (FailureKind.NO_DATA, FailureKind.NOT_FOUND, FailureKind.DELISTED):
                    # A passing fault (429, 5xx, network): ask again at the next refresh.
                    self._closes_tried.discard((symbol, day.isoformat()))
            else:
                closes.setdefault(symbol, {})[day.isoformat()] = close
        self.post_message(QuotesUpdated(results, closes, self.clock()))

    def on_quotes_updated(self, message: QuotesUpdated) -> None:
        self.book.apply(message.results)
        for symbol, by_day in message.closes.items():
            self.closes.setdefault(symbol, {}).update(by_day)
        self.last_refresh = message.finished_at
        fetched = [result for result in message.results.values() if isinstance(result, Quote)]
        if fetched:
            self.last_good = message.finished_at
        self.recorder.record_quotes(fetched)
        waits = [
            r.retry_after for r in message.results.values()
            if isinstance(r, QuoteFailure) and r.retry_after
        ]
        self.not_before = message.finished_at + timedelta(seconds=max(waits)) if waits else None
        self._finish_refresh()
        self.alert_on_crossings()
        if self.cache is not None and not self.provider.simulated:
            self.run_worker(
                partial(self.cache.save, dict(self.book.quotes), {k: dict(v) for k, v in self.closes.items()}),
                thread=True,
                group="cache",
                exit_on_error=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "quotes" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            if event.state is WorkerState.ERROR:
                self.notify(f"The refresh failed: {worker.error}", severity="error", timeout=10)
            self._finish_refresh()
        elif worker.group == "cache" and event.state is WorkerState.ERROR:
            self.notify(f"Could not save the quote cache: {worker.error}", severity="warning")

    def _finish_refresh(self) -> None:
        self.fetching = False
        self.recompute()
        if self._next_refresh is None:
            # A provider's Retry-After stretches the wait; it never shortens it.
            delay = max(self.config.settings.refresh_interval, self.seconds_to_wait())
            self._next_refresh = self.set_timer(delay, self.refresh_now, name="next refresh")

    # --- SEC filings ----------------------------------------------------------

    @work(exclusive=True, group="sec", exit_on_error=False)
    async def load_sec_figures(self) -> None:
        """Figures from SEC filings (shares, revenue) over the analysis'; off without a contact."""
        config = self.config
        if self.sec_loader is not None:
            result = await self.sec_loader(config)
        elif sec_settings(config)[0] is None:
            # Off without a contact: say so where SEC figures would stand, ask nothing.
            from watcher.sec_contact import NO_CONTACT_REASON

            result = SecResult({}, {symbol: NO_CONTACT_REASON for symbol in config.symbols})
        else:
            from watcher import paths
            from watcher.quotes.http import make_http_client

            client = make_http_client()
            try:
                result = await load_sec(config, client, paths.cache_dir() / "sec", self.clock)
            finally:
                await client.aclose()
        self.sec = result
        self.companies = companies_with(self.config.companies, result.companies)
        for warning in result.warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        self.recompute()

    # --- what the screens show ------------------------------------------------

    def recompute(self) -> None:
        self.overview = build_overview(
            symbols=self.config.symbols,
            portfolio=self.config.portfolio,
            conditions=self.config.conditions,
            companies=self.companies,
            book=self.book,
            closes=self.closes,
            now=self.clock(),
            stale_after=self.stale_after,
            recent=self.recorder.recent_prices(),
            figure_max_age_months=self.config.settings.figure_max_age_months,
        )

    def show_status(self, line: StatusLine) -> None:
        if self.overview is None:
            return
        last_try, last_good = self.local_time(self.last_refresh), self.local_time(self.last_good)
        line.show(
            provider=self.provider.name,
            simulated=self.provider.simulated,
            refresh=refresh_words(last_try, last_good, self.last_good != self.last_refresh, self.fetching),
            interval=self.config.settings.refresh_interval,
            health=feed_health(self.provider.name, self.book.failures, self.overview),
        )

    def local_time(self, moment: datetime | None) -> str | None:
        return moment.astimezone(self.local_tz).strftime("%H:%M:%S") if moment else None

    # --- navigation -------------------------------------------------------------

    def open_detail(self, symbol: str) -> None:
        # Imported here: the chart library costs start-up time the first screen does not need.
        from watcher.screens.detail import DetailScreen

        self.last_detail = symbol
        self.push_screen(DetailScreen(symbol))

    def request_history(
        self, screen: Screen, symbol: str, chart_range: ChartRange
    ) -> PriceHistory | None:
        """The cached history, or None while a fetch runs that will post HistoryLoaded to `screen`."""
        cached = self.histories.get(symbol, chart_range)
        if cached is None:
            self.fetch_history(screen, symbol, chart_range)
        return cached

    @work(exclusive=True, group="history", exit_on_error=False)
    async def fetch_history(self, screen: Screen, symbol: str, chart_range: ChartRange) -> None:
        result = await self.provider.fetch_history(symbol, chart_range)
        if isinstance(result, PriceHistory):
            self.histories.put(result)
        screen.post_message(HistoryLoaded(symbol, chart_range, result))

    # The screens behind a key are imported when first asked for.

    def action_alert_log(self) -> None:
        from watcher.screens.alert_log import AlertLogScreen

        note = self.recorder.problem and f"Only this session's alerts: {self.recorder.problem}"
        self.push_screen(AlertLogScreen(self.recorder.alerts, note, self.local_tz))

    def action_show_keys(self) -> None:
        from watcher.screens.help import KeysScreen

        if isinstance(self.screen, KeysScreen):
            self.pop_screen()
            return
        keys = list(NAVIGATION_KEYS)
        for active in self.screen.active_bindings.values():
            binding = active.binding
            # Our bindings all carry an id; the widgets' own (page up, copy …) would drown them.
            if binding.id and binding.description and binding.action not in ("cursor_down", "cursor_up"):
                keys.append((self.get_key_display(binding), binding.description, binding.id))
        self.push_screen(KeysScreen(list(dict.fromkeys(keys))))


def make_app(config: Config, provider: QuoteProvider, **collaborators: Any) -> NeowatchApp:
    """The app with its collaborators injected (NeowatchApp's keyword arguments): tests pass a
    fixed provider, clock and SEC source; the command passes the real ones."""
    return NeowatchApp(config, provider, **collaborators)
