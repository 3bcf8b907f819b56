"""Simulated prices for trying neowatch without a network: a random walk from a start price."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

from watcher.domain.currency import fx_pair
from watcher.domain.quote import Quote, QuoteFailure, QuoteResult
from watcher.quotes.provider import ChartRange, PriceHistory

# Start prices of the walk. They are set so that the analysis' valuations (CRWV 3.6x,
# NBIS 27x, IREN 50x ARR) and its 9 % NBIS weight hold at the start; they are not quotes.
START_PRICES = {"CRWV": 133.0, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}
DEFAULT_START = 50.0
DAILY_MOVE = 0.01
# Rough worth of a unit of each currency in US dollars, to start the walk of a rate such as
# "GBPUSD=X" somewhere believable; a currency not listed gets no simulated rate.
USD_PER_UNIT = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.13, "JPY": 0.0067, "CAD": 0.73, "AUD": 0.66,
    "SEK": 0.095, "NOK": 0.094, "DKK": 0.145, "ILS": 0.27, "ZAR": 0.055, "HKD": 0.128,
}
FX_MOVE = 0.002

# Bar spacing and count of each simulated range, close to what Yahoo answers for it.
_DAY = timedelta(days=1)
HISTORY_BARS: dict[ChartRange, tuple[timedelta, int]] = {
    ChartRange.ONE_DAY: (timedelta(minutes=5), 78),
    ChartRange.FIVE_DAYS: (timedelta(minutes=15), 130),
    ChartRange.ONE_MONTH: (_DAY, 22),
    ChartRange.SIX_MONTHS: (_DAY, 126),
    ChartRange.ONE_YEAR: (_DAY, 252),
    ChartRange.FIVE_YEARS: (timedelta(weeks=1), 260),
}


def _bar_times(chart_range: ChartRange, now: datetime) -> list[datetime]:
    """Bar times ending at `now`, oldest first; daily bars skip weekends as an exchange does."""
    if chart_range is ChartRange.YEAR_TO_DATE:
        step, count = _DAY, max(1, (now.date() - date(now.year, 1, 1)).days + 1)
    else:
        step, count = HISTORY_BARS[chart_range]
    times: list[datetime] = []
    moment = now
    while len(times) < count:
        if step != _DAY or moment.weekday() < 5:
            times.append(moment)
        moment -= step
        if chart_range is ChartRange.YEAR_TO_DATE and moment.year != now.year:
            break
    # A year that began on a weekend has no weekday yet on 1 January: the chart still gets a point.
    return times[::-1] or [now]


class DemoProvider:
    """Every fetch moves each price by about 1 %; the close on any past day is the start price."""

    name = "Demo"
    simulated = True

    def __init__(
        self,
        seed: int = 7,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        start_prices: dict[str, float] | None = None,
    ) -> None:
        self._seed = seed
        self._random = random.Random(seed)
        self._clock = clock
        self._start = dict(START_PRICES if start_prices is None else start_prices)
        self._prices: dict[str, float] = {}

    def _start_price(self, symbol: str) -> float:
        if symbol in self._start:
            return self._start[symbol]
        pair = fx_pair(symbol)
        if pair is not None and pair[0] in USD_PER_UNIT and pair[1] in USD_PER_UNIT:
            return USD_PER_UNIT[pair[0]] / USD_PER_UNIT[pair[1]]
        return DEFAULT_START

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        now = self._clock()
        results: dict[str, QuoteResult] = {}
        for symbol in symbols:
            start = self._start_price(symbol)
            previous = self._prices.get(symbol, start)
            pair = fx_pair(symbol)
            move = FX_MOVE if pair else DAILY_MOVE
            price = max(start / 100, previous * (1 + self._random.gauss(0, move)))
            self._prices[symbol] = price
            results[symbol] = Quote(
                symbol=symbol,
                # A rate keeps its digits; a share price is quoted in cents.
                price=round(price, 6) if pair else round(price, 2),
                previous_close=start,
                market_time=now,
                fetched_at=now,
                currency=pair[1] if pair else "USD",
                name=None,
                exchange="SIMULATED",
            )
        return results

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        return self._start_price(symbol)

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        """A walk that ends at the symbol's current simulated price; the same every time it is asked.

        The walk's own generator is seeded from the seed, symbol and range (crc32, since str
        hashes change per process), so asking for a chart never moves the live prices.
        """
        now = self._clock()
        current = round(self._prices.get(symbol, self._start_price(symbol)), 2)
        times = _bar_times(chart_range, now)
        step = HISTORY_BARS.get(chart_range, (_DAY, 0))[0]
        # Moves grow with the square root of time: a week's bar swings more than a 5-minute one.
        volatility = DAILY_MOVE * math.sqrt(step / _DAY)
        walk = random.Random(zlib.crc32(f"{self._seed}:{symbol}:{chart_range.value}".encode()))
        levels = [1.0]
        for _ in times[1:]:
            levels.append(levels[-1] * math.exp(walk.gauss(0, volatility)))
        scale = current / levels[-1]
        points = tuple((when, round(max(0.01, level * scale), 2)) for when, level in zip(times, levels, strict=False))
        return PriceHistory(symbol=symbol, range=chart_range, points=points)

    async def aclose(self) -> None:
        return None
