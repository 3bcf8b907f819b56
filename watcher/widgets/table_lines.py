"""The drawing half of the line table: rows of cells in, lines of styled segments out.

Each row is drawn straight to segments once and kept under its version until its cells read
differently, so a refresh of hundreds of rows formats and draws only the rows that changed.
(A DataTable renders every visible cell again through Rich after any write: for 500 rows that
alone was over half the 50 ms a refresh may take.) The header stays while the rows scroll;
fixed leading columns stay while the others scroll sideways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from watcher.widgets.cell_draw import CELL_PADDING, cell_segments
from watcher.widgets.keyed_rows import KeyedRows


class Column(NamedTuple):
    key: str
    header: str
    width: int | None = None
    """A fixed width, for text that changes length (an age): the columns after it never shift."""


LineKey = tuple[str | None, int, bool, bool, bool, bool]
"""What a drawn line depends on: its row (None: the header), the row's version, and whether it
is striped, under the cursor, under the mouse, and whether the table has the focus."""


class TableLines(ScrollView):
    """Rows of cells by key under a header, drawn line by line and kept; LineTable adds the keys,
    the mouse and the look (its CSS and component classes)."""

    COLUMNS: ClassVar[Sequence[Column]] = ()
    CURSOR: ClassVar[bool] = False
    """A row cursor, moved by keys and clicks. A table without one never takes the focus: nothing
    in it is chosen, and a screen would scroll to it."""
    HOVER: ClassVar[bool] = False
    """The row under the mouse is marked."""
    ZEBRA: ClassVar[bool] = False
    """Every second row is striped."""
    FIRST_STRIPE: ClassVar[int] = 1
    """The index of the first striped row: the second, unless a table keeps another look."""
    FIXED_COLUMNS: ClassVar[int] = 0
    """Leading columns that stay while the others scroll sideways."""
    KEPT_LINES: ClassVar[int] = 200
    """Drawn lines kept: a screenful many times over (a row is kept per cursor and stripe state)."""
    REMEASURE_ROWS: ClassVar[int] = 50
    """Above this many rows, columns only grow on a refresh: measuring every row costs a pass
    over thousands of cells, and a column that narrows by a cell for a moment helps nobody."""

    cursor_row: reactive[int] = reactive(0, repaint=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows = KeyedRows()
        self._keys = [column.key for column in self.COLUMNS]
        self._widths = [max(cell_len(column.header), column.width or 0) for column in self.COLUMNS]
        self._lines: LRUCache[LineKey, tuple[Strip, Strip]] = LRUCache(self.KEPT_LINES)
        """Drawn lines, each as its fixed part and its part that scrolls sideways."""
        self._hover_row = -1
        self.lines_drawn = 0
        """How many lines were drawn anew rather than taken as kept."""

    # --- rows in ------------------------------------------------------------------------

    def set_rows(self, rows: Mapping[str, Sequence[Text]]) -> int:
        """The rows keyed and ordered as `rows`; returns how many read differently and so are drawn anew."""
        return self.update_rows(list(rows), rows)

    def update_rows(self, order: Sequence[str], changed: Mapping[str, Sequence[Text]]) -> int:
        """The rows in `order`, with new cells for those in `changed` (every row new to the table
        among them); the others are as before and are not compared. The cursor stays on its
        row when the order changes. Returns how many rows read differently."""
        selected = self.selected_key
        for key, cells in changed.items():
            if len(cells) != len(self.COLUMNS):
                raise ValueError(f"row {key!r} has {len(cells)} cells for {len(self.COLUMNS)} columns")
        redrawn = [key for key, cells in changed.items() if self._rows.put(key, cells)]
        moved = self._rows.arrange(order)
        if moved or len(self._rows.order) <= self.REMEASURE_ROWS:
            resized = self._measure(self._rows.order, grow_only=False) if (redrawn or moved) else False
        else:
            resized = self._measure(redrawn, grow_only=True)
        if self.CURSOR:
            if selected in self._rows.cells:
                self.cursor_row = self._rows.index(selected)
            else:
                self.cursor_row = min(self.cursor_row, max(len(self._rows.order) - 1, 0))
        if redrawn or moved or resized:
            self.refresh(layout=moved)  # more or fewer rows: an auto height follows
        return len(redrawn)

    # --- what screens and tests read ----------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows.order)

    @property
    def row_keys(self) -> list[str]:
        """The rows' keys in the order shown."""
        return list(self._rows.order)

    def get_cell(self, row: str, column: str) -> Text:
        """The cell of the row keyed `row` in the column keyed `column`."""
        return self._rows.cells[row][self._keys.index(column)]

    def get_row(self, row: str) -> list[Text]:
        return list(self._rows.cells[row])

    def get_row_at(self, index: int) -> list[Text]:
        return self.get_row(self._rows.order[index])

    def get_row_index(self, row: str) -> int:
        return self._rows.index(row)

    def column_width(self, column: str) -> int:
        """The width of a column's content, without its padding."""
        return self._widths[self._keys.index(column)]

    @property
    def selected_key(self) -> str | None:
        """The key of the cursor's row; None without a cursor or rows."""
        if not self.CURSOR or not self._rows.order:
            return None
        return self._rows.order[min(self.cursor_row, len(self._rows.order) - 1)]

    @property
    def kept_lines(self) -> int:
        """How many drawn lines are kept now: never more than `kept_lines_limit`."""
        return len(self._lines)

    @property
    def kept_lines_limit(self) -> int:
        return self._lines.maxsize

    # --- measuring and drawing ----------------------------------------------------------

    def _measure(self, keys: Sequence[str], grow_only: bool) -> bool:
        """Each column as wide as its widest cell among `keys`' rows (or its fixed width), never
        narrower than now if `grow_only`; and the virtual size. True when a width changed."""
        widths = []
        for index, column in enumerate(self.COLUMNS):
            if column.width is not None:
                widths.append(max(column.width, cell_len(column.header)))
                continue
            widest = self._widths[index] if grow_only else cell_len(column.header)
            for key in keys:
                widest = max(widest, self._rows.cells[key][index].cell_len)
            widths.append(widest)
        resized = widths != self._widths
        if resized:
            self._widths = widths
            self._lines.clear()
        total = sum(widths) + 2 * CELL_PADDING * len(widths)
        self.virtual_size = Size(total, len(self._rows.order) + 1)
        return resized

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme change: every line in the new colours

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            key: LineKey = (None, 0, False, False, False, self.has_focus)
        else:
            index = y - 1 + round(self.scroll_offset.y)
            if index >= len(self._rows.order):
                return Strip.blank(width, self.rich_style)
            row = self._rows.order[index]
            key = (
                row,
                self._rows.version[row],
                self.ZEBRA and index % 2 == self.FIRST_STRIPE % 2,
                self.CURSOR and index == self.cursor_row,
                self.HOVER and index == self._hover_row,
                self.has_focus,
            )
        parts = self._lines.get(key)
        if parts is None:
            parts = self._draw(key)
            self._lines[key] = parts
        fixed, rest = parts
        scroll_x = round(self.scroll_offset.x)
        rest = rest.crop(scroll_x, scroll_x + max(0, width - fixed.cell_length))
        return Strip.join([fixed, rest]).adjust_cell_length(width, self.rich_style)

    def _draw(self, key: LineKey) -> tuple[Strip, Strip]:
        """A row (or the header) as its fixed part and its part that scrolls sideways."""
        self.lines_drawn += 1
        row, _, striped, cursor, hover, _ = key
        style = self.rich_style
        if row is None:
            style += self.get_component_rich_style("line-table--header")
            cells: Sequence[Text] = [Text(column.header) for column in self.COLUMNS]
            fixed_style = style
        else:
            if striped:
                style += self.get_component_rich_style("line-table--even-row")
            fixed_style = style + self.get_component_rich_style("line-table--fixed")
            if hover:
                style += self.get_component_rich_style("line-table--hover")
                fixed_style = style
            if cursor:
                style += self.get_component_rich_style("line-table--cursor")
                fixed_style = style
            cells = self._rows.cells[row]
        split = self.FIXED_COLUMNS
        return (
            self._strip(cells[:split], self._widths[:split], fixed_style, cursor),
            self._strip(cells[split:], self._widths[split:], style, cursor),
        )

    @staticmethod
    def _strip(cells: Sequence[Text], widths: Sequence[int], style: Style, cursor: bool) -> Strip:
        segments: list[Segment] = []
        for cell, width in zip(cells, widths, strict=True):
            segments += cell_segments(cell, width, style, cursor)
        return Strip(segments)
