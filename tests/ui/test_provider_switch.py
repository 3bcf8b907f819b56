"""Switching `provider` in the file while neowatch runs, and prices on screen before slow day-closes."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from tests.ui.conftest import AS_OF_CLOSES, SAMPLE, Clock, FixedProvider, cell_text, settle
from watcher.app import NeowatchApp, make_app
from watcher.config import Config, load_config
from watcher.domain.quote import QuoteFailure
from watcher.recorder import Recorder
from watcher.store import Store
from watcher.widgets.company_grid import CompanyGrid

SIZE = (160, 50)
REAL = {"CRWV": 128.40, "NBIS": 100.00, "IREN": 40.00, "CIFR": 14.00}
SIMULATED = {"CRWV": 133.68, "NBIS": 101.00, "IREN": 41.00, "CIFR": 15.00}


Source = FixedProvider  # it writes down every day-close asked for


@dataclass
class Sources:
    """What the file's `provider` makes: a simulated demo or a real source, each new every time."""

    clock: Clock
    made: list[Source] = field(default_factory=list)

    def __call__(self, config: Config) -> Source:
        if config.settings.provider[0] == "demo":
            made = Source(self.clock, rounds=[dict(SIMULATED)], closes={s: 1.0 for s in SIMULATED},
                          name="Demo", simulated=True)
        else:
            made = Source(self.clock, rounds=[dict(REAL)])
        self.made.append(made)
        return made


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.toml"
    shutil.copy(SAMPLE, path)
    return path


def use(path: Path, provider: str) -> None:
    text = path.read_text("utf-8")
    for name in ("yahoo", "demo"):
        text = text.replace(f'provider = "{name}"', f'provider = "{provider}"')
    path.write_text(text, "utf-8")


def start(portfolio: Path, provider: str, clock: Clock, store: Store) -> tuple[NeowatchApp, Sources]:
    use(portfolio, provider)
    sources = Sources(clock)
    config = load_config(portfolio)
    app = make_app(config, sources(config), clock=clock, recorder=Recorder(store), provider_factory=sources)
    return app, sources


def recorded(store: Store) -> set[float]:
    return {p for prices in store.recent_prices(list(REAL), 100).values() for p in prices}


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Store:
    opened = Store.open(tmp_path / "history.sqlite", clock)
    yield opened
    opened.close()


async def switch(app: NeowatchApp, pilot, portfolio: Path, provider: str, clock: Clock) -> None:  # noqa: ANN001
    use(portfolio, provider)
    clock.advance(60)
    app.reload_portfolio()
    await settle(app, pilot)


async def test_demo_to_yahoo_asks_the_real_closes_and_records_no_simulated_price(
    portfolio: Path, clock: Clock, store: Store
) -> None:
    app, sources = start(portfolio, "demo", clock, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "price") == "133.68"
        await switch(app, pilot, portfolio, "yahoo", clock)
        yahoo = sources.made[-1]
        assert not yahoo.simulated and app.session.feed.provider is yahoo
        assert cell_text(grid, "CRWV", "price") == "128.40"
        # The real provider's day-closes were asked for after the switch, and scale the caps.
        assert {symbol for symbol, _ in yahoo.closes_asked} == set(AS_OF_CLOSES)
        assert sources.made[0].closed  # the demo was shut
        assert recorded(store) == set(REAL.values())
        # One alert, from the real price.
        assert [(r.symbol, r.value) for r in store.alerts()] == [("CRWV", 128.40)]


async def test_yahoo_to_demo_and_back_fires_no_alert_from_a_simulated_price(
    portfolio: Path, clock: Clock, store: Store
) -> None:
    app, _ = start(portfolio, "yahoo", clock, store)
    titles: list[str] = []
    notify = app.notify

    def spy(message: str, **kwargs: object) -> None:
        titles.append(str(kwargs.get("title", "")))
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert titles.count("BUY CRWV") == 1
        await switch(app, pilot, portfolio, "demo", clock)
        assert "SIMULATED" in str(app.screen.query_one("#title").render())
        await switch(app, pilot, portfolio, "yahoo", clock)
        assert cell_text(app.screen.query_one("#grid", CompanyGrid), "CRWV", "price") == "128.40"
        # The demo's 133.68 did not re-arm CRWV: back at 128.40 nothing fired again.
        assert titles.count("BUY CRWV") == 1
        assert [(r.symbol, r.value) for r in store.alerts()] == [("CRWV", 128.40)]
        assert recorded(store) == set(REAL.values())


@dataclass
class SlowCloses(FixedProvider):
    release: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        self.waiting += 1
        await self.release.wait()
        self.waiting -= 1
        return self.closes[symbol]


async def test_new_prices_are_on_screen_while_the_day_closes_are_still_looked_up(clock: Clock) -> None:
    provider = SlowCloses(clock)
    app = make_app(load_config(SAMPLE), provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):
            await pilot.pause()
            if provider.waiting == 4:
                break
        assert provider.waiting == 4  # every close asked at once, none answered yet
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "price") == "128.40"
        assert "fetching" not in str(app.screen.query_one("#status").render())
        assert cell_text(grid, "CRWV", "method") == "as-of"  # not live until its close is in
        provider.release.set()
        await settle(app, pilot)
        assert cell_text(grid, "CRWV", "method") == "scaled"


async def test_a_switch_during_a_refresh_ends_the_old_one_and_only_the_new_one_counts(
    portfolio: Path, clock: Clock, store: Store
) -> None:
    app, sources = start(portfolio, "yahoo", clock, store)
    first = sources.made[0]
    first.gate = asyncio.Event()  # the real provider's answer never comes
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert first.in_flight == 1 and app.fetching
        use(portfolio, "demo")
        app.reload_portfolio()
        demo = sources.made[-1]
        demo.gate = asyncio.Event()
        await pilot.pause()
        await pilot.pause()
        # The old fetch was cancelled; its end does not pass for the end of the demo's.
        assert first.in_flight == 0 and demo.in_flight == 1
        assert app.fetching
        demo.gate.set()
        await settle(app, pilot)
        assert not app.fetching and demo.calls == 1
        assert cell_text(app.screen.query_one("#grid", CompanyGrid), "CRWV", "price") == "133.68"


async def test_an_open_detail_draws_the_new_providers_chart_after_a_switch(
    portfolio: Path, clock: Clock, store: Store
) -> None:
    from watcher.widgets.price_chart import PriceChart

    app, _ = start(portfolio, "demo", clock, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        assert chart.history is not None and chart.history.points[-1][1] == SIMULATED["CRWV"]
        await switch(app, pilot, portfolio, "yahoo", clock)
        await settle(app, pilot)
        chart = app.screen.query_one(PriceChart)
        assert chart.history is not None and chart.history.points[-1][1] == REAL["CRWV"]
        assert "SIMULATED" not in str(app.screen.query_one("#heading").render())
