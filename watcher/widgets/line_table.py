"""The one table of the app, drawn line by line: the grid, the panels and the figures are all
this table with their own columns.

Every table has a header that stays while its rows scroll, and scrolls sideways when wider than
its pane. A subclass chooses the rest: a row cursor (and with it the focus, the keys and the
clicks), the row under the mouse marked, zebra stripes, fixed leading columns. How rows are
kept and drawn is in table_lines; this adds the look, the keys and the mouse.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding
from textual.message import Message

from watcher.widgets.cell_draw import CELL_PADDING
from watcher.widgets.table_lines import Column, TableLines

__all__ = ["Column", "LineTable"]


class LineTable(TableLines, can_focus=False):
    """Subclasses name their columns (COLUMNS), title (TITLE) and what the table has (CURSOR,
    HOVER, ZEBRA, FIXED_COLUMNS); the rows come from their `show`, through set_rows."""

    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        height: auto;
        &:focus { background-tint: $foreground 5%; }
        & > .line-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .line-table--fixed { background: $secondary-muted; color: $foreground; }
        & > .line-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .line-table--even-row { background: $surface-darken-1 40%; }
        & > .line-table--hover { background: $block-hover-background; }
        & > .line-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .line-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {
        "line-table--header",
        "line-table--fixed",
        "line-table--even-row",
        "line-table--hover",
        "line-table--cursor",
    }
    # Only a table with a cursor takes the focus, so only it ever sees these keys.
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]


    TITLE: ClassVar[str] = ""
    """The border's title, if any."""

    class Selected(Message):
        """A row was chosen: Enter on the cursor's row, or a click on a row."""

        def __init__(self, table: LineTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LineTable:
            return self.table

    class HeaderClicked(Message):
        """A column's header was clicked (a screen may sort by it)."""

        def __init__(self, table: LineTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> LineTable:
            return self.table

    def __init_subclass__(cls, can_focus: bool | None = None, **kwargs: Any) -> None:
        # A table with a cursor takes the focus, one without never does: set once, by CURSOR.
        super().__init_subclass__(can_focus=cls.CURSOR if can_focus is None else can_focus, **kwargs)

    def on_mount(self) -> None:
        if self.TITLE:
            self.border_title = self.TITLE

    # --- the cursor -----------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """The cursor to the row at index `row`, kept within the rows."""
        if self.CURSOR and self.row_count:
            self.cursor_row = max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = round(self.scroll_offset.y)
        in_view = self._rows_in_view()
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + in_view:
            self.scroll_to(y=new - in_view + 1, animate=False)
        self.refresh()  # the two rows it left and reached are drawn anew, the others are kept

    def _rows_in_view(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _key_moves(self, row: int) -> None:
        self._hover(-1)  # moved by keys: the mouse's mark would only be a second cursor
        self.move_cursor(row)

    def action_cursor_down(self) -> None:
        self._key_moves(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self._key_moves(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self._key_moves(self.cursor_row + self._rows_in_view())

    def action_page_up(self) -> None:
        self._key_moves(self.cursor_row - self._rows_in_view())

    def action_first(self) -> None:
        self._key_moves(0)

    def action_last(self) -> None:
        self._key_moves(self.row_count - 1)

    def action_select(self) -> None:
        key = self.selected_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    # --- the mouse ------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        at = event.get_content_offset(self)
        if at is None:  # the border or a scrollbar
            return
        if at.y == 0:
            column = self._column_at(at.x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        row = self._row_at(at.y)
        if self.CURSOR and row is not None:
            self.move_cursor(row)
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.HOVER:
            at = event.get_content_offset(self)
            row = self._row_at(at.y) if at is not None else None
            self._hover(-1 if row is None else row)

    def on_leave(self, event: events.Leave) -> None:
        self._hover(-1)

    def _hover(self, row: int) -> None:
        if self.HOVER and row != self._hover_row:
            self._hover_row = row
            self.refresh()

    def _row_at(self, y: int) -> int | None:
        """The index of the row at line `y` of the content, None on the header or below the rows."""
        row = y - 1 + round(self.scroll_offset.y)
        return row if y > 0 and 0 <= row < self.row_count else None

    def _column_at(self, x: int) -> str | None:
        """The key of the column at `x` of the content: fixed columns stay, the others scroll."""
        left = 0
        for index, (column, width) in enumerate(zip(self.COLUMNS, self._widths, strict=True)):
            if index == self.FIXED_COLUMNS:
                x += round(self.scroll_offset.x)
            left += width + 2 * CELL_PADDING
            if x < left:
                return column.key
        return None
