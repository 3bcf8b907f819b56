"""Bring a DataTable to a wanted state in place: update only the cells that changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

Cell = Text | str
REMEASURE_ROWS = 50


def sync_rows(
    table: DataTable, wanted: Mapping[str, Sequence[Cell]], unchanged: Collection[str] = ()
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
    written = 0
    for key, cells in wanted.items():
        if key in unchanged:
            continue
        for (column_key, column), old, new in zip(columns, table.get_row(key), cells, strict=False):
            if not same_cell(old, new):
                width = _width(new)
                remeasure = width > column.content_width or (small and width != _width(old))
                table.update_cell(key, column_key, new, update_width=remeasure)
                written += 1
    return written


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
