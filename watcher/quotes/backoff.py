"""Backoff per provider: after a 429 or an outage, wait longer each time (with jitter), never hammer."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from watcher.domain.quote import FailureKind, QuoteFailure, QuoteResult
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider
from watcher.quotes.wire import MAX_RETRY_AFTER_SECONDS

# The exponent stops growing here: the delay is at any sane cap long before, and a float power
# past ~1024 doublings raises OverflowError.
MAX_DOUBLINGS = 64

# Failures that say "the provider is in trouble", not "this symbol is odd".
TROUBLE = {FailureKind.RATE_LIMITED, FailureKind.NETWORK, FailureKind.HTTP_ERROR}


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """Delay = first × factor^(n-1) after n troubled fetches in a row, ± jitter, capped."""

    first: float = 30.0
    factor: float = 2.0
    cap: float = 900.0
    jitter: float = 0.2
    """Up to this fraction added or taken, so many clients do not retry in step."""

    def delay(self, troubles: int, retry_after: float | None, rng: random.Random) -> float:
        base = self.first * self.factor ** min(max(0, troubles - 1), MAX_DOUBLINGS)
        jittered = min(self.cap, base * (1 + rng.uniform(-self.jitter, self.jitter)))
        # A provider's own Retry-After is a floor, even past the cap: it knows better than our
        # guess, up to an hour (a huge one would overflow a timedelta, or wait for days).
        wanted = retry_after if retry_after is not None and not math.isnan(retry_after) else 0.0
        return max(jittered, min(wanted, MAX_RETRY_AFTER_SECONDS))


def in_trouble(results: dict[str, QuoteResult]) -> tuple[bool, float | None]:
    """Rate-limited anywhere, or every symbol failed for the provider's own reasons."""
    failures = [r for r in results.values() if isinstance(r, QuoteFailure)]
    retry_after = max((f.retry_after for f in failures if f.retry_after), default=None)
    limited = any(f.kind is FailureKind.RATE_LIMITED for f in failures)
    down = bool(results) and len(failures) == len(results) and all(f.kind in TROUBLE for f in failures)
    return limited or down, retry_after


class BackoffProvider:
    """Wraps one provider: while backing off it answers from memory, without a request."""

    def __init__(
        self,
        inner: QuoteProvider,
        policy: BackoffPolicy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or BackoffPolicy()
        self._clock = clock
        self._rng = rng or random.Random()
        self.troubles = 0
        self.resume_at: datetime | None = None
        self._why = ""

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def simulated(self) -> bool:
        return self.inner.simulated

    def seconds_left(self) -> float:
        if self.resume_at is None:
            return 0.0
        return max(0.0, (self.resume_at - self._clock()).total_seconds())

    def _waiting(self, symbol: str) -> QuoteFailure:
        left = self.seconds_left()
        return QuoteFailure(
            symbol, FailureKind.RATE_LIMITED, f"{self._why}, waiting before the next try", retry_after=left
        )

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        if self.seconds_left() > 0:
            return {symbol: self._waiting(symbol) for symbol in symbols}
        results = await self.inner.fetch_quotes(symbols)
        trouble, retry_after = in_trouble(results)
        if not trouble:
            self.troubles, self.resume_at = 0, None
            return results
        self.troubles += 1
        delay = self.policy.delay(self.troubles, retry_after, self._rng)
        self.resume_at = self._clock() + timedelta(seconds=delay)
        limited = any(isinstance(r, QuoteFailure) and r.kind is FailureKind.RATE_LIMITED for r in results.values())
        self._why = f"rate-limited by {self.name}" if limited else f"{self.name} is not answering"
        return {
            # The wait is not in the reason: the screen counts it down from retry_after.
            symbol: replace(r, retry_after=delay)
            if isinstance(r, QuoteFailure) and r.kind in TROUBLE
            else r
            for symbol, r in results.items()
        }

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        if self.seconds_left() > 0:
            return self._waiting(symbol)
        return await self.inner.fetch_close_on(symbol, day)

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        if self.seconds_left() > 0:
            return self._waiting(symbol)
        return await self.inner.fetch_history(symbol, chart_range)

    async def aclose(self) -> None:
        await self.inner.aclose()
