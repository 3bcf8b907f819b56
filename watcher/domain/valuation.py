"""Live valuation: market cap from today's price, and market cap ÷ forward ARR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from watcher.domain.fundamentals import Company

# The analysis' valuation lens: market cap against the end-2025 GPU-cloud ARR.
FORWARD_ARR_KEY = "arr_end_2025"


class CapMethod(str, Enum):
    """How a market cap was obtained; the screen names it beside the figure."""

    SHARES_X_PRICE = "shares×price"
    SCALED = "scaled"
    AS_OF = "as of"


@dataclass(frozen=True, slots=True)
class MarketCap:
    value: float
    method: CapMethod
    base_date: date | None = None
    """For SCALED and AS_OF: the date of the market cap the figure starts from;
    for SHARES_X_PRICE: the date of the share count."""
    source: str | None = None
    """Where the share count or the dated market cap comes from."""

    @property
    def is_live(self) -> bool:
        return self.method is not CapMethod.AS_OF

    def describe(self) -> str:
        if self.method is CapMethod.SHARES_X_PRICE:
            where = f" ({self.source}, as of {self.base_date.isoformat()})" if self.source and self.base_date else ""
            return f"shares outstanding{where} × live price"
        day = self.base_date.isoformat() if self.base_date else "the as-of date"
        if self.method is CapMethod.SCALED:
            return f"market cap of {day} × (live price ÷ close of {day})"
        return f"market cap of {day}, not live: no close of that day to scale from"


def live_market_cap(
    company: Company | None, price: float | None, close_on_as_of: float | None
) -> MarketCap | None:
    """Shares × price where shares are known; else the as-of cap scaled by the price move."""
    if company is None:
        return None
    shares_figure = company.figure("shares_outstanding")
    shares = shares_figure.number if shares_figure else None
    if shares and shares > 0 and price and shares_figure is not None:
        return MarketCap(shares * price, CapMethod.SHARES_X_PRICE, shares_figure.as_of, shares_figure.source)
    cap_figure = company.figure("market_cap")
    cap = cap_figure.number if cap_figure else None
    if not cap or cap <= 0 or cap_figure is None:
        return None
    if price and close_on_as_of and close_on_as_of > 0:
        return MarketCap(cap * price / close_on_as_of, CapMethod.SCALED, cap_figure.as_of)
    return MarketCap(cap, CapMethod.AS_OF, cap_figure.as_of)


def market_cap_as_of_date(company: Company | None) -> date | None:
    """The day whose close is needed to scale the as-of market cap, if any."""
    if company is None or company.number("shares_outstanding"):
        return None
    figure = company.figure("market_cap")
    if figure is None or figure.number is None:
        return None
    return figure.as_of


def mcap_to_arr(market_cap: MarketCap | None, company: Company | None) -> float | None:
    """Market cap ÷ forward ARR; None when either is unknown or the ARR is not positive."""
    if market_cap is None or company is None:
        return None
    arr = company.number(FORWARD_ARR_KEY)
    if not arr or arr <= 0:
        return None
    return market_cap.value / arr
