"""Trading sessions of one exchange day and the market state they give at a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

Period = tuple[datetime, datetime]


class MarketState(str, Enum):
    """Which session a market is in; the value is the words the screen shows."""

    PRE = "pre-market"
    OPEN = "open"
    POST = "after-hours"
    CLOSED = "closed"


def _check(name: str, period: Period | None) -> None:
    if period is None:
        return
    start, end = period
    # Comparing a naive with an aware time raises later, at a moment nobody expects; refuse it here.
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError(f"the {name} session needs timezone-aware times")
    if end < start:
        raise ValueError(f"the {name} session ends before it starts")


@dataclass(frozen=True)
class TradingPeriods:
    """Start and end of the pre-market, regular and after-hours sessions of one day.

    Each period is half-open, [start, end): at the regular end the session is already over.
    Raises ValueError for naive times, a period that ends before it starts, or sessions out
    of order, so a garbled answer can never produce a market state.
    """

    pre: Period | None
    regular: Period
    post: Period | None

    def __post_init__(self) -> None:
        _check("pre-market", self.pre)
        _check("regular", self.regular)
        _check("after-hours", self.post)
        if self.pre is not None and self.pre[1] > self.regular[0]:
            raise ValueError("the pre-market session ends after the regular one starts")
        if self.post is not None and self.post[0] < self.regular[1]:
            raise ValueError("the after-hours session starts before the regular one ends")


def _within(period: Period | None, now: datetime) -> bool:
    return period is not None and period[0] <= now < period[1]


def market_state(periods: TradingPeriods | None, now: datetime) -> MarketState | None:
    """The session `now` falls in; None when the sessions are unknown.

    Yahoo's periods are the current or the next session, so a moment before the pre-market
    start or after the after-hours end is simply CLOSED.
    """
    if periods is None:
        return None
    if _within(periods.regular, now):
        return MarketState.OPEN
    if _within(periods.pre, now):
        return MarketState.PRE
    if _within(periods.post, now):
        return MarketState.POST
    return MarketState.CLOSED


def in_extended_hours(periods: TradingPeriods | None, moment: datetime) -> bool:
    """True when `moment` lies in the pre-market or after-hours session."""
    return market_state(periods, moment) in (MarketState.PRE, MarketState.POST)
