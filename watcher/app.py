"""The App: it shows a Session. Timers, workers, notifications and bell, keys, themes, screens."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SuspendNotSupported
from textual.binding import Binding
from textual.command import Provider
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from watcher.config import Config
from watcher.domain.health import FeedHealth, feed_health, feed_problems, refresh_words
from watcher.domain.overview import Overview
from watcher.feed import CloseKey, Feed
from watcher.file_watch import EditorOutcome, editor_command, find_editor, run_editor, watch_file
from watcher.keys import APP_KEYS
from watcher.messages import PricesFetched
from watcher.quotes.provider import QuoteProvider
from watcher.screens.main import MainScreen
from watcher.session import FiredAlert, Session
from watcher.theme_choice import known_theme, register_theme_files
from watcher.themes import DEFAULT_THEME, VARIABLE_DEFAULTS
from watcher.widgets.cells import Colours, use_colours
from watcher.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from watcher.screens.feed_problems import FeedReport

# Ages on screen are recomputed this often between refreshes (cheap, and no 1 s wake-ups).
AGE_TICK_SECONDS = 10.0
# Only while the provider is waited for (backoff, Retry-After): "retrying in N s" counts down.
COUNTDOWN_TICK_SECONDS = 1.0
# Filings change only when a company files; the SEC cache keeps facts for a day.
SEC_RELOAD_SECONDS = 6 * 3600


def utc_now() -> datetime:
    return datetime.now(UTC)


def palette_commands() -> type[Provider]:
    # Textual calls this when the palette opens: its module is not the first frame's cost.
    from watcher.commands import NeowatchCommands

    return NeowatchCommands


class NeowatchApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "neowatch"
    BINDINGS = [Binding(key.key, key.action, key.description, show=key.show, id=key.id) for key in APP_KEYS]
    COMMANDS = App.COMMANDS | {palette_commands}

    overview: reactive[Overview | None] = reactive(None, always_update=True)
    file_error: reactive[str | None] = reactive(None)
    """Why the last save of the portfolio file was not applied; None once it is fixed."""

    def __init__(
        self,
        session: Session,
        *,
        local_tz: tzinfo | None = None,
        notices: tuple[str, ...] = (),
        theme_name: str | None = None,
        state_path: Path | None = None,
        after_first_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.local_tz = local_tz
        self.theme_name = theme_name
        self.state_path = state_path
        self.after_first_frame = after_first_frame
        """Called once the first frame (cached prices) is on screen."""
        self.fetching = False
        self._prices: Worker[None] | None = None
        """The refresh under way: only its end schedules the next one."""
        self._notices = notices
        self._next_refresh: Timer | None = None
        self._next_refresh_at: datetime | None = None
        self._stop_watching = threading.Event()
        self._store_problem_shown: str | None = None
        self.main_screen: MainScreen
        """The first screen, made in get_default_screen."""
        self._theme_problems = register_theme_files(self)
        self.choose_theme(theme_name or session.config.settings.theme or DEFAULT_THEME, at_start=True)

    # --- start and stop -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The main screen is the first one, not pushed over Textual's blank default: its
        # first frame is then painted once, not once unseen and again after.
        self.main_screen = MainScreen(self.session, self.state_path)
        return self.main_screen

    def on_mount(self) -> None:
        for problem in self._theme_problems:
            self.notify(problem, severity="warning", timeout=12, markup=False)
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if self.session.config.keys:  # an empty keymap would only make the footer redraw its keys
            self.set_keymap(self.session.config.keys)
        for warning in self.session.start():
            self.notify(warning, severity="warning", timeout=10, markup=False)
        self.report_store_problem()
        self.recompute()
        for notice in self._notices:
            self.notify(notice, timeout=10, markup=False)
        self.set_interval(AGE_TICK_SECONDS, self.recompute)
        self._countdown = self.set_interval(COUNTDOWN_TICK_SECONDS, self._count_down, name="retry countdown",
                                            pause=True)
        # Paint first (cached prices, marked with their age), then fetch.
        if self.after_first_frame is not None:
            self.call_after_refresh(self.after_first_frame)
        self.call_after_refresh(self.refresh_now)
        self.call_after_refresh(self.load_sec_figures)
        self.set_interval(SEC_RELOAD_SECONDS, self.load_sec_figures)
        watch_file(self.session.config.path, lambda: self.call_from_thread(self.reload_portfolio),
                   self._stop_watching)

    async def on_unmount(self) -> None:
        self._stop_watching.set()
        await self.session.aclose()

    # --- the refresh loop: prices first, then the day-closes on their own -----------------

    def action_refresh(self) -> None:
        if self.fetching:  # a refresh under way already says "fetching…" in the status line
            return
        if self.session.feed.seconds_to_wait() > 0:
            wait = self.retry_in() or 0.0
            self.notify(f"{self.session.feed.name} is backing off after errors: the next try is in {wait:.0f} s.",
                        timeout=4, markup=False)
            return
        self.refresh_now()

    def refresh_now(self) -> None:
        """Start a fetch unless one is running; the next is scheduled when it finishes."""
        if self.fetching:
            return
        if self._next_refresh is not None:
            self._next_refresh.stop()
            self._next_refresh = None
        self._next_refresh_at = None
        self.fetching = True
        self.recompute()
        self._prices = self.fetch_prices(self.session.feed, self.session.fetch_symbols())

    @work(exclusive=True, group="quotes", exit_on_error=False)
    async def fetch_prices(self, feed: Feed, symbols: tuple[str, ...]) -> None:
        self.post_message(PricesFetched(await feed.fetch_prices(symbols)))

    def on_prices_fetched(self, message: PricesFetched) -> None:
        if message.fetch.feed is not self.session.feed:
            return  # from a provider the file no longer names: its refresh was cancelled
        self.announce(self.session.apply_prices(message.fetch))
        self._finish_refresh(self.session.latest)
        due = self.session.closes_due()
        if due:
            self.fetch_closes(self.session.feed, due)
        missing = self.session.rates_missing()
        if missing:  # a listing's currency just learnt: its rate now, not a refresh later
            self.fetch_rates(self.session.feed, missing)
        if self.session.keeps_cache:
            # Copied here, on the UI loop; written in a thread.
            save = partial(self.session.save_cache, self.session.cache_contents())
            self.run_worker(save, thread=True, group="cache", exit_on_error=False)

    @work(group="closes", exit_on_error=False)
    async def fetch_closes(self, feed: Feed, due: list[CloseKey]) -> None:
        try:
            fetch = await feed.fetch_closes(due)
        except BaseException:
            feed.abandon_closes(due)
            raise
        self.announce(self.session.apply_closes(fetch))
        self.recompute(self.session.latest)

    @work(group="rates", exit_on_error=False)
    async def fetch_rates(self, feed: Feed, symbols: tuple[str, ...]) -> None:
        fetch = await feed.fetch_prices(symbols, whole=False)
        self.announce(self.session.apply_prices(fetch))
        self.recompute(self.session.latest)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is self._prices and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            if event.state is WorkerState.ERROR:
                self.notify(f"The refresh failed: {worker.error}", severity="error", timeout=10, markup=False)
            self._finish_refresh()
        elif worker.group in ("cache", "closes", "sec") and event.state is WorkerState.ERROR:
            what = {"cache": "save the quote cache", "closes": "look up day-closes", "sec": "load SEC figures"}
            self.notify(f"Could not {what[worker.group]}: {worker.error}", severity="warning", markup=False)

    def _finish_refresh(self, overview: Overview | None = None) -> None:
        self.fetching = False
        self._prices = None
        self.recompute(overview)
        if self._next_refresh is None:
            # A provider's Retry-After stretches the wait; it never shortens it.
            delay = max(self.session.config.settings.refresh_interval, self.session.feed.seconds_to_wait())
            self._next_refresh = self.set_timer(delay, self.refresh_now, name="next refresh")
            self._next_refresh_at = self.session.feed.clock() + timedelta(seconds=delay)
            if self.retry_in() is not None:
                self._countdown.resume()

    def retry_in(self) -> float | None:
        """Seconds to the next try while the provider is waited for (backoff, Retry-After); else None."""
        feed = self.session.feed
        if self.fetching or feed.not_before is None or self._next_refresh_at is None:
            return None
        return max(0.0, (self._next_refresh_at - feed.clock()).total_seconds())

    def _count_down(self) -> None:
        """Each second while waited for: the status line's "retrying in N s" counts down."""
        if self.retry_in() is None:
            self._countdown.pause()
            return
        self.main_screen.show_status()

    @work(exclusive=True, group="sec", exit_on_error=False)
    async def load_sec_figures(self) -> None:
        """Figures from SEC filings (shares, revenue) over the analysis'; off without a contact."""
        result = await self.session.fetch_sec()
        self.session.apply_sec(result)
        for warning in result.warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        self.recompute()

    def recompute(self, overview: Overview | None = None) -> None:
        """Show `overview` (one just built), or the session's overview as of now."""
        self.overview = overview or self.session.overview()

    def show_status(self, line: StatusLine) -> None:
        if self.overview is None:
            return
        feed = self.session.feed
        line.show(
            provider=feed.name,
            simulated=feed.simulated,
            refresh=self._refresh_words(),
            interval=self.session.config.settings.refresh_interval,
            health=self._health(self.overview),
        )

    def _refresh_words(self) -> str:
        """"refreshed 14:03:22", "last good … · failed …": the status line's and the feed screen's."""
        feed = self.session.feed
        last_try, last_good = self.local_time(feed.last_refresh), self.local_time(feed.last_good)
        return refresh_words(last_try, last_good, feed.last_good != feed.last_refresh, self.fetching)

    def _health(self, overview: Overview) -> FeedHealth:
        feed = self.session.feed
        return feed_health(feed.name, feed.book.failures, overview, self.retry_in())

    def local_time(self, moment: datetime | None) -> str | None:
        return moment.astimezone(self.local_tz).strftime("%H:%M:%S") if moment else None

    # --- alerts -----------------------------------------------------------------------------

    def announce(self, fired: list[FiredAlert]) -> None:
        """Toast and bell on screen; desktop and the user's command off the UI's path, real only."""
        settings = self.session.config.alerts
        for each in fired:
            alert = each.alert
            title = f"SIMULATED {alert.title}" if each.simulated else alert.title
            if settings.toast:
                self.notify(alert.message, title=title, severity="warning", timeout=15, markup=False)
            if settings.bell:
                self.bell()
            if not each.simulated and (settings.desktop or settings.command):
                self.send_alert(each)
        self.report_store_problem()

    @work(group="alerts", exit_on_error=False)
    async def send_alert(self, fired: FiredAlert) -> None:
        from watcher.alerting import send_out

        settings = self.session.config.alerts
        for problem in await send_out(fired.alert, settings.desktop, settings.command):
            self.notify(problem, severity="warning", timeout=10, markup=False)

    def report_store_problem(self) -> None:
        problem = self.session.recorder.problem
        if problem and problem != self._store_problem_shown:
            self._store_problem_shown = problem
            self.notify(problem, severity="warning", timeout=12, markup=False)

    # --- the portfolio file: neowatch never writes it, it reads it again when it changes ---

    def reload_portfolio(self) -> None:
        """Apply a valid save at once; keep the last good portfolio and say why on a bad one."""
        before = self.file_error
        outcome = self.session.reload()
        self.file_error = outcome.error
        if outcome.error is not None:
            if outcome.error != before:
                self.notify("The portfolio file has an error: the last good version stays in use.",
                            severity="error", timeout=8, markup=False)
            return
        if outcome.change is None:
            return
        change = outcome.change
        if change.keys:
            self.set_keymap(self.session.config.keys)
        for notice in change.key_notices:  # said at the start, and now for what a save got wrong
            self.notify(notice, severity="warning", timeout=10, markup=False)
        if change.theme and self.theme_name is None:
            self.choose_theme(change.theme)
        if change.retired_feed is not None:
            # The old provider's refresh ends here; the new one starts below, on its own timer.
            self.workers.cancel_group(self, "quotes")
            self.workers.cancel_group(self, "closes")
            self._prices, self.fetching = None, False
            self.run_worker(change.retired_feed.aclose(), group="retire-provider", exit_on_error=False)
        self.recompute()
        self.announce(self.session.fire_alerts(self.overview))
        if change.sec:
            self.load_sec_figures()
        if change.refresh:
            self.refresh_now()  # does nothing while a fetch runs; the next one sees the new file
        name = self.session.config.path.name
        self.notify(f"Reloaded {name}" + (": the error is fixed." if outcome.fixed else "."), timeout=4,
                    markup=False)

    def action_edit_portfolio(self) -> None:
        command = editor_command()
        path = str(self.session.config.path)
        if command is None:
            self.notify(f"Set $VISUAL or $EDITOR to your editor, or edit {path} in another window: "
                        "neowatch reloads it when it is saved.", severity="warning", timeout=10, markup=False)
            return
        outcome = self.open_editor(command, path)
        if outcome.started:
            self.reload_portfolio()
        if outcome.problem is not None:
            self.notify(outcome.problem, severity="warning" if outcome.started else "error", timeout=10,
                        markup=False)

    def open_editor(self, command: list[str], path: str) -> EditorOutcome:
        """The editor on `path`, the terminal handed over to it; with no terminal to hand over (a
        test, a pipe) the same run with stdin closed. Nothing is raised inside suspend(): Textual
        would not give the screen back."""
        argv = find_editor(command)
        if isinstance(argv, EditorOutcome):
            return argv
        try:
            with self.suspend():
                return run_editor(argv, path)
        except SuspendNotSupported:
            pass
        return run_editor(argv, path, stdin=subprocess.DEVNULL)

    # --- themes -------------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Textual's own themes get neowatch's colours too.
        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def choose_theme(self, name: str, at_start: bool = False) -> None:
        """Before the app runs, the stylesheet is then read once, with the theme's colours; what is
        wrong with a theme is said once the screen is up."""
        name, problem = known_theme(self, name)
        if problem and at_start:
            self._theme_problems.append(problem)
        elif problem:
            self.notify(problem, severity="warning", timeout=12, markup=False)
        self.theme = name
        if at_start:
            self.stylesheet.set_variables(self.get_css_variables())
        self._on_theme_changed(self.current_theme)

    def _on_theme_changed(self, theme: Theme) -> None:
        # From the theme itself: the app's CSS variables are rebuilt only later.
        use_colours(Colours.from_theme({**VARIABLE_DEFAULTS, **theme.variables}))
        if self.overview is not None:
            self.recompute()

    # --- screens behind a key, imported when first asked for -----------------------------------

    def open_detail(self, symbol: str) -> None:
        self.main_screen.open_detail(symbol)

    def action_alert_log(self) -> None:
        from watcher.screens.alert_log import AlertLogScreen

        recorder = self.session.recorder
        note = recorder.problem and f"Only this session's alerts: {recorder.problem}"
        self.push_screen(AlertLogScreen(recorder.alerts, note, self.local_tz))

    def action_feed_problems(self) -> None:
        from watcher.screens.feed_problems import FeedProblemsScreen

        self.push_screen(FeedProblemsScreen(self.feed_report, self.local_tz))

    def feed_report(self) -> FeedReport:
        """The feed in full, as of now: what the feed screen shows each second."""
        from watcher.screens.feed_problems import FeedReport

        feed = self.session.feed
        overview = self.overview or self.session.overview()
        health = self._health(overview)
        return FeedReport(
            provider=feed.name,
            refresh=self._refresh_words(),
            headline=health.headline,
            retry_in=health.retry_in,
            problems=feed_problems(feed.book.failures, feed.failing_since, overview),
            now=feed.clock(),
        )

    def action_show_keys(self) -> None:
        from watcher.screens.help import KeysScreen, keys_of

        if isinstance(self.screen, KeysScreen):
            self.pop_screen()
            return
        self.push_screen(KeysScreen(keys_of(self, self.screen)))


def make_app(config: Config, provider: QuoteProvider, **collaborators: Any) -> NeowatchApp:
    """The app with its collaborators injected: tests pass a fixed provider, clock and SEC source;
    the command passes the real ones. Session's (cache, recorder, clock, sec_loader,
    provider_factory) and the App's (local_tz, notices, theme_name, state_path, after_first_frame)."""
    from watcher.recorder import Recorder

    clock = collaborators.pop("clock", utc_now)
    session = Session(
        config,
        Feed(provider, clock),
        recorder=collaborators.pop("recorder", None) or Recorder(None),
        cache=collaborators.pop("cache", None),
        sec_loader=collaborators.pop("sec_loader", None),
        provider_factory=collaborators.pop("provider_factory", None),
    )
    return NeowatchApp(session, **collaborators)
