"""How old a quote's last trade is, and when its time makes the quote suspect, in words."""

from __future__ import annotations

from datetime import datetime, timedelta

from watcher.domain.market import MarketState

FUTURE_SKEW = timedelta(minutes=5)
"""A market time up to this far ahead of our clock is taken as now; further ahead it is suspect.

Clocks kept by NTP agree within a second, so a trade "from the future" is a wrong time, or a
computer whose clock is off. Five minutes forgives a clock that drifted and a provider that
rounds its time to a bar, and still catches a time in the wrong zone (an hour or more) or a
wrong date.
"""

IN_SESSION_LIMIT = timedelta(days=4)
"""While the market is said to be in a session (pre-market, open, after-hours), a last trade
older than this is suspect.

The longest ordinary gap between two sessions is a weekend and a one-day holiday: Friday's
close to Tuesday's pre-market is three and a half days. A share whose last trade is older while
its market trades is halted, suspended or delisted, or the provider answers an old record.
"""

OUT_OF_SESSION_LIMIT = timedelta(days=7)
"""When the market is closed, or its sessions are unknown (Finnhub, a cached price), a last
trade older than this is suspect.

A week is longer than any closure of the US exchanges since 2001 (after 11 September they
reopened six days after the last trade); no weekend or holiday explains an older trade. Only
the longest holidays elsewhere (the Chinese exchanges' Lunar New Year and Golden Week) run
past it, and then nothing can be bought while they last anyway.
"""

_IN_SESSION_WORDS = {
    MarketState.PRE: "in its pre-market session",
    MarketState.OPEN: "open",
    MarketState.POST: "in its after-hours session",
}


def span(delta: timedelta) -> str:
    """A duration in words for a reason: "12 min", "5 h", "638 days"."""
    seconds = abs(delta.total_seconds())
    if seconds < 2 * 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} days"


def trade_age(market_time: datetime, now: datetime) -> timedelta | None:
    """Time since the last trade; zero within the skew ahead, None for a time further ahead (no age)."""
    age = now - market_time
    if age >= timedelta(0):
        return age
    return timedelta(0) if -age <= FUTURE_SKEW else None


def suspect_time(market_time: datetime, state: MarketState | None, now: datetime) -> str | None:
    """Why the quote's market time makes it suspect, in words; None when the time is believable."""
    age = now - market_time
    if -age > FUTURE_SKEW:
        return f"its market time is {span(age)} ahead of this computer's clock"
    in_session = _IN_SESSION_WORDS.get(state) if state is not None else None
    if in_session is not None:
        if age > IN_SESSION_LIMIT:
            return f"no trade for {span(age)} though the market is {in_session}"
        return None
    if age > OUT_OF_SESSION_LIMIT:
        return f"no trade for {span(age)}"
    return None
