"""The feed's full account: every symbol failing, stale or suspect, why, and since when.

The status line is one line and cuts its reasons with an ellipsis; this screen has them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from watcher import format as fmt
from watcher.domain.health import FeedProblem
from watcher.widgets.cells import MUTED, colours, inert

COLUMNS = (("symbol", "Symbol"), ("problem", "Problem"), ("since", "Since"),
           ("last_good", "Last good quote"), ("reason", "Why"))
REFRESH_SECONDS = 1.0
"""The screen reads the feed again this often: its ages and the countdown move."""


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What the screen shows, as of `now`: built by the app from its session."""

    provider: str
    refresh: str
    """"refreshed 14:03:22", "last good 14:02:10 · failed 14:03:22"."""
    headline: str | None
    retry_in: int | None
    problems: tuple[FeedProblem, ...]
    now: datetime


class FeedProblemsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back_from_feed")]
    DEFAULT_CSS = """
    FeedProblemsScreen #feed-title { padding: 0 1; height: auto; }
    FeedProblemsScreen DataTable { height: 1fr; }
    """

    def __init__(self, report: Callable[[], FeedReport], local_tz: tzinfo | None = None) -> None:
        super().__init__()
        self._report = report
        self._local_tz = local_tz
        self._shown: FeedReport | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="feed-title")
        yield DataTable(id="feed-problems", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        self.show()
        self.set_interval(REFRESH_SECONDS, self.show, name="feed report")

    def _when(self, moment: datetime | None, now: datetime) -> Text:
        if moment is None:
            return Text("never", style=MUTED)
        local = moment.astimezone(self._local_tz)
        today = local.date() == now.astimezone(self._local_tz).date()
        shown = local.strftime("%H:%M:%S" if today else "%Y-%m-%d %H:%M")
        return Text(f"{shown} ({fmt.age(now - moment)} ago)")

    def show(self) -> None:
        report = self._report()
        if report == self._shown:
            return
        self._shown = report
        title = Text(f"Feed · {report.provider} · {report.refresh}", style="bold")
        if report.headline:
            title.append("\n")
            title.append(report.headline.upper(), style="bold " + colours().stale)
        if report.retry_in is not None:
            title.append(f"\nretrying in {report.retry_in} s", style=colours().stale)
        count = len(report.problems)
        title.append(
            f"\n{count} problem{'s' if count != 1 else ''}, failing first" if count
            else "\nNothing is failing, stale or suspect.",
            style=MUTED,
        )
        self.query_one("#feed-title", Static).update(title)
        table = self.query_one(DataTable)
        table.clear()
        for index, problem in enumerate(report.problems):
            table.add_row(
                Text(problem.symbol, style="bold"),
                Text(problem.problem, style=colours().stale),
                self._when(problem.since, report.now),
                self._when(problem.last_good, report.now),
                inert(problem.reason, 200),
                key=str(index),
            )
