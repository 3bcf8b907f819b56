"""The protocol every quote source implements, and the price history it can answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Protocol, runtime_checkable

from watcher.domain.quote import QuoteFailure, QuoteResult


class ChartRange(str, Enum):
    """A span of price history; the value is the label the chart shows."""

    ONE_DAY = "1D"
    FIVE_DAYS = "5D"
    ONE_MONTH = "1M"
    SIX_MONTHS = "6M"
    YEAR_TO_DATE = "YTD"
    ONE_YEAR = "1Y"
    FIVE_YEARS = "5Y"

    @property
    def yahoo_range(self) -> str:
        """Yahoo's `range` parameter for this span."""
        return _YAHOO[self][0]

    @property
    def yahoo_interval(self) -> str:
        """Yahoo's `interval` parameter: bars fine enough to draw, few enough to fetch quickly."""
        return _YAHOO[self][1]

    @property
    def intraday(self) -> bool:
        """True when the bars are minutes apart, so the chart labels times rather than dates."""
        return self in (ChartRange.ONE_DAY, ChartRange.FIVE_DAYS)


_YAHOO: dict[ChartRange, tuple[str, str]] = {
    ChartRange.ONE_DAY: ("1d", "5m"),
    ChartRange.FIVE_DAYS: ("5d", "15m"),
    ChartRange.ONE_MONTH: ("1mo", "1d"),
    ChartRange.SIX_MONTHS: ("6mo", "1d"),
    ChartRange.YEAR_TO_DATE: ("ytd", "1d"),
    ChartRange.ONE_YEAR: ("1y", "1d"),
    ChartRange.FIVE_YEARS: ("5y", "1wk"),
}


@dataclass(frozen=True)
class PriceHistory:
    """Closes of one symbol over one range, oldest first, at timezone-aware times."""

    symbol: str
    range: ChartRange
    points: tuple[tuple[datetime, float], ...]


@runtime_checkable
class QuoteProvider(Protocol):
    """A source of prices. Implementations never raise to the caller: failures are values."""

    # Read-only properties: a plain attribute satisfies them, and so does a wrapper's property.
    @property
    def name(self) -> str:
        """Shown in the status line, e.g. "Yahoo"."""
        ...

    @property
    def simulated(self) -> bool:
        """True when prices are not real (the demo); every screen then says SIMULATED."""
        ...

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        """One result per asked symbol: a Quote or a QuoteFailure with its reason."""
        ...

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        """The close of the last session on or before `day` (within a week before it)."""
        ...

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        """The closes of `symbol` over `chart_range`, or why there are none."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...
