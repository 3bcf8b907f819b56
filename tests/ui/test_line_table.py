"""The line table: rows drawn line by line, a changed row drawn again and no other, a bounded
number of drawn lines kept, sideways scrolling with fixed leading columns."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from watcher.widgets.keyed_rows import KeyedRows
from watcher.widgets.line_table import Column, LineTable


class Figures(LineTable):
    COLUMNS = (Column("name", "Name"), Column("value", "Value"))
    TITLE = "Figures"


def rows(**changed: str) -> dict[str, list[Text]]:
    values = {"a": "1.00", "b": "2.00", "c": "3.00", **changed}
    return {key: [Text(key.upper()), Text(value, justify="right")] for key, value in values.items()}


class OneTable(App[None]):
    def __init__(self, table: LineTable | None = None) -> None:
        super().__init__()
        self.table = table or Figures(id="figures")

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        if isinstance(self.table, Figures):
            self.table.set_rows(rows())


def text(table: LineTable, y: int) -> str:
    return table.render_line(y).text.rstrip()


async def test_a_changed_row_alone_is_drawn_again_and_columns_follow_their_cells() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.table
        assert table.border_title == "Figures"
        assert [text(table, y) for y in range(4)] == [" Name  Value", " A      1.00", " B      2.00", " C      3.00"]
        assert table.set_rows(rows()) == 0
        drawn = table.lines_drawn
        await pilot.pause()
        assert table.lines_drawn == drawn  # nothing changed: every line as kept
        assert table.set_rows(rows(b="2.50")) == 1
        await pilot.pause()
        assert table.lines_drawn == drawn + 1  # one row drawn anew; the others came from the cache
        assert text(table, 2) == " B      2.50"
        # A wider value widens its column for every row; a row that goes away is gone.
        assert table.set_rows({"a": [Text("A"), Text("1,234.00", justify="right")]}) == 1
        await pilot.pause()
        assert [text(table, y) for y in range(2)] == [" Name  Value", " A     1,234.00"]
        assert table.row_count == 1 and table.get_cell("a", "value").plain == "1,234.00"
        assert table.column_width("value") == len("1,234.00")


async def test_a_theme_change_draws_every_line_again_in_its_colours() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.table
        before = table.render_line(1)
        drawn = table.lines_drawn
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert table.lines_drawn >= drawn + 4  # the header and the three rows
        assert table.render_line(1).text == before.text
        assert table.render_line(1) != before


async def test_a_table_wider_than_its_pane_scrolls_sideways() -> None:
    app = OneTable()
    async with app.run_test(size=(12, 10)) as pilot:
        table = app.table
        table.set_rows({"a": [Text("A very long name indeed"), Text("1.00")]})
        await pilot.pause()
        assert text(table, 1).startswith(" A very")
        table.scroll_to(x=20, animate=False)
        await pilot.pause()
        assert "1.00" in text(table, 1)


class Wide(LineTable):
    COLUMNS = (Column("key", "Key"), Column("far", "Far"), Column("age", "Age", 6))
    FIXED_COLUMNS = 1


async def test_fixed_columns_stay_while_the_others_scroll_and_a_fixed_width_holds() -> None:
    app = OneTable(Wide())
    async with app.run_test(size=(20, 10)) as pilot:
        table = app.table
        table.set_rows({"k": [Text("K1"), Text("x" * 30 + "END"), Text("2s")]})
        await pilot.pause()
        assert table.column_width("age") == 6  # not the 2 cells of its text
        table.scroll_to(x=25, animate=False)
        await pilot.pause()
        assert text(table, 0).startswith(" Key ")
        assert text(table, 1).startswith(" K1 ") and "END" in text(table, 1)
        assert "xxxxxxxxxx" not in text(table, 1)[:12]  # the start of the far column went by


class Small(LineTable):
    COLUMNS = (Column("n", "N"),)
    KEPT_LINES = 5


async def test_no_more_drawn_lines_are_kept_than_the_limit() -> None:
    app = OneTable(Small())
    async with app.run_test(size=(20, 8)) as pilot:
        table = app.table
        table.styles.height = 6
        table.set_rows({f"r{n}": [Text(f"row {n}")] for n in range(40)})
        await pilot.pause()
        for y in range(0, 40, 3):
            table.scroll_to(y=y, animate=False)
            await pilot.pause()
            assert table.kept_lines <= table.kept_lines_limit == 5
        assert table.lines_drawn > 5  # more lines were drawn than are kept
        assert text(table, 1) == f" row {round(table.scroll_offset.y)}"


async def test_a_row_must_have_a_cell_per_column() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)):
        with pytest.raises(ValueError):
            app.table.set_rows({"a": [Text("A")]})


def test_keyed_rows_change_a_version_only_when_a_row_reads_differently() -> None:
    kept = KeyedRows()
    assert kept.put("a", [Text("1")]) and kept.put("b", [Text("2")])
    kept.arrange(["a", "b"])
    version = kept.version["a"]
    assert not kept.put("a", [Text("1")])
    assert kept.version["a"] == version
    assert kept.put("a", [Text("1", style="red")])  # the same text in another colour
    assert kept.version["a"] != version
    assert kept.arrange(["b"]) and "a" not in kept.cells
    with pytest.raises(KeyError):
        kept.arrange(["b", "never put"])
