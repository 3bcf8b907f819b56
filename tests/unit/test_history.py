"""Chart ranges, the in-memory history cache with its per-range freshness, and the demo's history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watcher.quotes.demo import DemoProvider
from watcher.quotes.history import HistoryCache, ttl_of
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # a Thursday


class FakeClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def history(symbol: str = "CRWV", chart_range: ChartRange = ChartRange.ONE_DAY, close: float = 100.0) -> PriceHistory:
    return PriceHistory(symbol, chart_range, ((NOW, close),))


# -- ranges ------------------------------------------------------------------------------------


def test_range_labels_and_yahoo_parameters() -> None:
    assert [(r.value, r.yahoo_range, r.yahoo_interval) for r in ChartRange] == [
        ("1D", "1d", "5m"),
        ("5D", "5d", "15m"),
        ("1M", "1mo", "1d"),
        ("6M", "6mo", "1d"),
        ("YTD", "ytd", "1d"),
        ("1Y", "1y", "1d"),
        ("5Y", "5y", "1wk"),
    ]
    assert ChartRange("YTD") is ChartRange.YEAR_TO_DATE
    assert [r.intraday for r in ChartRange] == [True, True, False, False, False, False, False]


# -- cache -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart_range", "ttl_seconds"),
    [
        (ChartRange.ONE_DAY, 60),
        (ChartRange.FIVE_DAYS, 300),
        (ChartRange.ONE_MONTH, 3600),
        (ChartRange.SIX_MONTHS, 3600),
        (ChartRange.YEAR_TO_DATE, 3600),
        (ChartRange.ONE_YEAR, 3600),
        (ChartRange.FIVE_YEARS, 3600),
    ],
)
def test_history_is_fresh_until_its_ranges_time_to_live(chart_range: ChartRange, ttl_seconds: int) -> None:
    assert ttl_of(chart_range) == timedelta(seconds=ttl_seconds)
    clock = FakeClock()
    cache = HistoryCache(clock)
    stored = history(chart_range=chart_range)
    cache.put(stored)
    clock.advance(ttl_seconds - 1)
    assert cache.get("CRWV", chart_range) is stored
    clock.advance(1)
    assert cache.get("CRWV", chart_range) is None
    assert len(cache) == 0  # the stale entry is dropped, not kept forever


def test_cache_is_keyed_by_symbol_and_range() -> None:
    cache = HistoryCache(FakeClock())
    day, month = history(close=1.0), history(chart_range=ChartRange.ONE_MONTH, close=2.0)
    cache.put(day)
    cache.put(month)
    cache.put(history("NBIS", close=3.0))
    assert cache.get("CRWV", ChartRange.ONE_DAY) is day
    assert cache.get("CRWV", ChartRange.ONE_MONTH) is month
    assert cache.get("NBIS", ChartRange.ONE_DAY).points[0][1] == 3.0
    assert cache.get("NBIS", ChartRange.ONE_MONTH) is None
    assert cache.get("IREN", ChartRange.ONE_DAY) is None


def test_put_replaces_and_restarts_the_clock() -> None:
    clock = FakeClock()
    cache = HistoryCache(clock)
    cache.put(history(close=1.0))
    clock.advance(50)
    newer = history(close=2.0)
    cache.put(newer)
    clock.advance(50)  # 100 s after the first put, 50 s after the second
    assert cache.get("CRWV", ChartRange.ONE_DAY) is newer


def test_a_clock_that_went_back_does_not_vouch_for_freshness() -> None:
    clock = FakeClock()
    cache = HistoryCache(clock)
    cache.put(history())
    clock.advance(-3600)
    assert cache.get("CRWV", ChartRange.ONE_DAY) is None


def test_custom_ttls_and_clear() -> None:
    clock = FakeClock()
    cache = HistoryCache(clock, ttls={ChartRange.ONE_DAY: timedelta(seconds=5)})
    cache.put(history())
    cache.put(history(chart_range=ChartRange.FIVE_DAYS))
    clock.advance(5)
    assert cache.get("CRWV", ChartRange.ONE_DAY) is None
    assert cache.get("CRWV", ChartRange.FIVE_DAYS) is not None  # not in the mapping: an hour
    cache.clear()
    assert len(cache) == 0 and cache.get("CRWV", ChartRange.FIVE_DAYS) is None


# -- the demo ----------------------------------------------------------------------------------


def test_demo_still_satisfies_the_protocol() -> None:
    assert isinstance(DemoProvider(clock=lambda: NOW), QuoteProvider)


@pytest.mark.parametrize("chart_range", list(ChartRange))
async def test_demo_history_ends_at_the_current_simulated_price(chart_range: ChartRange) -> None:
    demo = DemoProvider(clock=lambda: NOW)
    for _ in range(3):
        quotes = await demo.fetch_quotes(["CRWV"])
    result = await demo.fetch_history("CRWV", chart_range)
    assert isinstance(result, PriceHistory)
    assert (result.symbol, result.range) == ("CRWV", chart_range)
    assert result.points[-1] == (NOW, quotes["CRWV"].price)
    times = [when for when, _ in result.points]
    assert times == sorted(set(times))  # strictly increasing
    assert all(close > 0 for _, close in result.points)
    assert len({close for _, close in result.points}) > 1  # a path, not a flat line


async def test_demo_history_before_any_quote_ends_at_the_start_price() -> None:
    result = await DemoProvider(clock=lambda: NOW).fetch_history("NBIS", ChartRange.ONE_MONTH)
    assert isinstance(result, PriceHistory) and result.points[-1][1] == 100.0


async def test_demo_history_is_deterministic_and_leaves_the_live_walk_alone() -> None:
    asked, quiet = DemoProvider(clock=lambda: NOW), DemoProvider(clock=lambda: NOW)
    first = await asked.fetch_history("CRWV", ChartRange.ONE_YEAR)
    assert await asked.fetch_history("CRWV", ChartRange.ONE_YEAR) == first
    assert await DemoProvider(clock=lambda: NOW).fetch_history("CRWV", ChartRange.ONE_YEAR) == first
    # Asking for charts must not change the prices the demo quotes next.
    assert await asked.fetch_quotes(["CRWV", "NBIS"]) == await quiet.fetch_quotes(["CRWV", "NBIS"])
    other_seed = await DemoProvider(seed=8, clock=lambda: NOW).fetch_history("CRWV", ChartRange.ONE_YEAR)
    assert other_seed.points != first.points


@pytest.mark.parametrize(
    ("chart_range", "count", "step"),
    [
        (ChartRange.ONE_DAY, 78, timedelta(minutes=5)),
        (ChartRange.FIVE_DAYS, 130, timedelta(minutes=15)),
        (ChartRange.FIVE_YEARS, 260, timedelta(weeks=1)),
    ],
)
async def test_demo_bars_are_spaced_like_yahoos(chart_range: ChartRange, count: int, step: timedelta) -> None:
    result = await DemoProvider(clock=lambda: NOW).fetch_history("CRWV", chart_range)
    assert isinstance(result, PriceHistory) and len(result.points) == count
    assert result.points[-1][0] - result.points[-2][0] == step


@pytest.mark.parametrize(("chart_range", "count"), [(ChartRange.ONE_MONTH, 22), (ChartRange.ONE_YEAR, 252)])
async def test_demo_daily_bars_skip_weekends(chart_range: ChartRange, count: int) -> None:
    result = await DemoProvider(clock=lambda: NOW).fetch_history("CRWV", chart_range)
    assert isinstance(result, PriceHistory) and len(result.points) == count
    assert all(when.weekday() < 5 for when, _ in result.points)


async def test_demo_year_to_date_starts_in_this_year() -> None:
    result = await DemoProvider(clock=lambda: NOW).fetch_history("CRWV", ChartRange.YEAR_TO_DATE)
    assert isinstance(result, PriceHistory)
    assert result.points[0][0].date() == datetime(2026, 1, 1).date()  # a Thursday, so a trading day
    assert all(when.year == 2026 for when, _ in result.points)
    # 2023 began on a Sunday: on 1 January there is no weekday yet, and still one point.
    new_year = datetime(2023, 1, 1, 12, tzinfo=UTC)
    early = await DemoProvider(clock=lambda: new_year).fetch_history("CRWV", ChartRange.YEAR_TO_DATE)
    assert isinstance(early, PriceHistory) and early.points == ((new_year, 133.0),)
