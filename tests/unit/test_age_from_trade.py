"""A row's age counts from the last trade, not the fetch; a time that cannot be right makes it suspect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watcher.domain.market import MarketState, TradingPeriods
from watcher.domain.overview import CompanyRow, build_overview
from watcher.domain.portfolio import Portfolio
from watcher.domain.quote import Quote, QuoteBook
from watcher.domain.trade_age import (
    FUTURE_SKEW,
    IN_SESSION_LIMIT,
    OUT_OF_SESSION_LIMIT,
    span,
    suspect_time,
    trade_age,
)

# Thursday 26 November 2026, 15:00 UTC (10:00 in New York).
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
STALE_AFTER = timedelta(minutes=2)
OPEN_TODAY = TradingPeriods(
    pre=(datetime(2026, 11, 26, 9, 0, tzinfo=UTC), datetime(2026, 11, 26, 14, 30, tzinfo=UTC)),
    regular=(datetime(2026, 11, 26, 14, 30, tzinfo=UTC), datetime(2026, 11, 26, 21, 0, tzinfo=UTC)),
    post=(datetime(2026, 11, 26, 21, 0, tzinfo=UTC), datetime(2026, 11, 27, 1, 0, tzinfo=UTC)),
)
# Yahoo's periods on a Saturday: Monday's sessions, so the market is closed now.
NEXT_MONDAY = TradingPeriods(
    pre=(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), datetime(2026, 11, 30, 14, 30, tzinfo=UTC)),
    regular=(datetime(2026, 11, 30, 14, 30, tzinfo=UTC), datetime(2026, 11, 30, 21, 0, tzinfo=UTC)),
    post=(datetime(2026, 11, 30, 21, 0, tzinfo=UTC), datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
)


def row(
    traded: datetime, fetched: datetime = NOW, periods: TradingPeriods | None = None, now: datetime = NOW
) -> CompanyRow:
    quote = Quote("CRWV", 128.4, 130.0, traded, fetched, currency="USD", trading_periods=periods)
    view = build_overview(("CRWV",), Portfolio(), (), {}, QuoteBook(quotes={"CRWV": quote}), {}, now, STALE_AFTER)
    found = view.row("CRWV")
    assert found is not None
    return found


def test_a_trade_21_months_old_fetched_just_now_is_neither_fresh_nor_0s() -> None:
    traded = datetime(2025, 2, 26, 15, 0, tzinfo=UTC)
    delisted = row(traded, fetched=NOW, periods=NEXT_MONDAY)
    assert delisted.age == NOW - traded and delisted.age > timedelta(days=600)
    assert delisted.market_state is MarketState.CLOSED
    assert not delisted.stale  # the feed works: the fetch is new
    assert delisted.suspect == "suspect quote: no trade for 638 days"
    # The same while the market is said to trade, and without any sessions known.
    assert row(traded, periods=OPEN_TODAY).suspect == "suspect quote: no trade for 638 days though the market is open"
    assert row(traded).market_state is None and row(traded).suspect == "suspect quote: no trade for 638 days"


def test_a_market_time_a_year_ahead_is_suspect_and_has_no_age() -> None:
    ahead = row(NOW + timedelta(days=365))
    assert ahead.age is None
    assert ahead.suspect == "suspect quote: its market time is 365 days ahead of this computer's clock"
    assert row(NOW + FUTURE_SKEW + timedelta(seconds=1)).suspect is not None


def test_a_time_a_little_ahead_is_taken_as_now() -> None:
    # A clock a few seconds behind the exchange's: age zero, nothing suspect.
    slightly = row(NOW + timedelta(seconds=40))
    assert slightly.age == timedelta(0) and slightly.suspect is None
    assert row(NOW + FUTURE_SKEW).suspect is None


def test_the_age_counts_from_the_trade_and_staleness_from_the_fetch() -> None:
    # Friday's close, read on Saturday by a feed that works: 18 hours old, and not stale.
    saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    friday_close = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
    weekend = row(friday_close, fetched=saturday - timedelta(seconds=10), periods=NEXT_MONDAY, now=saturday)
    assert weekend.age == timedelta(hours=18)
    assert weekend.market_state is MarketState.CLOSED
    assert not weekend.stale and weekend.suspect is None
    # The feed stopped: the fetch is old, whatever the trade's age.
    stopped = row(NOW - timedelta(minutes=3), fetched=NOW - timedelta(minutes=3), periods=OPEN_TODAY)
    assert stopped.stale and stopped.age == timedelta(minutes=3) and stopped.suspect is None
    at_the_limit = row(NOW - STALE_AFTER, fetched=NOW - STALE_AFTER)
    assert not at_the_limit.stale  # exactly stale_after: not yet older


def test_a_long_weekend_is_not_suspect_but_a_week_with_the_market_open_is() -> None:
    # Friday's close to Tuesday's pre-market after a Monday holiday: 3 days 12 hours.
    friday_close = NOW - timedelta(days=3, hours=12)
    assert suspect_time(friday_close, MarketState.PRE, NOW) is None
    assert suspect_time(NOW - IN_SESSION_LIMIT, MarketState.OPEN, NOW) is None
    halted = suspect_time(NOW - IN_SESSION_LIMIT - timedelta(hours=1), MarketState.OPEN, NOW)
    assert halted == "no trade for 4 days though the market is open"
    after_hours = suspect_time(NOW - timedelta(days=5), MarketState.POST, NOW)
    assert after_hours == "no trade for 5 days though the market is in its after-hours session"


def test_closed_or_unknown_markets_allow_a_week() -> None:
    for state in (MarketState.CLOSED, None):
        assert suspect_time(NOW - timedelta(days=5), state, NOW) is None
        assert suspect_time(NOW - OUT_OF_SESSION_LIMIT, state, NOW) is None
        assert suspect_time(NOW - OUT_OF_SESSION_LIMIT - timedelta(minutes=1), state, NOW) == "no trade for 7 days"


@pytest.mark.parametrize(
    ("delta", "words"),
    [(timedelta(minutes=6), "6 min"), (timedelta(hours=5), "5 h"), (timedelta(days=638, hours=3), "638 days")],
)
def test_spans_in_words(delta: timedelta, words: str) -> None:
    assert span(delta) == words
    assert span(-delta) == words


def test_trade_age_never_negative() -> None:
    assert trade_age(NOW - timedelta(seconds=5), NOW) == timedelta(seconds=5)
    assert trade_age(NOW + timedelta(seconds=5), NOW) == timedelta(0)
    assert trade_age(NOW + timedelta(hours=1), NOW) is None
