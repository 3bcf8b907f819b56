"""A line table with a cursor: keys and clicks move it and keep it in view, Enter or a click
chooses a row, a header click names its column, the mouse marks its row; a moving cursor
draws only the rows it left and reached. And the detail's fundamentals walked with it."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message

from tests.ui.conftest import settle
from watcher.app import NeowatchApp
from watcher.screens.detail import DetailScreen
from watcher.widgets.fundamentals_table import FundamentalsTable
from watcher.widgets.line_table import Column, LineTable

ROWS = 30


class Walked(LineTable):
    DEFAULT_CSS = "Walked { max-height: 8; }"
    COLUMNS = (Column("name", "Name"), Column("value", "Value"), Column("note", "Note"))
    CURSOR = True
    HOVER = True
    ZEBRA = True
    FIXED_COLUMNS = 1


class Shown(LineTable):
    COLUMNS = (Column("name", "Name"),)


def rows(order: list[int] | None = None) -> dict[str, list[Text]]:
    numbers = order if order is not None else list(range(ROWS))
    return {f"r{n}": [Text(f"R{n}"), Text(f"{n}.00", justify="right"), Text("n" * 40)] for n in numbers}


class TwoTables(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield Walked(id="walked")
        yield Shown(id="shown")

    def on_mount(self) -> None:
        self.query_one(Walked).set_rows(rows())
        self.query_one(Shown).set_rows({"x": [Text("x")]})

    def on_line_table_selected(self, message: LineTable.Selected) -> None:
        self.seen.append(message)

    def on_line_table_header_clicked(self, message: LineTable.HeaderClicked) -> None:
        self.seen.append(message)


def text(table: LineTable, y: int) -> str:
    return table.render_line(y).text


async def test_keys_move_the_cursor_and_keep_it_in_view() -> None:
    app = TwoTables()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(Walked)
        await pilot.pause()
        assert app.focused is table  # the only table with something to choose
        in_view = table.scrollable_content_region.height - 1
        await pilot.press("down", "down")
        assert table.selected_key == "r2"
        await pilot.press("end")
        assert table.selected_key == f"r{ROWS - 1}"
        assert f"R{ROWS - 1}" in text(table, in_view)  # the last line shows the last row
        await pilot.press("pageup")
        assert table.cursor_row == ROWS - 1 - in_view
        assert f"R{table.cursor_row} " in text(table, 1)
        await pilot.press("home", "up")
        assert (table.cursor_row, round(table.scroll_offset.y)) == (0, 0)
        await pilot.press("pagedown")
        assert table.cursor_row == in_view


async def test_enter_and_a_click_choose_a_row_and_a_header_click_names_its_column() -> None:
    app = TwoTables()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(Walked)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [(type(m), m.key) for m in app.seen] == [(LineTable.Selected, "r1")]  # type: ignore[attr-defined]
        app.seen.clear()
        await pilot.click("#walked", offset=(2, 1 + 3))  # the header, then the fourth row
        await pilot.pause()
        assert table.cursor_row == 3
        assert [m.key for m in app.seen] == ["r3"]  # type: ignore[attr-defined]
        app.seen.clear()
        await pilot.click("#walked", offset=(10, 0))
        # Scrolled sideways, the fixed Name column stays where it was; the others move on.
        table.scroll_to(x=4, animate=False)
        await pilot.pause()
        await pilot.click("#walked", offset=(1, 0))
        await pilot.click("#walked", offset=(10, 0))
        await pilot.pause()
        assert [m.column for m in app.seen] == ["value", "name", "note"]  # type: ignore[attr-defined]


async def test_a_moving_cursor_draws_only_the_rows_it_left_and_reached() -> None:
    app = TwoTables()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(Walked)
        await pilot.pause()
        on_cursor = table.render_line(1)
        drawn = table.lines_drawn
        await pilot.press("down")
        await pilot.pause()
        assert table.lines_drawn == drawn + 2
        assert table.render_line(1).text == on_cursor.text  # the same words, now off the cursor
        assert table.render_line(1) != on_cursor


async def test_the_cursor_stays_on_its_row_when_the_order_changes() -> None:
    app = TwoTables()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(Walked)
        table.move_cursor(row=5)
        table.set_rows(rows(list(reversed(range(ROWS)))))
        await pilot.pause()
        assert table.selected_key == "r5" and table.cursor_row == ROWS - 1 - 5
        table.set_rows(rows([1, 2]))  # its row went: the cursor stays within the rows
        assert table.cursor_row == 1


async def test_the_mouse_marks_its_row_and_keys_take_the_mark_away() -> None:
    app = TwoTables()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(Walked)
        await pilot.pause()
        plain = table.render_line(4)
        await pilot.hover("#walked", offset=(2, 4))
        await pilot.pause()
        assert table.render_line(4) != plain
        await pilot.press("down")
        await pilot.pause()
        assert table.render_line(4) == plain


async def test_a_table_without_a_cursor_never_takes_the_focus() -> None:
    app = TwoTables()
    async with app.run_test(size=(40, 20)) as pilot:
        shown = app.query_one(Shown)
        assert not shown.can_focus and shown.selected_key is None
        await pilot.press("tab", "tab")
        assert app.focused is app.query_one(Walked)


async def test_the_fundamentals_are_walked_once_focused(app: NeowatchApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        figures = app.screen.query_one(FundamentalsTable)
        assert app.focused is app.screen.query_one("#detail-body", VerticalScroll)  # its page first
        assert figures.border_title == "Fundamentals"
        first = figures.selected_key
        await pilot.press("down")
        assert figures.selected_key == first  # the page had the key
        figures.focus()
        await pilot.pause()
        await pilot.press("down")
        assert figures.cursor_row == 1 and figures.selected_key == figures.row_keys[1]
        await pilot.press("end")
        assert figures.cursor_row == figures.row_count - 1
