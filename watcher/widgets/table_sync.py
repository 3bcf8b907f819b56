"""Bring a DataTable to a wanted state in place: update only the cells that changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

SegmentLines = list[list[Segment]]

Cell = Text | str
REMEASURE_ROWS = 50


def sync_rows(
    table: SyncedTable, wanted: Mapping[str, Sequence[Cell]], unchanged: Collection[str] = ()
) -> int:
    """Rows keyed by `wanted`'s keys, in its order; returns how many cells were written.

    On a refresh the keys are the same, so only changed cells are written; rows named in
    `unchanged` are known to be as shown and are not compared. When the set of rows changes
    (a new portfolio), the table is rebuilt in the wanted order.
    """
    current_keys = [key.value for key in table.rows]
    if current_keys != list(wanted):
        table.clear()
        for key, cells in wanted.items():
            table.add_row(*cells, key=key)
        return sum(len(cells) for cells in wanted.values())
    columns = list(table.columns.items())
    # Re-measuring a column costs a pass over all its rows: a small table may shrink a column
    # back after a long transient text ("no price for NBIS"); a large one only grows.
    small = len(table.rows) <= REMEASURE_ROWS
    changes: list[tuple[RowKey, ColumnKey, Cell, bool]] = []
    for key, cells in wanted.items():
        if key in unchanged:
            continue
        for (column_key, column), old, new in zip(columns, table.get_row(key), cells, strict=False):
            if not same_cell(old, new):
                width = _width(new)
                remeasure = width > column.content_width or (small and width != _width(old))
                changes.append((RowKey(key), column_key, new, remeasure))
    table.update_cells(changes)
    return len(changes)


def _width(cell: object) -> int:
    return cell_len(cell.plain if isinstance(cell, Text) else str(cell))


def same_cell(old: object, new: object) -> bool:
    """Equal as shown: rich's Text compares only text and spans, not its own style (a theme change)."""
    if old is new:
        return True
    if isinstance(old, Text) and isinstance(new, Text):
        # A style written as text and the same style as a Style object count as different:
        # the cell is written once more, never left wrong.
        return (
            old.plain == new.plain
            and old.justify == new.justify
            and old.style == new.style
            and old.spans == new.spans
        )
    return old == new


# Textual's DataTable keeps up to 10,000 rendered cells per table. Ours hold at most a few
# hundred cells, and every refresh renders the changed ones anew, so a full cache is only
# memory that keeps growing for a quarter of an hour (measured: docs/SOAK.md). A tenth of it
# still holds every cell on screen many times over. (LRUCache.maxsize is public; the cache
# attributes are DataTable's own, stable within the pinned Textual minor version.)
CELL_CACHE = 1000
ROW_CACHE = 200


def bound_render_caches(table: DataTable) -> None:
    table._cell_render_cache.maxsize = CELL_CACHE
    table._row_render_cache.maxsize = ROW_CACHE
    table._row_renderable_cache.maxsize = ROW_CACHE
    table._line_cache.maxsize = ROW_CACHE

KEPT_CELLS = 2000
"""Rendered cells kept by a SyncedTable: every cell on screen, a few times over."""


class SyncedTable(DataTable):
    """A DataTable brought up to date by sync_rows, that renders again only the cells written.

    Textual's DataTable keys its rendered cells by a count of all updates, so writing one cell
    renders every visible cell again: for a screenful of a large grid, about 40 ms. This one
    keeps each rendered cell with the cell object it came from, and uses it while that object
    is still the one in the table (sync_rows writes a new object only into a changed cell) and
    its place, width, style, cursor and hover are the same. The keyed-by-count caches are
    DataTable's own, stable within the pinned Textual minor version; the snapshot tests would
    show a cell drawn wrong.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before DataTable's own set-up, whose watchers already clear the caches.
        self._kept_cells: LRUCache[tuple[object, ...], tuple[object, SegmentLines]] = LRUCache(KEPT_CELLS)
        super().__init__(*args, **kwargs)
        bound_render_caches(self)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0:  # the header and row labels: as Textual draws them
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell = self._data[row_key][column_key]
        key = (row_key, column_key, row_index, column_index, base_style, width, cursor, hover,
               self._show_hover_cursor, self._pseudo_class_state)
        kept = self._kept_cells.get(key)
        if kept is not None and kept[0] is cell:
            return kept[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._kept_cells[key] = (cell, lines)
        return lines

    def update_cells(self, changes: Sequence[tuple[RowKey, ColumnKey, Cell, bool]]) -> None:
        """What update_cell does for each (row, column, value, update_width), with one refresh of
        the table instead of one per cell (a 500-row refresh writes over a thousand cells)."""
        if not changes:
            return
        for row_key, column_key, value, update_width in changes:
            self._data[row_key][column_key] = value
            if update_width:
                self._updated_cells.add(CellKey(row_key, column_key))
                self._require_update_dimensions = True
        self._update_count += 1
        self.refresh()

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._kept_cells.clear()

    def notify_style_update(self) -> None:
        self._kept_cells.clear()
        super().notify_style_update()
