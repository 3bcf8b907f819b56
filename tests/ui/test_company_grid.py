"""The comparison grid with many companies: keys, mouse, the fixed symbol column, and redrawing
only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import ANALYST_PRICES, FixedProvider, cell_text, config_from, settle
from watcher.app import NeowatchApp, make_app
from watcher.screens.detail import DetailScreen
from watcher.widgets.company_grid import CompanyGrid

MANY = [f"W{n:03d}" for n in range(60)]


@pytest.fixture
def many(clock, tmp_path: Path) -> NeowatchApp:  # noqa: ANN001
    listed = ", ".join(f'"{s}"' for s in ["CRWV", "NBIS", "IREN", "CIFR", *MANY])
    config = config_from(f"watchlist = [{listed}]\n", tmp_path / "p.toml")
    prices = {**ANALYST_PRICES, **{symbol: 10.0 + n for n, symbol in enumerate(MANY)}}
    provider = FixedProvider(clock, rounds=[prices, {**prices, "W007": 99.5}])
    return make_app(config, provider, clock=clock)


def grid_of(app: NeowatchApp) -> CompanyGrid:
    return app.screen.query_one("#grid", CompanyGrid)


def line(grid: CompanyGrid, y: int) -> str:
    return grid.render_line(y).text


async def test_a_refresh_redraws_only_the_rows_that_changed(many: NeowatchApp) -> None:
    async with many.run_test(size=(160, 50)) as pilot:
        await settle(many, pilot)
        grid = grid_of(many)
        grid.move_cursor(row=grid.get_row_index("W010"))  # W007 in view, not under the cursor
        await pilot.pause()
        drawn = grid.lines_drawn
        many.action_refresh()  # W007 moves to 99.50; every other price is as it was
        await settle(many, pilot)
        assert cell_text(grid, "W007", "price") == "99.50"
        assert "99.50" in line(grid, 1 + grid.get_row_index("W007") - round(grid.scroll_offset.y))
        assert grid.lines_drawn == drawn + 1  # W007's row; every other line was kept


async def test_page_keys_home_and_end_keep_the_cursor_in_view(many: NeowatchApp) -> None:
    async with many.run_test(size=(160, 50)) as pilot:
        await settle(many, pilot)
        grid = grid_of(many)
        grid.focus()
        await pilot.press("end")
        assert grid.selected_symbol == "W059"
        assert "W059" in line(grid, grid.scrollable_content_region.height - 1)
        await pilot.press("home")
        assert (grid.cursor_row, round(grid.scroll_offset.y)) == (0, 0)
        await pilot.press("pagedown")
        in_view = grid.scrollable_content_region.height - 1
        assert grid.cursor_row == in_view
        assert grid.selected_symbol in line(grid, in_view - round(grid.scroll_offset.y) + 1)
        await pilot.press("pageup")
        assert grid.cursor_row == 0


async def test_a_click_on_a_row_opens_its_company(many: NeowatchApp) -> None:
    async with many.run_test(size=(160, 50)) as pilot:
        await settle(many, pilot)
        grid = grid_of(many)
        # Inside the border: the header is the first line, IREN the fourth row under it.
        await pilot.click("#grid", offset=(4, 1 + 1 + grid.get_row_index("IREN")))
        await pilot.pause()
        assert isinstance(many.screen, DetailScreen) and many.screen.symbol == "IREN"


async def test_the_symbol_stays_in_view_when_the_grid_scrolls_sideways(many: NeowatchApp) -> None:
    async with many.run_test(size=(70, 40)) as pilot:
        await settle(many, pilot)
        grid = grid_of(many)
        before = line(grid, 1)
        grid.scroll_to(x=40, animate=False)
        await pilot.pause()
        after = line(grid, 1)
        assert before.lstrip().startswith("CRWV") and after.lstrip().startswith("CRWV")
        assert "CoreWeave" in before and "CoreWeave" not in after  # the rest did scroll
        assert line(grid, 0).lstrip().startswith("Symbol")


def test_a_cell_is_padded_aligned_and_cut_to_its_width() -> None:
    from rich.style import Style
    from rich.text import Text

    from watcher.widgets.cell_draw import cell_segments as _cell_segments

    base = Style(bgcolor="black")

    def shown(cell: Text, width: int, cursor: bool = False) -> str:
        return "".join(segment.text for segment in _cell_segments(cell, width, base, cursor))

    assert shown(Text("12.50", justify="right"), 8) == "    12.50 "
    assert shown(Text("CoreWeave Inc."), 9) == " CoreWeav… "
    spanned = Text("up 5 %")
    spanned.stylize("green", 0, 2)
    segments = _cell_segments(spanned, 8, base, False)
    assert "".join(s.text for s in segments) == " up 5 %   "
    assert any(s.style and s.style.color and s.style.color.name == "green" for s in segments)
    # On the cursor row the cursor's colour wins, the BUY mark's background stays.
    buy = _cell_segments(Text(" BUY ", style="bold black on green"), 5, base, True)[1]
    assert buy.style.bgcolor.name == "green" and buy.style.color is None


async def test_in_a_large_grid_a_wider_price_widens_its_column(clock, tmp_path: Path) -> None:  # noqa: ANN001
    listed = ", ".join(f'"{s}"' for s in MANY)
    config = config_from(f"watchlist = [{listed}]\n", tmp_path / "p.toml")
    prices = {symbol: 10.0 for symbol in MANY}
    app = make_app(config, FixedProvider(clock, rounds=[prices, {**prices, "W003": 123456.0}]), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        grid = grid_of(app)
        narrow = grid.column_width("price")
        app.action_refresh()
        await settle(app, pilot)
        # 10 → 123,456 is outside the plausible band: held, the column as it was, until the next
        # read (the last round repeats) confirms it.
        assert grid.column_width("price") == narrow
        clock.advance(60)
        app.action_refresh()
        await settle(app, pilot)
        assert grid.column_width("price") == len("123,456.00") > narrow
        assert "123,456.00" in line(grid, 1 + grid.get_row_index("W003"))


async def test_the_grid_grows_with_its_companies_up_to_its_limit(clock, tmp_path: Path) -> None:  # noqa: ANN001
    from watcher.config import load_config

    path = tmp_path / "p.toml"
    path.write_text('watchlist = ["CRWV", "NBIS"]\n', "utf-8")
    app = make_app(load_config(path), FixedProvider(clock), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        grid = grid_of(app)
        assert grid.size.height == 3  # the header and two rows
        path.write_text('watchlist = ["CRWV", "NBIS", "IREN", "CIFR"]\n', "utf-8")
        app.reload_portfolio()
        await settle(app, pilot)
        assert grid.row_count == 4 and grid.size.height == 5
        listed = ", ".join(f'"{s}"' for s in MANY)
        path.write_text(f"watchlist = [{listed}]\n", "utf-8")
        app.reload_portfolio()
        await settle(app, pilot)
        assert grid.row_count == len(MANY) and grid.outer_size.height == 24  # its limit: the rows scroll


async def test_a_detail_among_many_companies_opens_at_its_top(many: NeowatchApp) -> None:
    from textual.containers import VerticalScroll

    from watcher.widgets.line_table import LineTable

    async with many.run_test(size=(160, 50)) as pilot:
        await settle(many, pilot)
        await pilot.press("end", "enter")  # 64 peers beside it: a long page
        await pilot.pause()
        assert isinstance(many.screen, DetailScreen)
        assert not isinstance(many.focused, LineTable)  # a panel to read never takes the focus
        page = many.screen.query_one("#detail-body", VerticalScroll)
        assert page.scroll_offset.y == 0
        await pilot.press("pagedown")  # the page has the focus: the keys scroll it
        await pilot.pause()
        assert page.scroll_offset.y > 0


async def test_the_sort_order_is_in_the_first_160_columns_of_the_title(many: NeowatchApp) -> None:
    from textual.widgets import Static

    async with many.run_test(size=(160, 50)) as pilot:
        await settle(many, pilot)
        many.main_screen.sort_by("price")
        await pilot.pause()
        title = str(many.screen.query_one("#title", Static).render())
        assert "* figure older than" in title  # the long hint is there too, after it
        assert title.index("sorted by Price ▲") + len("sorted by Price ▲") <= 160
