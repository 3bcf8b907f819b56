"""Ordering the comparison grid by any column; a row without the figure always goes last."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from watcher.domain.overview import CompanyRow

SortValue = float | str | None


def _number(key: str) -> Callable[[CompanyRow], SortValue]:
    return lambda row: row.company.number(key) if row.company else None


def _text(row: CompanyRow, key: str) -> str | None:
    figure = row.company.figure(key) if row.company else None
    return figure.value if figure and isinstance(figure.value, str) else None


# SemiAnalysis' ClusterMAX tiers, best first. Ascending is by rank, 1st first, as a league table
# reads: Platinum at the top, as "signal" puts the buys at the top. A rating not among these is
# not a rank, so it goes last with the unrated.
CLUSTERMAX_TIERS = ("platinum", "gold", "silver", "bronze", "underperform")


def _clustermax_rank(row: CompanyRow) -> float | None:
    rating = _text(row, "clustermax")
    tier = rating.strip().casefold() if rating else None
    return float(CLUSTERMAX_TIERS.index(tier)) if tier in CLUSTERMAX_TIERS else None


# Column key → how to read its value; the keys are the grid's column keys.
SORT_KEYS: dict[str, Callable[[CompanyRow], SortValue]] = {
    "symbol": lambda row: row.symbol,
    "signal": lambda row: 0.0 if row.buy else 1.0,
    "name": lambda row: (row.company.name if row.company else None) or (row.quote.name if row.quote else None),
    "price": lambda row: row.quote.price if row.quote else None,
    "day": lambda row: row.quote.day_change_pct if row.quote else None,
    "age": lambda row: row.age.total_seconds() if row.age is not None else None,
    "mcap": lambda row: row.market_cap.value if row.market_cap else None,
    "ratio": lambda row: row.mcap_to_arr,
    "arr": _number("arr_end_2025"),
    "power_now": _number("power_now_mw"),
    "power_2026": _number("power_end_2026_mw"),
    "pue": _number("pue"),
    "power_price": _number("power_price_cents_kwh"),
    "clustermax": _clustermax_rank,
}
SORT_ORDER = tuple(SORT_KEYS)


def sort_rows(rows: Sequence[CompanyRow], column: str | None, reverse: bool = False) -> list[CompanyRow]:
    """Rows by `column` (None: as in the file), the missing values last in either direction."""
    if column not in SORT_KEYS:
        return list(rows)
    read = SORT_KEYS[column]
    known = [row for row in rows if read(row) is not None]
    missing = [row for row in rows if read(row) is None]
    known.sort(key=lambda row: (read(row), row.symbol), reverse=reverse)
    return known + missing


def next_sort_column(current: str | None) -> str | None:
    """The column after `current` in the grid's order; after the last, back to the file's order."""
    if current not in SORT_KEYS:
        return SORT_ORDER[0]
    index = SORT_ORDER.index(current)
    return SORT_ORDER[index + 1] if index + 1 < len(SORT_ORDER) else None
