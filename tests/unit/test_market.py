"""Market state from the day's sessions, on every side of every boundary, and the new Quote fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from watcher.domain.market import MarketState, TradingPeriods, in_extended_hours, market_state
from watcher.domain.quote import Quote

# The recorded AAPL answer's sessions: Monday 2024-10-14, 04:00-09:30-16:00-20:00 New York.
PRE_START = datetime(2024, 10, 14, 8, 0, tzinfo=UTC)
OPEN = datetime(2024, 10, 14, 13, 30, tzinfo=UTC)
CLOSE = datetime(2024, 10, 14, 20, 0, tzinfo=UTC)
POST_END = datetime(2024, 10, 15, 0, 0, tzinfo=UTC)
PERIODS = TradingPeriods(pre=(PRE_START, OPEN), regular=(OPEN, CLOSE), post=(CLOSE, POST_END))
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (PRE_START - timedelta(days=3), MarketState.CLOSED),  # the Friday before: the next session's periods
        (PRE_START - SECOND, MarketState.CLOSED),
        (PRE_START, MarketState.PRE),
        (OPEN - SECOND, MarketState.PRE),
        (OPEN, MarketState.OPEN),
        (CLOSE - SECOND, MarketState.OPEN),
        (CLOSE, MarketState.POST),  # the regular session is over at its end
        (POST_END - SECOND, MarketState.POST),
        (POST_END, MarketState.CLOSED),
        (POST_END + timedelta(hours=5), MarketState.CLOSED),
    ],
)
def test_market_state_on_each_side_of_each_boundary(now: datetime, expected: MarketState) -> None:
    assert market_state(PERIODS, now) is expected


def test_state_is_the_same_moment_in_any_zone() -> None:
    new_york = OPEN.astimezone(ZoneInfo("America/New_York"))
    assert new_york.hour == 9
    assert market_state(PERIODS, new_york) is MarketState.OPEN


def test_unknown_sessions_give_no_state() -> None:
    assert market_state(None, OPEN) is None
    assert in_extended_hours(None, OPEN) is False


def test_without_extended_sessions_their_hours_are_closed() -> None:
    regular_only = TradingPeriods(pre=None, regular=(OPEN, CLOSE), post=None)
    assert market_state(regular_only, OPEN - SECOND) is MarketState.CLOSED
    assert market_state(regular_only, OPEN) is MarketState.OPEN
    assert market_state(regular_only, CLOSE) is MarketState.CLOSED


def test_an_empty_extended_session_matches_no_moment() -> None:
    # Some exchanges answer pre-market as start == end: it must not swallow the open.
    periods = TradingPeriods(pre=(OPEN, OPEN), regular=(OPEN, CLOSE), post=(CLOSE, CLOSE))
    assert market_state(periods, OPEN) is MarketState.OPEN
    assert market_state(periods, CLOSE) is MarketState.CLOSED


def test_in_extended_hours_only_for_pre_and_post() -> None:
    assert [in_extended_hours(PERIODS, t) for t in (PRE_START, OPEN, CLOSE, POST_END)] == [True, False, True, False]


def test_state_values_are_the_words_shown() -> None:
    assert [state.value for state in MarketState] == ["pre-market", "open", "after-hours", "closed"]


@pytest.mark.parametrize(
    ("pre", "regular", "post"),
    [
        (None, (CLOSE, OPEN), None),  # ends before it starts
        ((OPEN, PRE_START), (OPEN, CLOSE), None),
        (None, (OPEN.replace(tzinfo=None), CLOSE), None),  # naive: would fail later, comparing with now
        ((PRE_START, OPEN + SECOND), (OPEN, CLOSE), None),  # pre-market runs into the regular session
        (None, (OPEN, CLOSE), (CLOSE - SECOND, POST_END)),  # after-hours starts inside it
    ],
)
def test_inconsistent_sessions_are_refused(pre: object, regular: object, post: object) -> None:
    with pytest.raises(ValueError):
        TradingPeriods(pre=pre, regular=regular, post=post)  # type: ignore[arg-type]


def test_quote_keeps_its_old_constructor_and_gains_optional_fields() -> None:
    old_style = Quote("AAPL", 227.55, 227.79, OPEN, OPEN, "USD", "Apple Inc.", "NasdaqGS")
    assert (old_style.trading_periods, old_style.extended_price) == (None, None)
    new_style = Quote("AAPL", 227.55, 227.79, OPEN, OPEN, trading_periods=PERIODS, extended_price=228.1)
    assert market_state(new_style.trading_periods, CLOSE) is MarketState.POST
    assert new_style.extended_price == 228.1
