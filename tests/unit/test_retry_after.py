"""The feed's wait after a provider's Retry-After: an hour at most, whatever the provider said."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from watcher.domain.quote import FailureKind, QuoteFailure, QuoteResult
from watcher.feed import Feed

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


class Limited:
    """A provider that answers every symbol 429 with its own (uncapped) wait."""

    name = "Limited"
    simulated = False

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        return {s: QuoteFailure(s, FailureKind.RATE_LIMITED, "429", self.retry_after) for s in symbols}

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        return QuoteFailure(symbol, FailureKind.NO_DATA, "none")

    async def fetch_history(self, symbol, chart_range):  # noqa: ANN001, ANN201
        return QuoteFailure(symbol, FailureKind.NO_DATA, "none")

    async def aclose(self) -> None:
        return None


async def test_a_retry_after_beyond_a_timedelta_is_an_hour() -> None:
    feed = Feed(Limited(1e15), clock=lambda: NOW)
    feed.apply_prices(await feed.fetch_prices(["AAPL"]))
    assert feed.not_before == NOW + timedelta(hours=1)


async def test_a_short_retry_after_is_kept() -> None:
    feed = Feed(Limited(90), clock=lambda: NOW)
    feed.apply_prices(await feed.fetch_prices(["AAPL"]))
    assert feed.not_before == NOW + timedelta(seconds=90)
