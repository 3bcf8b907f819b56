"""The detail screen's keys: seven chart ranges, next and previous ticker, and what it shows."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from textual.widgets import Static

from tests.ui.conftest import SAMPLE, FixedProvider, config_from, settle
from watcher.app import NeowatchApp, make_app
from watcher.domain.quote import FailureKind, QuoteFailure
from watcher.quotes.provider import ChartRange
from watcher.screens.main import MainScreen
from watcher.widgets.line_table import LineTable
from watcher.widgets.price_chart import PriceChart

SIZE = (160, 50)


@dataclass
class CountingProvider(FixedProvider):
    """Remembers every history asked for."""

    histories: list[tuple[str, ChartRange]] = field(default_factory=list)

    async def fetch_history(self, symbol, chart_range):  # noqa: ANN001, ANN201
        self.histories.append((symbol, chart_range))
        return await super().fetch_history(symbol, chart_range)


def text_of(app: NeowatchApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_crwv(app: NeowatchApp, pilot) -> None:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("down", "enter")
    await settle(app, pilot)


async def test_the_seven_ranges_are_named_and_chosen_with_keys(sample_config, clock) -> None:  # noqa: ANN001
    provider = CountingProvider(clock)
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        ranges = text_of(app, "#ranges")
        for label in ("1D", "5D", "1M", "6M", "YTD", "1Y", "5Y"):
            assert label in ranges
        chart = app.screen.query_one(PriceChart)
        assert chart.history is not None and chart.history.range is ChartRange.ONE_DAY
        assert chart.trigger == 133.0  # the buy trigger drawn across the chart
        await pilot.press("5")
        await settle(app, pilot)
        assert chart.history.range is ChartRange.YEAR_TO_DATE
        await pilot.press("7", "1")
        await settle(app, pilot)
        assert chart.history.range is ChartRange.ONE_DAY
    # 1D was cached when it came back to it: asked once, not twice.
    assert provider.histories == [("CRWV", ChartRange.ONE_DAY), ("CRWV", ChartRange.YEAR_TO_DATE),
                                  ("CRWV", ChartRange.FIVE_YEARS)]


async def test_brackets_move_between_tickers_without_going_back(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        assert "CoreWeave" in text_of(app, "#heading")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert app.screen.symbol == "IREN"
        assert "IREN" in text_of(app, "#heading")
        assert app.screen.query_one(PriceChart).history.symbol == "IREN"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert app.screen.symbol == "NBIS"
        assert "9.0 % of the whole portfolio" in text_of(app, "#position")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_figures_show_their_as_of_dates_and_peers_their_valuation(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        figures = app.screen.query_one("#figures", LineTable)
        cap_row = [cell.plain for cell in figures.get_row("market_cap")]
        assert cap_row[1] == "$65.2 B" and cap_row[2] == "as of 2025-09-24 · 14 mo OLD"
        assert "NEOWATCH_SEC_CONTACT" in str(figures.border_subtitle)  # the SEC source is off, in words
        peers = app.screen.query_one("#peers", LineTable)
        ratios = {key: peers.get_cell(key, "ratio").plain for key in peers.row_keys}
        # Live: each as-of cap scaled by price ÷ the close of 2025-09-24.
        assert ratios["CRWV"] == f"{65.2e9 * 128.4 / 133 / 18e9:.1f}×"
        assert ratios["NBIS"] == "27.0×"
        assert ratios["IREN"] == f"{11.4e9 / 225e6:.1f}×"
        assert ratios["CIFR"] == "—"
        assert "price < 133: now 128.40, 3.5 % below 133" in text_of(app, "#conditions")


async def test_a_failed_history_says_why_instead_of_a_chart(sample_config, clock) -> None:  # noqa: ANN001
    failure = QuoteFailure("CRWV", FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)")
    rounds = [{"CRWV": 128.4, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}]
    provider = FixedProvider(clock, rounds=rounds)
    app = make_app(sample_config, provider, clock=clock)

    async def refuse(symbol, chart_range):  # noqa: ANN001, ANN202
        return failure

    provider.fetch_history = refuse  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        chart = app.screen.query_one(PriceChart)
        assert chart.history is None
        assert chart.message == "No chart: rate-limited by Yahoo (HTTP 429)"


async def test_the_users_notes_are_shown(clock, tmp_path: Path) -> None:  # noqa: ANN001
    text = SAMPLE.read_text("utf-8") + '\n[companies.CRWV]\nnotes = "Thesis: [bold]scale[/] wins\\u001b[31m."\n'
    config = config_from(text, tmp_path / "p.toml")
    app = make_app(config, FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        notes = text_of(app, "#notes")
        assert "Thesis: [bold]scale[/] wins[31m." in notes  # markup shown as typed, escape removed
        assert "\x1b" not in notes
        assert "The pick if one must buy now" in notes
        assert "CoreWeave" in text_of(app, "#heading")  # the user's notes keep the bundled name


async def test_the_heading_says_the_market_state_and_the_after_hours_price(sample_config, clock) -> None:  # noqa: ANN001
    from dataclasses import replace as with_fields
    from datetime import timedelta

    from watcher.domain.market import TradingPeriods

    now = clock()
    periods = TradingPeriods(
        pre=(now - timedelta(hours=12), now - timedelta(hours=8)),
        regular=(now - timedelta(hours=8), now - timedelta(hours=1)),
        post=(now - timedelta(hours=1), now + timedelta(hours=3)),
    )
    provider = FixedProvider(clock)
    plain_fetch = provider.fetch_quotes

    async def after_hours(symbols):  # noqa: ANN001, ANN202
        results = await plain_fetch(symbols)
        results["CRWV"] = with_fields(results["CRWV"], trading_periods=periods, extended_price=129.1)
        return results

    provider.fetch_quotes = after_hours  # type: ignore[method-assign]
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        price = text_of(app, "#price")
        assert "market after-hours" in price
        assert "extended hours 129.10" in price
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert "market" not in text_of(app, "#price").split("\n")[0]  # IREN: no sessions known


async def test_sec_shares_make_the_market_cap_shares_times_price_and_say_so(sample_config, clock) -> None:  # noqa: ANN001
    from datetime import date

    from watcher.domain.fundamentals import Company, Figure
    from watcher.fundamentals import SecResult

    shares = Figure(480_000_000, date(2026, 8, 1), "SEC 10-Q filed 2026-08-12", None)

    async def sec_loader(config):  # noqa: ANN001, ANN202
        return SecResult({"CRWV": Company("CRWV", "", figures={"shares_outstanding": shares})}, {})

    app = make_app(sample_config, FixedProvider(clock), clock=clock, sec_loader=sec_loader)
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        grid_row = app.overview.row("CRWV")
        assert grid_row.market_cap.value == 480_000_000 * 128.4
        price = text_of(app, "#price")
        assert "shares outstanding (SEC 10-Q filed 2026-08-12, as of 2026-08-01) × live price" in price
        figures = app.screen.query_one("#figures", LineTable)
        assert figures.get_row("shares_outstanding")[3].plain == "SEC 10-Q filed 2026-08-12"
        assert figures.border_subtitle == "with SEC filings"


async def test_back_from_a_detail_the_grid_is_on_the_company_it_ended_on(app: NeowatchApp) -> None:
    from watcher.widgets.company_grid import CompanyGrid

    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        await pilot.press("right_square_bracket")  # CRWV → IREN
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(CompanyGrid).selected_symbol == "IREN"


@dataclass
class HeldHistory(FixedProvider):
    """A history that never answers until released; says whether its fetch was cancelled."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    started: int = 0
    cancelled: int = 0

    async def fetch_history(self, symbol, chart_range):  # noqa: ANN001, ANN201
        self.started += 1
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        return await super().fetch_history(symbol, chart_range)


async def test_closing_a_detail_cancels_its_history_fetch(sample_config, clock) -> None:  # noqa: ANN001
    provider = HeldHistory(clock)
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert provider.started == 1 and provider.cancelled == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert provider.cancelled == 1
        await app.workers.wait_for_complete()  # nothing is left waiting for it


async def test_brackets_walk_the_companies_in_the_grids_order(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.main_screen.sort_by("symbol")  # CIFR, CRWV, IREN, NBIS
        await pilot.pause()
        await pilot.press("end", "enter")  # NBIS, the last row
        await settle(app, pilot)
        assert app.screen.symbol == "NBIS"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert app.screen.symbol == "CIFR"  # the next row on screen, round to the first


async def test_the_palettes_open_inside_a_detail_moves_it_rather_than_stacking_another(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        app.open_detail("CIFR")
        await settle(app, pilot)
        assert app.screen.symbol == "CIFR"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_an_open_chart_is_fetched_again_once_its_range_is_old(sample_config, clock) -> None:  # noqa: ANN001
    provider = CountingProvider(clock)
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_crwv(app, pilot)
        assert provider.histories == [("CRWV", ChartRange.ONE_DAY)]
        clock.advance(61)  # a day's 5-minute chart lives 60 s
        app.recompute()
        await settle(app, pilot)
        assert provider.histories == [("CRWV", ChartRange.ONE_DAY)] * 2
        assert app.screen.query_one(PriceChart).history is not None
