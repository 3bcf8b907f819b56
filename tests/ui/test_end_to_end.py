"""The whole app against a loopback server answering like Yahoo, the quote cache and the demo."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.loopback import LoopbackServer, Reply, yahoo_chart_body
from tests.ui.conftest import NOW, FixedProvider, cell_text, quote, settle
from watcher.app import make_app
from watcher.config import Config
from watcher.quotes.cache import QuoteCache
from watcher.startup import make_provider
from watcher.widgets.company_grid import CompanyGrid
from watcher.widgets.line_table import LineTable
from watcher.widgets.status_line import StatusLine

SIZE = (160, 50)


@pytest.fixture
def yahoo_server() -> LoopbackServer:
    prices = {"CRWV": (128.40, 130.0), "NBIS": (100.0, 98.0), "IREN": (40.0, 41.0)}
    with LoopbackServer() as server:
        for symbol, (price, previous) in prices.items():
            body = yahoo_chart_body(symbol, price, previous_close=previous)
            server.route_chart(symbol, Reply(200, {"Content-Type": "application/json"}, body))
        server.route_chart("CIFR", Reply(429, {"Retry-After": "40"}, b"Too Many Requests"))
        yield server


async def test_yahoo_over_http_end_to_end(
    sample_config: Config, yahoo_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", yahoo_server.base_url)
    app = make_app(sample_config, make_provider(sample_config, demo=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "price") == "128.40"
        assert cell_text(grid, "NBIS", "price") == "100.00"
        assert cell_text(grid, "CRWV", "signal").strip() == "BUY"
        assert cell_text(grid, "CIFR", "price") == "—"
        panel = app.screen.query_one("#portfolio", LineTable)
        assert cell_text(panel, "pos:NBIS", "weight") == "9.0 %"
        status = str(app.screen.query_one(StatusLine).render())
        assert "CIFR: rate-limited by Yahoo" in status
    asked = {request.path for request in yahoo_server.requests}
    assert "/v8/finance/chart/CRWV" in asked


async def test_cached_prices_paint_before_the_first_fetch_and_say_their_age(
    sample_config: Config, clock, tmp_path: Path  # noqa: ANN001
) -> None:
    cache = QuoteCache(tmp_path / "quotes.json")
    an_hour_ago = NOW - timedelta(hours=1)
    cache.save({"CRWV": quote("CRWV", 131.0, an_hour_ago)}, {"CRWV": {"2025-09-24": 133.0}})
    provider = FixedProvider(clock, gate=asyncio.Event())
    app = make_app(sample_config, provider, cache=cache, clock=clock, local_tz=UTC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert provider.in_flight == 1
        assert cell_text(grid, "CRWV", "price") == "131.00"
        assert cell_text(grid, "CRWV", "age") == "STALE 1h"
        assert "fetching" in str(app.screen.query_one(StatusLine).render())
        provider.gate.set()
        await settle(app, pilot)
        assert cell_text(grid, "CRWV", "price") == "128.40"
        assert cell_text(grid, "CRWV", "age") == "0s"
    # What was fetched is what the next start paints.
    quotes, closes, warning = cache.load()
    assert quotes["CRWV"].price == 128.40 and warning is None
    assert closes["CRWV"]["2025-09-24"] == 133.0


async def test_the_first_frame_hook_runs_once_with_the_cached_prices_on_screen(
    sample_config: Config, clock, tmp_path: Path  # noqa: ANN001
) -> None:
    cache = QuoteCache(tmp_path / "quotes.json")
    cache.save({"CRWV": quote("CRWV", 131.0, NOW)}, {})
    provider = FixedProvider(clock, gate=asyncio.Event())
    seen: list[tuple[str, bool]] = []

    def first_frame() -> None:
        grid = app.screen.query_one("#grid", CompanyGrid)
        seen.append((cell_text(grid, "CRWV", "price"), grid.region.width > 0))  # laid out: painted

    app = make_app(sample_config, provider, cache=cache, clock=clock, after_first_frame=first_frame)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider.gate.set()
        await settle(app, pilot)
        app.recompute()
        await pilot.pause()
    assert seen == [("131.00", True)]


def test_the_collector_is_off_until_the_first_frame(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import gc

    from watcher import __main__ as command

    states: dict[str, bool] = {}

    class Recorded:
        return_code = 0

        def __init__(self, after_first_frame, **_: object) -> None:  # noqa: ANN001
            self.after_first_frame = after_first_frame

        def run(self) -> None:
            states["while starting"] = gc.isenabled()
            self.after_first_frame()
            states["after the first frame"] = gc.isenabled()
            # What start-up left alive is out of the collector's sight from then on.
            states["start-up frozen"] = gc.get_freeze_count() > 0
            gc.unfreeze()
            gc.disable()  # as if the app had turned it off again: main gives back what it found

    monkeypatch.setattr("watcher.app.NeowatchApp", lambda session, **kw: Recorded(**kw))
    monkeypatch.setattr(command, "has_terminal", lambda: True)  # under pytest there is none
    portfolio = tmp_path / "portfolio.toml"
    portfolio.write_text("watchlist = [\"CRWV\"]\n", "utf-8")
    assert gc.isenabled()
    assert command.main([str(portfolio), "--demo"]) == 0
    assert states == {"while starting": False, "after the first frame": True, "start-up frozen": True}
    assert gc.isenabled()


async def test_demo_says_simulated_everywhere(sample_config: Config) -> None:
    app = make_app(sample_config, make_provider(sample_config, demo=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "SIMULATED" in str(app.screen.query_one("#title", Static).render())
        assert "SIMULATED" in str(app.screen.query_one(StatusLine).render())
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert all(cell_text(grid, s, "price") != "—" for s in ("CRWV", "NBIS", "IREN", "CIFR"))
        await pilot.press("enter")
        assert "SIMULATED" in str(app.screen.query_one("#heading", Static).render())
