"""The comparison grid: one row per company, the analysis' fundamentals beside live quotes."""

from __future__ import annotations

from rich.text import Text

from watcher import format as fmt
from watcher.domain.fundamentals import Company
from watcher.domain.overview import CompanyRow
from watcher.domain.valuation import CapMethod
from watcher.text import clean_text
from watcher.widgets.cells import MUTED, Colours, colours, inert, plain, right, signed
from watcher.widgets.table_sync import SyncedTable, sync_rows

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


class CompanyGrid(SyncedTable):
    """Rows keyed by symbol; a refresh rewrites only the cells that changed."""

    DEFAULT_CSS = """
    CompanyGrid { height: auto; max-height: 24; }
    """

    def __init__(self, **kwargs: object) -> None:
        # The symbol stays in view when a narrow terminal scrolls the grid sideways.
        super().__init__(cursor_type="row", zebra_stripes=True, fixed_columns=1, **kwargs)  # type: ignore[arg-type]
        self._shown: dict[str, tuple[CompanyRow, list[Text]]] = {}
        """Each company's row as last shown, with its cells, in the colours of `_shown_in`."""
        self._shown_in: Colours | None = None

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    def show(self, rows: list[CompanyRow]) -> int:
        """Rows in the order given; the cursor stays on its company when the order changes.

        A company whose row is as last shown (same figures, same colours) is neither
        formatted nor compared again: a refresh where few prices moved costs little.
        """
        selected = self.selected_symbol
        palette = colours()
        if palette != self._shown_in:
            self._shown, self._shown_in = {}, palette
        wanted: dict[str, list[Text]] = {}
        unchanged: set[str] = set()
        for row in rows:
            shown = self._shown.get(row.symbol)
            if shown is not None and shown[0] == row:
                wanted[row.symbol] = shown[1]
                unchanged.add(row.symbol)
            else:
                wanted[row.symbol] = row_cells(row)
        self._shown = {row.symbol: (row, wanted[row.symbol]) for row in rows}
        written = sync_rows(self, wanted, unchanged)
        if selected and selected in self.rows and self.get_row_index(selected) != self.cursor_row:
            self.move_cursor(row=self.get_row_index(selected))
        return written

    @property
    def selected_symbol(self) -> str | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return key.value
