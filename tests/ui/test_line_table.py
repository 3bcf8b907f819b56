"""The panels' table: rows drawn line by line, a changed row drawn again and no other."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from watcher.widgets.line_table import LineTable


class Figures(LineTable):
    COLUMNS = (("name", "Name"), ("value", "Value"))
    TITLE = "Figures"


def rows(**changed: str) -> dict[str, list[Text]]:
    values = {"a": "1.00", "b": "2.00", "c": "3.00", **changed}
    return {key: [Text(key.upper()), Text(value, justify="right")] for key, value in values.items()}


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield Figures(id="figures")

    def on_mount(self) -> None:
        self.query_one(Figures).set_rows(rows())


def text(table: LineTable, y: int) -> str:
    return table.render_line(y).text.rstrip()


async def test_a_changed_row_alone_is_drawn_again_and_columns_follow_their_cells() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(Figures)
        assert table.border_title == "Figures"
        assert [text(table, y) for y in range(4)] == [" Name  Value", " A      1.00", " B      2.00", " C      3.00"]
        assert table.set_rows(rows()) == 0
        assert table.set_rows(rows(b="2.50")) == 1
        cached = len(table._strips)
        await pilot.pause()
        assert len(table._strips) == cached + 1  # one row drawn anew; the others came from the cache
        assert text(table, 2) == " B      2.50"
        # A wider value widens its column for every row; a row that goes away is gone.
        assert table.set_rows({"a": [Text("A"), Text("1,234.00", justify="right")]}) == 1
        await pilot.pause()
        assert [text(table, y) for y in range(2)] == [" Name  Value", " A     1,234.00"]
        assert table.row_count == 1 and table.get_cell("a", "value").plain == "1,234.00"


async def test_a_table_wider_than_its_pane_scrolls_sideways() -> None:
    app = OneTable()
    async with app.run_test(size=(12, 10)) as pilot:
        table = app.query_one(Figures)
        table.set_rows({"a": [Text("A very long name indeed"), Text("1.00")]})
        await pilot.pause()
        assert text(table, 1).startswith(" A very")
        table.scroll_to(x=20, animate=False)
        await pilot.pause()
        assert "1.00" in text(table, 1)
