"""Themes, remapped keys, the command palette, groups and sorting."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.ui.conftest import SAMPLE, FixedProvider, cell_text, config_from, settle, toasts
from watcher.app import make_app
from watcher.commands import NeowatchCommands
from watcher.config import Config
from watcher.screens.help import KeysScreen
from watcher.screens.main import MainScreen
from watcher.themes import load_themes, theme_from_file
from watcher.widgets.cells import colours
from watcher.widgets.company_grid import CompanyGrid

SIZE = (160, 50)
THEMES = Path(__file__).resolve().parents[2] / "themes"


def grid_order(app) -> list[str]:  # noqa: ANN001
    return app.screen.query_one("#grid", CompanyGrid).symbols


def test_at_least_three_themes_ship_and_load() -> None:
    loaded = load_themes([THEMES])
    assert {"neowatch-dark", "neowatch-light", "neowatch-high-contrast"} <= set(loaded.themes)
    assert loaded.problems == ()
    for theme in loaded.themes.values():
        assert {"gain", "loss", "alert", "stale"} <= set(theme.variables)
        assert theme.variables["gain"] != theme.variables["loss"]


def test_a_broken_theme_file_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('primary = "#112233"\n[variables]\ngain = "#00ff00"\n')
    (tmp_path / "broken.toml").write_text('primary = "not a colour"\n')
    (tmp_path / "garbled.toml").write_text("primary = = \n")
    loaded = load_themes([THEMES, tmp_path])
    assert "mine" in loaded.themes and loaded.themes["mine"].variables["gain"] == "#00ff00"
    assert len(loaded.problems) == 2
    assert any("broken.toml" in p and "not a colour" in p for p in loaded.problems)
    assert any("garbled.toml" in p for p in loaded.problems)
    with pytest.raises(ValueError, match="cannot be read"):
        theme_from_file(tmp_path / "missing.toml")


async def test_a_users_theme_in_the_config_folder_is_offered_and_used(
    sample_config: Config, clock, tmp_path: Path  # noqa: ANN001
) -> None:
    folder = tmp_path / "config" / "neowatch" / "themes"  # XDG_CONFIG_HOME is tmp_path/config here
    folder.mkdir(parents=True)
    (folder / "ocean.toml").write_text('primary = "#0077be"\n[variables]\ngain = "#00aaff"\nloss = "#ff7700"\n')
    (folder / "bad.toml").write_text("primary = 7\n")
    app = make_app(sample_config, FixedProvider(clock), clock=clock, theme_name="ocean")
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "ocean"
        assert colours().gain == "#00aaff"
        assert sum("bad.toml" in message for message in shown) == 1  # reported once


async def test_an_unknown_theme_falls_back_to_the_default_and_says_so(sample_config: Config, clock) -> None:  # noqa: ANN001
    app = make_app(sample_config, FixedProvider(clock), clock=clock, theme_name="no-such-theme")
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "neowatch-dark"
        assert any("no-such-theme" in message for message in shown)


async def test_the_theme_from_the_file_and_its_colours_reach_the_cells(clock, tmp_path: Path) -> None:  # noqa: ANN001
    text = SAMPLE.read_text("utf-8").replace("[settings]", '[settings]\ntheme = "neowatch-high-contrast"', 1)
    app = make_app(config_from(text, tmp_path / "p.toml"), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "neowatch-high-contrast"
        day = app.screen.query_one("#grid", CompanyGrid).get_cell("NBIS", "day")
        assert day.plain == "+2.0 %" and str(day.style).lower() == "#56b4e9"  # gain: blue, and a plus sign
        app.choose_theme("neowatch-light")
        await pilot.pause()
        await pilot.pause()
        day = app.screen.query_one("#grid", CompanyGrid).get_cell("NBIS", "day")
        assert str(day.style).lower() == "#1a7f37"


async def test_a_remapped_key_works_and_the_keys_list_shows_it(clock, tmp_path: Path) -> None:  # noqa: ANN001
    text = SAMPLE.read_text("utf-8") + '\n[keys]\nrefresh = "f5"\nshow_keys = "f1"\n'  # tables go last
    provider = FixedProvider(clock)
    app = make_app(config_from(text, tmp_path / "p.toml"), provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert provider.calls == 1  # r no longer refreshes
        await pilot.press("f5")
        await settle(app, pilot)
        assert provider.calls == 2
        await pilot.press("f1")
        assert isinstance(app.screen, KeysScreen)
        table = app.screen.query_one(DataTable)
        keys = {table.get_row_at(i)[1].plain: table.get_row_at(i)[0].plain for i in range(table.row_count)}
        assert keys["Refresh"] == "f5" and keys["Keys"] == "f1"


def test_an_unknown_key_id_in_the_file_is_an_error(tmp_path: Path) -> None:
    from watcher.config import ConfigError

    with pytest.raises(ConfigError, match="no key has the id 'refrsh'"):
        config_from('[keys]\nrefrsh = "f5"\n', tmp_path / "p.toml")


async def test_the_palette_offers_every_command(sample_config: Config, clock) -> None:  # noqa: ANN001
    app = make_app(sample_config, FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        provider = NeowatchCommands(app.screen)
        names = [name for name, _, _ in provider.commands()]
        for wanted in ("Refresh now", "Open CRWV — CoreWeave", "Theme: neowatch-light", "Alert log", "Feed problems",
                       "Edit portfolio file", "Group: NeoCloud giant", "Sort by price"):
            assert wanted in names
        hits = [hit async for hit in provider.search("open crwv")]
        assert hits and "CRWV" in hits[0].match_display.plain
        dict((n, c) for n, _, c in provider.commands())["Open IREN — IREN (Iris Energy)"]()
        await pilot.pause()
        assert app.screen.symbol == "IREN"


async def test_tab_cycles_the_groups(sample_config: Config, clock) -> None:  # noqa: ANN001
    app = make_app(sample_config, FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert grid_order(app) == ["NBIS", "CRWV", "IREN", "CIFR"]
        await pilot.press("tab")
        assert grid_order(app) == ["NBIS", "CRWV"]  # the analysis' tiers: NeoCloud giants
        await pilot.press("tab")
        assert grid_order(app) == ["IREN", "CIFR"]
        await pilot.press("tab")
        assert grid_order(app) == ["NBIS", "CRWV", "IREN", "CIFR"]


async def test_groups_from_the_file_show_a_company_without_fundamentals_as_dashes(clock, tmp_path: Path) -> None:  # noqa: ANN001
    groups = '\n[groups]\n"Hyperscalers" = ["ORCL", "MSFT"]\n"NeoCloud giants" = ["CRWV", "NBIS"]\n'
    text = SAMPLE.read_text("utf-8") + groups
    rounds = [{"CRWV": 128.4, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0, "ORCL": 200.0, "MSFT": 500.0}]
    app = make_app(config_from(text, tmp_path / "p.toml"), FixedProvider(clock, rounds=rounds), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        assert grid_order(app) == ["ORCL", "MSFT"]
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "ORCL", "price") == "200.00"
        for column in ("mcap", "ratio", "arr", "power_now", "pue"):
            assert cell_text(grid, "ORCL", column) == "—"


async def test_sorting_by_key_and_header_click_is_remembered(sample_config: Config, clock, tmp_path: Path) -> None:  # noqa: ANN001
    state = tmp_path / "state.json"
    app = make_app(sample_config, FixedProvider(clock), clock=clock, state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.main_screen.sort_by("price")
        await pilot.pause()
        assert grid_order(app) == ["CIFR", "IREN", "NBIS", "CRWV"]
        await pilot.press("S")
        assert grid_order(app) == ["CRWV", "NBIS", "IREN", "CIFR"]
        await pilot.click("#grid", offset=(4, 1))  # the Symbol header, inside the border
        await pilot.pause()
        assert app.main_screen.screen_state.sort_column == "symbol"
        assert grid_order(app) == ["CIFR", "CRWV", "IREN", "NBIS"]
    again = make_app(sample_config, FixedProvider(clock), clock=clock, state_path=state)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert grid_order(again) == ["CIFR", "CRWV", "IREN", "NBIS"]
        await pilot.press("s")  # symbol → the next column
        assert again.main_screen.screen_state.sort_column == "signal"
        assert grid_order(again)[0] == "CRWV"  # BUY first


async def test_a_corrupt_state_file_is_set_aside(sample_config: Config, clock, tmp_path: Path) -> None:  # noqa: ANN001
    state = tmp_path / "state.json"
    state.write_text("{not json")
    app = make_app(sample_config, FixedProvider(clock), clock=clock, state_path=state)
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("set aside" in message for message in shown)
    assert (tmp_path / "state.json.corrupt").read_text() == "{not json"


async def test_the_keys_list_gives_each_keys_id_for_remapping(sample_config: Config, clock) -> None:  # noqa: ANN001
    app = make_app(sample_config, FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        ids = {table.get_row_at(i)[1].plain: table.get_row_at(i)[2].plain for i in range(table.row_count)}
        assert ids["Refresh"] == "refresh" and ids["Group"] == "next_group"
        assert "command palette" in ids
        assert [column.label.plain for column in table.columns.values()][2] == "Id (for [keys] in the file)"
