"""The feed screen (`f`): every failing symbol in full, since when, and the countdown to the next try."""

from __future__ import annotations

from datetime import UTC

from textual.widgets import DataTable, Static

from tests.ui.conftest import ANALYST_PRICES, NOW, Clock, FixedProvider, cell_text, rate_limited, settle
from watcher.app import make_app
from watcher.config import Config
from watcher.domain.quote import FailureKind, QuoteFailure
from watcher.screens.feed_problems import FeedProblemsScreen

SIZE = (160, 40)
# Longer than any status line: the part the ellipsis cuts is the part the user needs.
LONG = ("Yahoo's answer was not the chart it should be (HTTP 200, an HTML page with a consent form "
        "from the region's privacy notice) — the symbol may be fine on the next try")


def rows(table: DataTable) -> list[tuple[str, ...]]:
    keys = [key.value for key in table.columns]
    return [tuple(cell_text(table, str(r.value), str(k)) for k in keys) for r in table.rows]


async def test_the_feed_screen_lists_every_failure_in_full_with_since_when(
    sample_config: Config, clock: Clock
) -> None:
    crwv = QuoteFailure("CRWV", FailureKind.BAD_RESPONSE, LONG)
    iren = QuoteFailure("IREN", FailureKind.NOT_FOUND, "Yahoo knows no symbol IREN")
    provider = FixedProvider(clock, rounds=[
        {**ANALYST_PRICES, "CRWV": crwv},
        {**ANALYST_PRICES, "CRWV": crwv, "IREN": iren},
        dict(ANALYST_PRICES),
    ])
    app = make_app(sample_config, provider, cache=None, clock=clock, local_tz=UTC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # 15:00:00: CRWV fails
        clock.advance(60)
        app.refresh_now()
        await settle(app, pilot)  # 15:01:00: CRWV again, and IREN
        clock.advance(30)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FeedProblemsScreen)
        shown = rows(app.screen.query_one(DataTable))
        assert shown == [
            ("CRWV", "failing", "15:00:00 (1 min ago)", "never", LONG),
            ("IREN", "failing", "15:01:00 (30 s ago)", "15:00:00 (1 min ago)", "Yahoo knows no symbol IREN"),
        ]
        title = str(app.screen.query_one("#feed-title", Static).render())
        assert "Feed · Yahoo" in title and "2 problems" in title
        await pilot.press("escape")
        clock.advance(30)
        app.refresh_now()
        await settle(app, pilot)  # every price came
        await pilot.press("f")
        await pilot.pause()
        assert rows(app.screen.query_one(DataTable)) == []
        assert "Nothing is failing" in str(app.screen.query_one("#feed-title", Static).render())


async def test_the_feed_screen_counts_down_the_wait(sample_config: Config, clock: Clock) -> None:
    limited = rate_limited(120)
    provider = FixedProvider(clock, rounds=[limited])
    app = make_app(sample_config, provider, cache=None, clock=clock, local_tz=UTC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedProblemsScreen)
        title = str(screen.query_one("#feed-title", Static).render())
        assert "RATE-LIMITED BY YAHOO" in title and "retrying in 120 s" in title
        clock.advance(20)
        screen.show()  # what its one-second tick calls
        assert "retrying in 100 s" in str(screen.query_one("#feed-title", Static).render())
        assert NOW.tzinfo is UTC
