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


class KeyedRows:
    """Rows of cells by key, in order. Each row has a version that changes when its cells read
    differently: the key under which its drawn line is kept."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.cells: dict[str, Sequence[Text]] = {}
        self.version: dict[str, int] = {}
        self._versions = 0

    def put(self, key: str, cells: Sequence[Text]) -> bool:
        """Keep `cells` as `key`'s row; True when they read differently from before."""
        old = self.cells.get(key)
        if old is not None and len(old) == len(cells) and all(same_cell(a, b) for a, b in zip(old, cells)):
            return False
        self.cells[key] = cells
        # One count for all rows: a row that leaves and comes back never meets its old lines.
        self._versions += 1
        self.version[key] = self._versions
        return True

    def arrange(self, order: list[str]) -> bool:
        """The rows in `order`, any other dropped; True when the order changed."""
        if order == self.order:
            return False
        for gone in set(self.order) - set(order):
            self.cells.pop(gone, None)
            self.version.pop(gone, None)
        self.order = order
        return True


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
        self._rows = KeyedRows()
        self._widths = [cell_len(label) for _, label in self.COLUMNS]
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(KEPT_ROWS)
        self._column_keys = [key for key, _ in self.COLUMNS]

    def on_mount(self) -> None:
        self.border_title = self.TITLE

    def set_rows(self, rows: Mapping[str, Sequence[Text]]) -> int:
        """The rows keyed and ordered as `rows`; returns how many were drawn anew."""
        redrawn = sum(self._rows.put(key, cells) for key, cells in rows.items())
        moved = self._rows.arrange(list(rows))
        if redrawn or moved:
            widths = [
                max([cell_len(label)] + [cell_len(self._rows.cells[key][index].plain) for key in self._rows.order])
                for index, (_, label) in enumerate(self.COLUMNS)
            ]
            if widths != self._widths:
                self._widths = widths
                self._strips.clear()
            total = sum(widths) + 2 * CELL_PADDING * len(widths)
            self.virtual_size = Size(total, len(self._rows.order) + 1)
            self.refresh(layout=moved)
        return redrawn

    # --- what tests and screens read ----------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows.order)

    @property
    def row_keys(self) -> list[str]:
        return list(self._rows.order)

    def get_cell(self, row: str, column: str) -> Text:
        return self._rows.cells[row][self._column_keys.index(column)]

    def get_row_at(self, index: int) -> list[Text]:
        return list(self._rows.cells[self._rows.order[index]])

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
            if index >= len(self._rows.order):
                return Strip.blank(width, self.rich_style)
            row = self._rows.order[index]
            key = (row, self._rows.version[row])
        strip = self._strips.get(key)
        if strip is None:
            base = self.rich_style
            if y == 0:
                style = base + self.get_component_rich_style("line-table--header")
                cells: Sequence[Text] = [Text(label) for _, label in self.COLUMNS]
            else:
                style, cells = base, self._rows.cells[row]
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
