"""What the screen tells of a quote's time and of an absurd price: the age of the trade, the market's
session, "suspect" with its reason, and a held price that neither fires nor values anything."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from textual.widgets import Static

from tests.ui.conftest import NOW, FixedProvider, cell_text, settle
from watcher import format as fmt
from watcher.app import NeowatchApp, make_app
from watcher.config import Config
from watcher.domain.market import TradingPeriods
from watcher.domain.quote import QuoteResult
from watcher.widgets.company_grid import CompanyGrid
from watcher.widgets.line_table import LineTable

SIZE = (160, 50)
OTHERS = {"NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}
# Sessions that ended the day before: the market is closed now.
YESTERDAY = TradingPeriods(
    pre=(NOW - timedelta(hours=30), NOW - timedelta(hours=24)),
    regular=(NOW - timedelta(hours=24), NOW - timedelta(hours=18)),
    post=(NOW - timedelta(hours=18), NOW - timedelta(hours=14)),
)
# Sessions around now: the market is open.
TODAY = TradingPeriods(
    pre=(NOW - timedelta(hours=6), NOW - timedelta(hours=1)),
    regular=(NOW - timedelta(hours=1), NOW + timedelta(hours=5)),
    post=(NOW + timedelta(hours=5), NOW + timedelta(hours=9)),
)


@dataclass
class TimedProvider(FixedProvider):
    """CRWV's answer carries the market time, sessions and previous close the test gives."""

    traded: datetime | None = None
    periods: TradingPeriods | None = None
    previous: float | None = None

    async def fetch_quotes(self, symbols):  # noqa: ANN001, ANN201
        results: dict[str, QuoteResult] = await super().fetch_quotes(symbols)
        crwv = results.get("CRWV")
        if crwv is not None and not hasattr(crwv, "kind"):
            results["CRWV"] = replace(
                crwv,
                market_time=self.traded or crwv.market_time,
                trading_periods=self.periods,
                previous_close=self.previous if self.previous is not None else crwv.previous_close,
            )
        return results


def grid_of(app: NeowatchApp) -> CompanyGrid:
    return app.screen.query_one("#grid", CompanyGrid)


def price_line(app: NeowatchApp) -> str:
    return str(app.screen.query_one("#price", Static).render())


async def open_crwv(app: NeowatchApp, pilot) -> None:  # noqa: ANN001
    await pilot.press("down", "enter")
    await settle(app, pilot)


def alerts_of(app: NeowatchApp) -> list[str]:
    """Every BUY the user is told of from now on (a toast's title)."""
    seen: list[str] = []
    notify = app.notify

    def spy(message: str, **kwargs: object) -> None:
        seen.append(f"{kwargs.get('title', '')} {message}")
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = spy  # type: ignore[method-assign]
    return seen


async def test_a_trade_21_months_old_never_reads_as_fresh(sample_config: Config, clock) -> None:  # noqa: ANN001
    traded = datetime(2025, 2, 26, 21, 0, tzinfo=NOW.tzinfo)
    provider = TimedProvider(clock, traded=traded, periods=YESTERDAY)
    app = make_app(sample_config, provider, clock=clock, local_tz=NOW.tzinfo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = grid_of(app)
        assert cell_text(grid, "CRWV", "age") == "suspect"  # not "0s", though fetched just now
        assert cell_text(grid, "CRWV", "market") == "closed"
        assert cell_text(grid, "CRWV", "price") == "128.40"
        assert cell_text(grid, "NBIS", "age") == "0s" and cell_text(grid, "NBIS", "market") == "—"
        row = app.overview.row("CRWV")
        assert row.age is not None and row.age > timedelta(days=600) and not row.stale
        await open_crwv(app, pilot)
        line = price_line(app)
        assert "closed · last trade 2025-02-26 21:00" in line
        assert "Suspect quote: no trade for 637 days" in line
        assert " s old" not in line


async def test_a_closed_market_says_when_it_last_traded(sample_config: Config, clock) -> None:  # noqa: ANN001
    last_close = NOW - timedelta(hours=18)  # Wednesday 21:00 UTC: the day before
    provider = TimedProvider(clock, traded=last_close, periods=YESTERDAY)
    app = make_app(sample_config, provider, clock=clock, local_tz=NOW.tzinfo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = grid_of(app)
        assert cell_text(grid, "CRWV", "age") == "18h"  # from the trade, not from the fetch
        assert cell_text(grid, "CRWV", "market") == "closed"
        await open_crwv(app, pilot)
        line = price_line(app)
        assert "closed · last trade Wed 21:00" in line
        assert "Suspect" not in line and "STALE" not in line


async def test_an_open_market_shows_the_age_of_the_trade(sample_config: Config, clock) -> None:  # noqa: ANN001
    provider = TimedProvider(clock, traded=NOW - timedelta(seconds=40), periods=TODAY)
    app = make_app(sample_config, provider, clock=clock, local_tz=NOW.tzinfo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert cell_text(grid_of(app), "CRWV", "age") == "40s"
        assert cell_text(grid_of(app), "CRWV", "market") == "open"
        await open_crwv(app, pilot)
        assert "market open  ·  40 s old" in price_line(app)


async def test_a_market_time_a_year_ahead_is_suspect(sample_config: Config, clock) -> None:  # noqa: ANN001
    provider = TimedProvider(clock, traded=NOW + timedelta(days=365))
    app = make_app(sample_config, provider, clock=clock, local_tz=NOW.tzinfo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert cell_text(grid_of(app), "CRWV", "age") == "suspect"
        assert cell_text(grid_of(app), "CRWV", "market") == "—"
        await open_crwv(app, pilot)
        line = price_line(app)
        assert "last trade 2027-11-26 15:00" in line
        assert "Suspect quote: its market time is 365 days ahead of this computer's clock" in line


async def test_a_millionth_after_a_131_close_fires_nothing_until_a_second_read(
    sample_config: Config, clock  # noqa: ANN001
) -> None:
    absurd = {"CRWV": 1e-6, "NBIS": 1e-6, "IREN": 40.0, "CIFR": 14.0}
    provider = TimedProvider(clock, rounds=[{"CRWV": 140.0, **OTHERS}, absurd], previous=131.0)
    app = make_app(sample_config, provider, clock=clock, local_tz=NOW.tzinfo)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    told = alerts_of(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#portfolio", LineTable)
        weight = cell_text(panel, "pos:NBIS", "weight")
        assert weight == "9.0 %"
        clock.advance(60)
        app.refresh_now()
        await settle(app, pilot)
        grid = grid_of(app)
        assert cell_text(grid, "CRWV", "price") == "140.00"  # the last good price stays
        assert cell_text(grid, "CRWV", "age") == "suspect"
        assert cell_text(grid, "CRWV", "signal").strip() == ""
        assert cell_text(panel, "pos:NBIS", "weight") == weight  # valued at 100, not at a millionth
        assert bells == [] and not [t for t in told if "BUY" in t]
        await open_crwv(app, pilot)
        assert "Suspect price: 0.000001 is under 1/20 of the last good price 140" in price_line(app)
        await pilot.press("escape")
        # The same absurd price again, a minute later: a second read confirms it.
        clock.advance(60)
        app.refresh_now()
        await settle(app, pilot)
        assert cell_text(grid, "CRWV", "price") == fmt.price(1e-6)
        assert cell_text(grid, "CRWV", "age") == "0s"
        assert cell_text(panel, "pos:NBIS", "weight") == "0.0 %"
        assert len(bells) == 1 and [t for t in told if "BUY CRWV" in t]


async def test_a_normal_move_is_taken_and_fires_at_once(sample_config: Config, clock) -> None:  # noqa: ANN001
    provider = TimedProvider(clock, rounds=[{"CRWV": 140.0, **OTHERS}, {"CRWV": 128.4, **OTHERS}])
    app = make_app(sample_config, provider, clock=clock, local_tz=NOW.tzinfo)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        clock.advance(60)
        app.refresh_now()
        await settle(app, pilot)
        grid = grid_of(app)
        assert cell_text(grid, "CRWV", "price") == "128.40"
        assert cell_text(grid, "CRWV", "age") == "0s"
        assert cell_text(grid, "CRWV", "signal").strip() == "BUY"
        assert len(bells) == 1
