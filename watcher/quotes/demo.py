"""Simulated prices for trying neowatch without a network: a random walk from a start price."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from watcher.domain.quote import Quote, QuoteFailure, QuoteResult

# Start prices of the walk. They are set so that the analysis' valuations (CRWV 3.6x,
# NBIS 27x, IREN 50x ARR) and its 9 % NBIS weight hold at the start; they are not quotes.
START_PRICES = {"CRWV": 133.0, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}
DEFAULT_START = 50.0
DAILY_MOVE = 0.01


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
        self._random = random.Random(seed)
        self._clock = clock
        self._start = dict(START_PRICES if start_prices is None else start_prices)
        self._prices: dict[str, float] = {}

    def _start_price(self, symbol: str) -> float:
        return self._start.get(symbol, DEFAULT_START)

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        now = self._clock()
        results: dict[str, QuoteResult] = {}
        for symbol in symbols:
            start = self._start_price(symbol)
            previous = self._prices.get(symbol, start)
            price = max(0.01, previous * (1 + self._random.gauss(0, DAILY_MOVE)))
            self._prices[symbol] = price
            results[symbol] = Quote(
                symbol=symbol,
                price=round(price, 2),
                previous_close=start,
                market_time=now,
                fetched_at=now,
                currency="USD",
                name=None,
                exchange="SIMULATED",
            )
        return results

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        return self._start_price(symbol)

    async def aclose(self) -> None:
        return None
