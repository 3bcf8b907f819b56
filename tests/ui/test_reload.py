"""The portfolio file reloads on save: a valid save applies at once, a bad one keeps the last good view."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.ui.conftest import SAMPLE, FixedProvider, cell_text, settle, toasts
from watcher.app import NeowatchApp, make_app
from watcher.config import load_config
from watcher.widgets.company_grid import CompanyGrid
from watcher.widgets.line_table import LineTable

SIZE = (160, 50)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.toml"
    shutil.copy(SAMPLE, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def buy_on(app: NeowatchApp, symbol: str) -> bool:
    return cell_text(app.screen.query_one("#grid", CompanyGrid), symbol, "signal").strip() == "BUY"


async def test_a_saved_trigger_applies_without_a_restart(portfolio: Path, clock) -> None:  # noqa: ANN001
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert buy_on(app, "CRWV")
        edit(portfolio, "price_below = 133", "price_below = 120")
        # The watcher notices the save by itself; bounded wait, no timing assertion.
        for _ in range(100):
            await pilot.pause(0.05)
            if not buy_on(app, "CRWV"):
                break
        assert not buy_on(app, "CRWV")
        conditions = app.screen.query_one("#conditions", LineTable)
        row = conditions.row_keys[0]
        assert cell_text(conditions, row, "watches") == "price < 120"
        edit(portfolio, "price_below = 120", "price_below = 133")
        app.reload_portfolio()
        await pilot.pause()
        assert buy_on(app, "CRWV")


async def test_a_bad_save_keeps_the_last_good_view_and_shows_the_error(portfolio: Path, clock) -> None:  # noqa: ANN001
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        good = portfolio.read_text("utf-8")
        lines = len(good.splitlines())
        portfolio.write_text(good + "oops = = 1\n", "utf-8")
        app.reload_portfolio()
        await pilot.pause()
        banner = app.screen.query_one("#file-error", Static)
        assert banner.display
        shown = str(banner.render())
        assert f"line {lines + 1}" in shown and str(portfolio) in shown
        assert buy_on(app, "CRWV")  # the last good portfolio is still on screen
        assert cell_text(app.screen.query_one("#portfolio", LineTable), "pos:NBIS", "weight") == "9.0 %"
        portfolio.write_text(good, "utf-8")
        app.reload_portfolio()
        await pilot.pause()
        assert not banner.display
        assert buy_on(app, "CRWV")


async def test_a_new_holding_and_watch_are_fetched_and_weighed(portfolio: Path, clock) -> None:  # noqa: ANN001
    provider = FixedProvider(clock, rounds=[{"CRWV": 128.4, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0, "ORCL": 200.0}])
    app = make_app(load_config(portfolio), provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        edit(portfolio, 'watchlist = ["CRWV", "IREN", "CIFR"]', 'watchlist = ["CRWV", "IREN", "CIFR", "ORCL"]')
        edit(portfolio, "value = 76000", "value = 75000")
        app.reload_portfolio()
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "ORCL", "price") == "200.00"
        assert cell_text(grid, "ORCL", "mcap") == "—"  # no fundamentals: dashes, never 0
        assert cell_text(grid, "ORCL", "ratio") == "—"
        panel = app.screen.query_one("#portfolio", LineTable)
        assert cell_text(panel, "pos:NBIS", "weight") == f"{9000 / 99000 * 100:.1f} %"


async def test_changed_provider_settings_build_a_new_provider(portfolio: Path, clock) -> None:  # noqa: ANN001
    first = FixedProvider(clock)
    built: list[FixedProvider] = []

    def factory(config):  # noqa: ANN001, ANN202
        built.append(FixedProvider(clock, name="Demo", simulated=True))
        return built[-1]

    app = make_app(load_config(portfolio), first, clock=clock, provider_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        edit(portfolio, "refresh_interval = 60", "refresh_interval = 30")
        app.reload_portfolio()
        await settle(app, pilot)
        assert built == []  # the interval is not a provider setting
        edit(portfolio, 'provider = "yahoo"', 'provider = "demo"')
        app.reload_portfolio()
        await settle(app, pilot)
        assert len(built) == 1 and app.session.feed.provider is built[0]
        assert first.closed
        assert built[0].calls >= 1


async def test_e_opens_the_editor_and_reloads_after(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: ANN001
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('price_below = 133', 'price_below = 100'))\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert buy_on(app, "CRWV")
        await pilot.press("e")
        await pilot.pause()
        assert not buy_on(app, "CRWV")
        assert app.session.config.conditions[0].price_below == 100


async def test_e_without_an_editor_says_how_to_set_one(portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any("$VISUAL or $EDITOR" in message for message in shown)
    assert portfolio.read_text("utf-8") == SAMPLE.read_text("utf-8")  # never written by neowatch


async def test_a_save_naming_finnhub_without_a_key_keeps_the_last_good_file(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    from watcher.startup import make_provider

    monkeypatch.delenv("NEOWATCH_FINNHUB_TOKEN", raising=False)
    first = FixedProvider(clock)
    app = make_app(load_config(portfolio), first, clock=clock, provider_factory=lambda c: make_provider(c, False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        edit(portfolio, 'provider = "yahoo"', 'provider = ["yahoo", "finnhub"]')
        app.reload_portfolio()
        await pilot.pause()
        assert app.session.feed.provider is first
        assert app.file_error is not None and "NEOWATCH_FINNHUB_TOKEN" in app.file_error
        assert app.session.config.settings.provider == ("yahoo",)


async def test_a_save_with_a_key_clash_says_so_once(portfolio: Path, clock) -> None:  # noqa: ANN001
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        portfolio.write_text(portfolio.read_text("utf-8") + '\n[keys]\nrefresh = "q"\n', "utf-8")
        app.reload_portfolio()
        await pilot.pause()
        clash = [t for t in shown if "refresh" in t and "q quits" in t]
        assert len(clash) == 1, shown
        # Saved again with the same clash and another change: not said a second time.
        edit(portfolio, "price_below = 133", "price_below = 120")
        app.reload_portfolio()
        await pilot.pause()
        assert len([t for t in shown if "refresh" in t and "q quits" in t]) == 1
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (None, 0)
