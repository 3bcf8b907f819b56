"""A display-only table drawn line by line: a header and rows of styled cells, nothing to select.

Lighter than a DataTable for the panels beside the grid (portfolio, conditions, peers): no
cursor, no per-cell render through Rich, each row drawn straight to segments and kept until
its cells change. Wider than the terminal, it scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from watcher.widgets.table_sync import same_cell

CELL_PADDING = 1
KEPT_ROWS = 200


class LineTable(ScrollView, can_focus=False):
    """Subclasses name their columns and title; the rows come from their `show` (set_rows).

    Nothing in it is chosen, so it never takes the focus (a screen would scroll to it)."""

    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        height: auto;
        & > .line-table--header { text-style: bold; background: $panel; color: $foreground; }
    }
    """
    COMPONENT_CLASSES = {"line-table--header"}
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(key, header) pairs."""
    TITLE: ClassVar[str] = ""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._keys: list[str] = []
        self._cells: dict[str, Sequence[Text]] = {}
        self._version: dict[str, int] = {}
        self._widths = [cell_len(label) for _, label in self.COLUMNS]
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(KEPT_ROWS)
        self._column_keys = [key for key, _ in self.COLUMNS]

    def on_mount(self) -> None:
        self.border_title = self.TITLE

    def set_rows(self, rows: Mapping[str, Sequence[Text]]) -> int:
        """The rows keyed and ordered as `rows`; returns how many were drawn anew."""
        redrawn = 0
        for key, cells in rows.items():
            old = self._cells.get(key)
            if old is None or len(old) != len(cells) or any(not same_cell(a, b) for a, b in zip(old, cells)):
                self._cells[key] = list(cells)
                self._version[key] = self._version.get(key, 0) + 1
                redrawn += 1
        order = list(rows)
        moved = order != self._keys
        if moved:
            for gone in set(self._keys) - set(order):
                self._cells.pop(gone, None)
            self._keys = order
        if redrawn or moved:
            widths = [
                max([cell_len(label)] + [cell_len(self._cells[key][index].plain) for key in self._keys])
                for index, (_, label) in enumerate(self.COLUMNS)
            ]
            if widths != self._widths:
                self._widths = widths
                self._strips.clear()
            total = sum(widths) + 2 * CELL_PADDING * len(widths)
            self.virtual_size = Size(total, len(self._keys) + 1)
            self.refresh(layout=moved)
        return redrawn

    # --- what tests and screens read ----------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def row_keys(self) -> list[str]:
        return list(self._keys)

    def get_cell(self, row: str, column: str) -> Text:
        return self._cells[row][self._column_keys.index(column)]

    def get_row_at(self, index: int) -> list[Text]:
        return list(self._cells[self._keys[index]])

    # --- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            key: tuple[object, ...] = ("header",)
        else:
            index = y - 1 + round(self.scroll_offset.y)
            if index >= len(self._keys):
                return Strip.blank(width, self.rich_style)
            row = self._keys[index]
            key = (row, self._version.get(row, 0))
        strip = self._strips.get(key)
        if strip is None:
            base = self.rich_style
            if y == 0:
                style = base + self.get_component_rich_style("line-table--header")
                cells: Sequence[Text] = [Text(label) for _, label in self.COLUMNS]
            else:
                style, cells = base, self._cells[key[0]]  # type: ignore[index]
            segments: list[Segment] = []
            for cell, cell_width in zip(cells, self._widths):
                segments += cell_segments(cell, cell_width, style)
            strip = Strip(segments)
            self._strips[key] = strip
        scroll_x = round(self.scroll_offset.x)
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, self.rich_style)


def cell_segments(cell: Text, width: int, style: Style, cursor: bool = False) -> list[Segment]:
    """One cell, padded and aligned to `width`: its text in its own style over the row's.

    On a cursor row the cursor's colour wins over the cell's, but a cell's own background (the
    BUY mark) stays.
    """
    own = cell.style if isinstance(cell.style, Style) else Style.parse(cell.style) if cell.style else Style.null()
    if cursor:
        own = Style(bgcolor=own.bgcolor, bold=own.bold)
    pad = Segment(" " * CELL_PADDING, style)
    if cell.spans:
        line = Text(cell.plain, style=cell.style, spans=cell.spans, justify=cell.justify, no_wrap=True, end="")
        line.truncate(width, overflow="ellipsis")
        line.align(cell.justify or "left", width)  # type: ignore[arg-type]
        inner = [Segment(seg.text, style + (seg.style or Style.null())) for seg in line.render(_console())]
        return [pad, *inner, pad]
    text = cell.plain
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    gap = width - cell_len(text)
    if cell.justify == "right":
        text = " " * gap + text
    elif cell.justify == "center":
        text = " " * (gap // 2) + text + " " * (gap - gap // 2)
    else:
        text += " " * gap
    return [pad, Segment(text, style + own), pad]


@cache
def _console():  # noqa: ANN202 - a rich Console, made for the first cell with spans (rare)
    from rich.console import Console

    return Console(width=200, color_system="truecolor", legacy_windows=False)
