"""The comparison grid: one row per company, the analysis' fundamentals beside live quotes.

A LineTable with a cursor, zebra stripes and the symbol column fixed. A refresh of hundreds of
companies formats only the companies whose figures changed, and draws only the rows that then
read differently."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from watcher import format as fmt
from watcher.domain.fundamentals import Company
from watcher.domain.market import MarketState
from watcher.domain.overview import CompanyRow
from watcher.domain.valuation import CapMethod
from watcher.text import clean_text
from watcher.widgets.cells import MUTED, Colours, colours, inert, plain, right, signed
from watcher.widgets.line_table import Column, LineTable

# BUY comes second so a narrow terminal still shows it; columns whose text changes length (age,
# market state, method) have a fixed width so nothing shifts. Eight prices of the recent path:
# with the other columns, the grid fits 160 columns. (Each Column unpacks as (key, header, width).)
TREND_WIDTH = 8
COLUMNS = (
    Column("symbol", "Symbol"),
    Column("signal", "Buy", 5),
    Column("name", "Name", 11),
    Column("price", "Price"),
    Column("day", "Day", 7),
    Column("trend", "Trend", TREND_WIDTH),
    Column("age", "Age", 9),  # since the last trade: "STALE 59s", "suspect"
    Column("market", "Mkt", 6),  # "closed"
    Column("mcap", "Mcap"),
    Column("method", "Mcap from", 9),
    Column("ratio", "×ARR"),
    Column("arr", "ARR 25e"),
    Column("power_now", "Pwr now"),
    Column("power_2026", "Pwr 26e"),
    Column("pue", "PUE"),
    Column("power_price", "¢/kWh"),
    Column("clustermax", "ClusterMAX", 12),
)


def _number(company: Company | None, key: str) -> float | None:
    return company.number(key) if company else None


def _method(row: CompanyRow) -> Text:
    cap = row.market_cap
    if cap is None:
        return plain(fmt.DASH)
    if cap.method is CapMethod.SHARES_X_PRICE:
        return Text("shares×px")
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
    """Time since the last trade; "suspect" when its time or a new price is not believed (the
    reason is in the detail), STALE when the feed stopped bringing it."""
    if row.suspect:
        return Text("suspect", style=colours().stale)
    if row.quote is None or row.age is None:
        return Text("no price", style=colours().stale if row.failure else MUTED)
    if row.stale:
        return Text(f"STALE {fmt.short_age(row.age)}", style=colours().stale)
    return Text(fmt.short_age(row.age), style=MUTED)


MARKET_WORDS = {
    MarketState.PRE: "pre",
    MarketState.OPEN: "open",
    MarketState.POST: "post",
    MarketState.CLOSED: "closed",
}


def _market(row: CompanyRow) -> Text:
    """The session the market is in; the dash when the provider gave no sessions."""
    if row.market_state is None:
        return Text(fmt.DASH, style=MUTED)
    return Text(MARKET_WORDS[row.market_state], style="" if row.market_state is MarketState.OPEN else MUTED)


def _decimals(value: float | None, places: int) -> str:
    return f"{value:.{places}f}" if value else fmt.DASH


def _rating(value: object) -> str | None:
    return clean_text(value, 11) if isinstance(value, str) else fmt.DASH


def row_cells(row: CompanyRow) -> list[Text]:
    company = row.company
    quote = row.quote
    name = company.name if company else (quote.name if quote else None)
    change = quote.day_change_pct if quote else None
    rating = company.figure("clustermax") if company else None
    # A suspect row keeps its last good price, marked as not to be relied on.
    price_style = colours().stale if row.stale or row.suspect else "bold"
    return [
        Text(row.symbol, style="bold"),
        Text(" BUY ", style=colours().buy) if row.buy else Text(""),
        inert(name, 13),
        right(fmt.price(quote.price) if quote else fmt.DASH, price_style if quote else MUTED),
        signed(change, fmt.signed_pct(change)),
        _trend(row),
        _age(row),
        _market(row),
        plain(fmt.big_money(row.market_cap.value if row.market_cap else None)),
        _method(row),
        _figure(row, "arr_end_2025", fmt.ratio(row.mcap_to_arr)),
        _figure(row, "arr_end_2025", fmt.big_money(_number(company, "arr_end_2025"))),
        _figure(row, "power_now_mw", fmt.power_mw(_number(company, "power_now_mw"))),
        _figure(row, "power_end_2026_mw", fmt.power_mw(_number(company, "power_end_2026_mw"))),
        _figure(row, "pue", _decimals(_number(company, "pue"), 2)),
        _figure(row, "power_price_cents_kwh", _decimals(_number(company, "power_price_cents_kwh"), 1)),
        _figure(row, "clustermax", _rating(rating.value if rating else None), left=True),
    ]


class CompanyGrid(LineTable):
    """Rows keyed by symbol under a header that stays while they scroll, the symbol column fixed
    while the others scroll sideways, a cursor; a refresh rewrites only the rows that changed."""

    DEFAULT_CSS = """
    CompanyGrid {
        max-height: 24;
        scrollbar-size-vertical: 1;  /* one column, not two: the last grid column stays whole at 160 */
    }
    """
    COLUMNS = COLUMNS
    CURSOR = True
    ZEBRA = True
    FIXED_COLUMNS = 1
    KEPT_LINES = 600

    class Selected(LineTable.Selected):
        """A company was chosen (Enter, or a click on its row)."""

        def __init__(self, grid: CompanyGrid, symbol: str) -> None:
            super().__init__(grid, symbol)
            self.grid = grid
            self.symbol = symbol

    class HeaderClicked(LineTable.HeaderClicked):
        """A column's header was clicked: the screen sorts by it."""

        def __init__(self, grid: CompanyGrid, column: str) -> None:
            super().__init__(grid, column)
            self.grid = grid

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: dict[str, CompanyRow] = {}
        self._shown_in: Colours | None = None

    def show(self, rows: list[CompanyRow]) -> int:
        """Rows in the order given; the cursor stays on its company when the order changes.

        A company whose row is as last shown (same figures, same colours) is neither formatted
        nor compared; a row whose cells all read as before is not redrawn. Returns how many
        rows are redrawn.
        """
        palette = colours()
        if palette != self._shown_in:
            self._shown, self._shown_in = {}, palette
        changed = {
            row.symbol: row_cells(row)
            for row in rows
            if self._shown.get(row.symbol) != row or row.symbol not in self._rows.cells
        }
        self._shown = {row.symbol: row for row in rows}
        return self.update_rows([row.symbol for row in rows], changed)

    @property
    def symbols(self) -> list[str]:
        """The companies in the order shown."""
        return self.row_keys

    @property
    def selected_symbol(self) -> str | None:
        return self.selected_key
