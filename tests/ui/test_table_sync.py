"""A synced table writes only the cells that changed, and renders again only those."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tests.ui.conftest import cell_text
from watcher.widgets.table_sync import SyncedTable, sync_rows

ROWS = 30
COLUMNS = ("a", "b", "c")


def wanted(changed: dict[tuple[str, str], str] | None = None) -> dict[str, list[Text]]:
    rows = {}
    for n in range(ROWS):
        key = f"r{n}"
        rows[key] = [Text((changed or {}).get((key, c), f"{c}{n}")) for c in COLUMNS]
    return rows


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield SyncedTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(SyncedTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        sync_rows(table, wanted())


async def test_a_refresh_writes_and_renders_again_only_the_changed_cells(monkeypatch) -> None:  # noqa: ANN001
    rendered: list[tuple[int, int]] = []
    real = DataTable._render_cell

    def counting(self, row_index, column_index, *args, **kwargs):  # noqa: ANN001, ANN202
        if row_index >= 0:
            rendered.append((row_index, column_index))
        return real(self, row_index, column_index, *args, **kwargs)

    app = OneTable()
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(SyncedTable)
        monkeypatch.setattr(DataTable, "_render_cell", counting)
        same_width = {("r3", "b"): "x3", ("r7", "c"): "y7"}
        written = sync_rows(table, wanted(same_width))
        await pilot.pause()
        assert written == 2
        assert (cell_text(table, "r3", "b"), cell_text(table, "r7", "c"), cell_text(table, "r3", "a")) == ("x3", "y7", "a3")
        # Textual's own table would render every visible cell again (over 90 here).
        assert sorted(set(rendered)) == [(3, 1), (7, 2)]
        rendered.clear()
        assert sync_rows(table, wanted(same_width)) == 0
        await pilot.pause()
        assert rendered == []
        # A cell wider than its column widens it: that column is drawn again, the others are not.
        sync_rows(table, wanted({**same_width, ("r7", "c"): "wider"}))
        await pilot.pause()
        assert {row for row, column in rendered if column == 2} == set(range(ROWS))
        assert [cell for cell in rendered if cell[1] == 0] == []
        rendered.clear()
        # The cursor moving to a row draws that row and the one it left, in their new styles.
        await pilot.press("down")
        await pilot.pause()
        assert {row for row, _ in rendered} == {0, 1}
