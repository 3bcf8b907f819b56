"""The comparison grid: one row per company, the analysis' fundamentals beside live quotes.

Drawn line by line (Textual's line API) rather than by a DataTable: a refresh of hundreds of
companies formats only the rows that changed and draws only the changed rows on screen, each
cell straight to one styled segment. (DataTable renders every visible cell again through Rich
after any write: for 500 rows that alone was over half the 50 ms a refresh may take.)"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from watcher import format as fmt
from watcher.domain.fundamentals import Company
from watcher.domain.overview import CompanyRow
from watcher.domain.valuation import CapMethod
from watcher.text import clean_text
from watcher.widgets.cells import MUTED, Colours, colours, inert, plain, right, signed
from watcher.widgets.line_table import CELL_PADDING, KeyedRows, cell_segments
from watcher.widgets.table_sync import REMEASURE_ROWS

# (key, header, fixed width or None). BUY comes second so a narrow terminal still shows it;
# columns whose text changes length (age, method) have a fixed width so nothing shifts.
# Eleven prices of the recent path: with the other columns, the grid fits 160 columns.
TREND_WIDTH = 11
COLUMNS = (
    ("symbol", "Symbol", None),
    ("signal", "Buy", 5),
    ("name", "Name", 13),
    ("price", "Price", None),
    ("day", "Day", 7),
    ("trend", "Trend", TREND_WIDTH),
    ("age", "Age", 9),  # "STALE 59s"
    ("mcap", "Mcap", None),
    ("method", "Mcap from", 12),
    ("ratio", "×ARR", None),
    ("arr", "ARR 25e", None),
    ("power_now", "Pwr now", None),
    ("power_2026", "Pwr 26e", None),
    ("pue", "PUE", None),
    ("power_price", "¢/kWh", None),
    ("clustermax", "ClusterMAX", 12),
)


def _number(company: Company | None, key: str) -> float | None:
    return company.number(key) if company else None


def _method(row: CompanyRow) -> Text:
    cap = row.market_cap
    if cap is None:
        return plain(fmt.DASH)
    if cap.method is CapMethod.SHARES_X_PRICE:
        return Text("shares×price")
    if cap.method is CapMethod.SCALED:
        return Text("scaled")
    return Text("as-of", style=colours().stale)


OLD_MARK = "*"


def _figure(row: CompanyRow, key: str, shown: str | None, left: bool = False) -> Text:
    """A fundamental; one older than the threshold carries a * (explained above the grid)."""
    shown = shown or fmt.DASH
    if shown == fmt.DASH:
        return plain(fmt.DASH)
    old = key in row.old_figures
    text = Text(shown + (OLD_MARK if old else " "), style=colours().stale if old else "")
    if not left:
        text.justify = "right"
    return text


def _trend(row: CompanyRow) -> Text:
    line = fmt.sparkline(list(row.recent), width=TREND_WIDTH)
    if not line:
        return Text("")
    rising = row.recent[-1] >= row.recent[0]
    return Text(line, style=colours().gain if rising else colours().loss)


def _age(row: CompanyRow) -> Text:
    if row.quote is None or row.age is None:
        return Text("no price", style=colours().stale if row.failure else MUTED)
    if row.stale:
        return Text(f"STALE {fmt.short_age(row.age)}", style=colours().stale)
    return Text(fmt.short_age(row.age), style=MUTED)


def row_cells(row: CompanyRow) -> list[Text]:
    company = row.company
    quote = row.quote
    name = company.name if company else (quote.name if quote else None)
    change = quote.day_change_pct if quote else None
    rating = company.figure("clustermax") if company else None
    price_style = colours().stale if row.stale else "bold"
    return [
        Text(row.symbol, style="bold"),
        Text(" BUY ", style=colours().buy) if row.buy else Text(""),
        inert(name, 13),
        right(fmt.price(quote.price) if quote else fmt.DASH, price_style if quote else MUTED),
        signed(change, fmt.signed_pct(change)),
        _trend(row),
        _age(row),
        plain(fmt.big_money(row.market_cap.value if row.market_cap else None)),
        _method(row),
        _figure(row, "arr_end_2025", fmt.ratio(row.mcap_to_arr)),
        _figure(row, "arr_end_2025", fmt.big_money(_number(company, "arr_end_2025"))),
        _figure(row, "power_now_mw", fmt.power_mw(_number(company, "power_now_mw"))),
        _figure(row, "power_end_2026_mw", fmt.power_mw(_number(company, "power_end_2026_mw"))),
        _figure(row, "pue", f"{v:.2f}" if (v := _number(company, "pue")) else fmt.DASH),
        _figure(row, "power_price_cents_kwh", f"{v:.1f}" if (v := _number(company, "power_price_cents_kwh")) else fmt.DASH),
        _figure(row, "clustermax", clean_text(rating.value, 11) if rating and isinstance(rating.value, str) else fmt.DASH, left=True),
    ]


KEPT_STRIPS = 600
"""Drawn rows kept: a screenful many times over (each row is kept per cursor and stripe state)."""


class CompanyGrid(ScrollView, can_focus=True):
    """Rows keyed by symbol, a header that stays while the rows scroll, the symbol column fixed
    while the others scroll sideways; a refresh rewrites only the rows that changed."""

    DEFAULT_CSS = """
    CompanyGrid {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 24;
        scrollbar-size-vertical: 1;  /* one column, not two: the last grid column stays whole at 160 */
        &:focus { background-tint: $foreground 5%; }
        & > .company-grid--header { text-style: bold; background: $panel; color: $foreground; }
        & > .company-grid--fixed { background: $secondary-muted; color: $foreground; }
        & > .company-grid--even-row { background: $surface-lighten-1 50%; }
        &:dark > .company-grid--even-row { background: $surface-darken-1 40%; }
        & > .company-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .company-grid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {
        "company-grid--header",
        "company-grid--fixed",
        "company-grid--even-row",
        "company-grid--cursor",
    }
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Detail", show=False),
    ]

    class Selected(Message):
        """A company was chosen (Enter, or a click on its row)."""

        def __init__(self, grid: CompanyGrid, symbol: str) -> None:
            super().__init__()
            self.grid = grid
            self.symbol = symbol

    class HeaderClicked(Message):
        """A column's header was clicked: the screen sorts by it."""

        def __init__(self, grid: CompanyGrid, column: str) -> None:
            super().__init__()
            self.grid = grid
            self.column = column

    cursor_row: reactive[int] = reactive(0, repaint=False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rows = KeyedRows()
        self._shown: dict[str, CompanyRow] = {}
        self._shown_in: Colours | None = None
        self._widths = [max(cell_len(label), width or 0) for _, label, width in COLUMNS]
        self._strips: LRUCache[tuple[object, ...], tuple[Strip, Strip]] = LRUCache(KEPT_STRIPS)
        """Drawn rows, each as its fixed part and its scrolling part."""

    # --- what the app asks --------------------------------------------------------------

    def show(self, rows: list[CompanyRow]) -> int:
        """Rows in the order given; the cursor stays on its company when the order changes.

        A company whose row is as last shown (same figures, same colours) is neither formatted
        nor compared; a row whose cells all read as before is not redrawn. Returns how many
        rows are redrawn.
        """
        selected = self.selected_symbol
        palette = colours()
        if palette != self._shown_in:
            self._shown, self._shown_in = {}, palette
        redrawn: list[str] = []
        for row in rows:
            if self._shown.get(row.symbol) == row and row.symbol in self._rows.cells:
                continue  # as last shown: neither formatted nor compared
            if self._rows.put(row.symbol, row_cells(row)):
                redrawn.append(row.symbol)
        self._shown = {row.symbol: row for row in rows}
        moved = self._rows.arrange([row.symbol for row in rows])
        # A large grid's columns only grow on a refresh: measuring every row costs a pass over
        # thousands of cells, and a column that narrows by a cell for a moment helps nobody.
        if moved or len(self._rows.order) <= REMEASURE_ROWS:
            resized = self._measure(self._rows.order, grow_only=False) if (redrawn or moved) else False
        else:
            resized = self._measure(redrawn, grow_only=True)
        if selected in self._rows.cells:
            self.cursor_row = self._rows.order.index(selected)
        else:
            self.cursor_row = min(self.cursor_row, max(len(self._rows.order) - 1, 0))
        if redrawn or moved or resized:
            self.refresh(layout=moved)  # more or fewer rows: the grid's height follows
        return len(redrawn)

    @property
    def symbols(self) -> list[str]:
        """The companies in the order shown."""
        return list(self._rows.order)

    @property
    def row_count(self) -> int:
        return len(self._rows.order)

    @property
    def selected_symbol(self) -> str | None:
        if not self._rows.order:
            return None
        return self._rows.order[min(self.cursor_row, len(self._rows.order) - 1)]

    def get_cell(self, symbol: str, column: str) -> Text:
        """The cell of `symbol`'s row in the column keyed `column`."""
        return self._rows.cells[symbol][COLUMN_KEYS.index(column)]

    def get_row_index(self, symbol: str) -> int:
        return self._rows.order.index(symbol)

    def column_width(self, column: str) -> int:
        """The width of a column's content, without its padding."""
        return self._widths[COLUMN_KEYS.index(column)]

    def move_cursor(self, row: int) -> None:
        if self._rows.order:
            self.cursor_row = max(0, min(row, len(self._rows.order) - 1))

    # --- keys and mouse ---------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._rows_in_view())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._rows_in_view())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._rows.order) - 1)

    def action_select(self) -> None:
        symbol = self.selected_symbol
        if symbol:
            self.post_message(self.Selected(self, symbol))

    def on_click(self, event: events.Click) -> None:
        at = event.get_content_offset(self)
        if at is None:  # the border or a scrollbar
            return
        if at.y == 0:
            column = self._column_at(at.x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        row = at.y - 1 + round(self.scroll_offset.y)
        if 0 <= row < len(self._rows.order):
            self.move_cursor(row)
            self.action_select()

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = round(self.scroll_offset.y)
        in_view = self._rows_in_view()
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + in_view:
            self.scroll_to(y=new - in_view + 1, animate=False)
        self.refresh()

    def _rows_in_view(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _column_at(self, x: int) -> str | None:
        fixed = self._widths[0] + 2 * CELL_PADDING
        if x < fixed:
            return COLUMN_KEYS[0]
        x += round(self.scroll_offset.x)
        left = fixed
        for key, width in zip(COLUMN_KEYS[1:], self._widths[1:]):
            left += width + 2 * CELL_PADDING
            if x < left:
                return key
        return None

    # --- drawing ------------------------------------------------------------------------

    def _measure(self, symbols: list[str], grow_only: bool) -> bool:
        """Each column as wide as its widest cell among `symbols`' (or its fixed width), never
        narrower than now if `grow_only`; and the virtual size. True when a width changed."""
        widths = []
        for index, (_, label, fixed) in enumerate(COLUMNS):
            if fixed is not None:
                widths.append(fixed)
                continue
            widest = self._widths[index] if grow_only else cell_len(label)
            for symbol in symbols:
                widest = max(widest, cell_len(self._rows.cells[symbol][index].plain))
            widths.append(widest)
        resized = widths != self._widths
        if resized:
            self._widths = widths
            self._strips.clear()
        total = sum(widths) + 2 * CELL_PADDING * len(widths)
        self.virtual_size = Size(total, len(self._rows.order) + 1)
        return resized

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        fixed_width = self._widths[0] + 2 * CELL_PADDING
        scroll_x = round(self.scroll_offset.x)
        width = self.scrollable_content_region.width
        if y == 0:
            key: tuple[object, ...] = ("header", self.has_focus)
            symbol = None
        else:
            index = y - 1 + round(self.scroll_offset.y)
            if index >= len(self._rows.order):
                return Strip.blank(width, self.rich_style)
            symbol = self._rows.order[index]
            key = (symbol, self._rows.version[symbol], index % 2, index == self.cursor_row, self.has_focus)
        parts = self._strips.get(key)
        if parts is None:
            parts = self._draw(symbol, key)
            self._strips[key] = parts
        fixed, rest = parts
        return Strip.join([fixed, rest.crop(scroll_x, scroll_x + max(0, width - fixed_width))]).adjust_cell_length(
            width, self.rich_style
        )

    def _draw(self, symbol: str | None, key: tuple[object, ...]) -> tuple[Strip, Strip]:
        """A row (or the header) as its fixed part and its scrolling part."""
        base = self.rich_style
        if symbol is None:
            style = base + self.get_component_rich_style("company-grid--header")
            cells: Sequence[Text] = [Text(label) for _, label, _ in COLUMNS]
            fixed_style = style
        else:
            style = base
            if key[2] == 1:  # an even row
                style += self.get_component_rich_style("company-grid--even-row")
            fixed_style = style + self.get_component_rich_style("company-grid--fixed")
            if key[3]:  # the cursor's row
                style += self.get_component_rich_style("company-grid--cursor")
                fixed_style = style
            cells = self._rows.cells[symbol]
        cursor = symbol is not None and key[3] is True
        fixed = Strip(cell_segments(cells[0], self._widths[0], fixed_style, cursor))
        segments: list[Segment] = []
        for cell, width in zip(cells[1:], self._widths[1:]):
            segments += cell_segments(cell, width, style, cursor)
        return fixed, Strip(segments)


COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
