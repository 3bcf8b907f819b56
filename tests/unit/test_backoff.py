"""Backoff per provider: longer waits after each trouble, Retry-After as a floor, no request while waiting."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult
from watcher.quotes.backoff import BackoffPolicy, BackoffProvider, in_trouble
from watcher.quotes.wire import MAX_RETRY_AFTER_SECONDS

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Scripted:
    """Answers each fetch with the next scripted outcome: "ok", "429", "down" or "404"."""

    name = "Yahoo"
    simulated = False

    def __init__(self, outcomes: list[str], retry_after: float | None = None) -> None:
        self.outcomes = outcomes
        self.retry_after = retry_after
        self.calls = 0

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        outcome = self.outcomes[min(self.calls, len(self.outcomes) - 1)]
        self.calls += 1
        out: dict[str, QuoteResult] = {}
        for s in symbols:
            if outcome == "ok":
                out[s] = Quote(s, 100.0, 99.0, NOW, NOW)
            elif outcome == "429":
                out[s] = QuoteFailure(s, FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)", self.retry_after)
            elif outcome == "down":
                out[s] = QuoteFailure(s, FailureKind.NETWORK, "cannot connect to Yahoo")
            else:
                out[s] = QuoteFailure(s, FailureKind.NOT_FOUND, f"Yahoo does not know {s}")
        return out

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        self.calls += 1
        return 1.0

    async def fetch_history(self, symbol, chart_range):  # noqa: ANN001, ANN201
        self.calls += 1
        return QuoteFailure(symbol, FailureKind.NO_DATA, "none")

    async def aclose(self) -> None:
        return None


NO_JITTER = BackoffPolicy(first=30, factor=2, cap=300, jitter=0)


def test_the_delay_doubles_up_to_the_cap() -> None:
    rng = random.Random(1)
    assert [NO_JITTER.delay(n, None, rng) for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def test_retry_after_is_a_floor_even_past_the_cap() -> None:
    rng = random.Random(1)
    assert NO_JITTER.delay(1, 40, rng) == 40
    assert NO_JITTER.delay(5, 1000, rng) == 1000
    assert NO_JITTER.delay(3, 5, rng) == 120


def test_a_huge_retry_after_is_a_floor_of_an_hour_at_most() -> None:
    rng = random.Random(1)
    assert NO_JITTER.delay(1, 1e15, rng) == MAX_RETRY_AFTER_SECONDS == 3600
    assert NO_JITTER.delay(1, float("inf"), rng) == 3600
    assert NO_JITTER.delay(1, float("nan"), rng) == 30


def test_endless_trouble_stays_at_the_cap_without_overflow() -> None:
    # 2.0 ** 1100 raises OverflowError: the exponent stops growing long before.
    assert NO_JITTER.delay(5000, None, random.Random(1)) == 300


async def test_a_huge_retry_after_backs_off_an_hour_without_raising() -> None:
    clock = Clock()
    provider = BackoffProvider(Scripted(["429"], retry_after=1e15), NO_JITTER, clock)
    first = await provider.fetch_quotes(["CRWV"])
    assert first["CRWV"].reason == "rate-limited by Yahoo (HTTP 429)"
    assert first["CRWV"].retry_after == 3600
    assert provider.seconds_left() == 3600


def test_jitter_spreads_the_delay_within_its_band() -> None:
    policy = BackoffPolicy(first=100, factor=2, cap=10_000, jitter=0.2)
    rng = random.Random(7)
    delays = [policy.delay(1, None, rng) for _ in range(200)]
    assert all(80 <= d <= 120 for d in delays)
    assert len({round(d, 3) for d in delays}) > 100  # not one fixed value


def test_trouble_is_a_429_anywhere_or_every_symbol_down() -> None:
    ok = Quote("A", 1.0, 1.0, NOW, NOW)
    limited = QuoteFailure("B", FailureKind.RATE_LIMITED, "429", 40)
    down = QuoteFailure("B", FailureKind.NETWORK, "down")
    unknown = QuoteFailure("B", FailureKind.NOT_FOUND, "unknown")
    assert in_trouble({"A": ok, "B": limited}) == (True, 40)
    assert in_trouble({"A": ok, "B": down}) == (False, None)
    assert in_trouble({"B": down}) == (True, None)
    assert in_trouble({"B": unknown}) == (False, None)


async def test_no_request_while_backing_off_and_the_wait_says_so() -> None:
    clock = Clock()
    inner = Scripted(["429", "ok"], retry_after=None)
    provider = BackoffProvider(inner, NO_JITTER, clock)
    first = await provider.fetch_quotes(["CRWV"])
    # The wait travels as retry_after, which the screen counts down; the reason does not freeze it.
    assert (first["CRWV"].reason, first["CRWV"].retry_after) == ("rate-limited by Yahoo (HTTP 429)", 30)
    clock.now += timedelta(seconds=10)
    waiting = await provider.fetch_quotes(["CRWV"])
    assert inner.calls == 1  # nothing sent to Yahoo while waiting
    assert waiting["CRWV"].reason == "rate-limited by Yahoo, waiting before the next try"
    assert waiting["CRWV"].retry_after == 20
    assert isinstance(await provider.fetch_close_on("CRWV", date(2025, 9, 24)), QuoteFailure)
    assert inner.calls == 1
    clock.now += timedelta(seconds=21)
    assert isinstance((await provider.fetch_quotes(["CRWV"]))["CRWV"], Quote)
    assert provider.troubles == 0 and provider.seconds_left() == 0


async def test_each_trouble_in_a_row_waits_longer_and_a_success_resets() -> None:
    clock = Clock()
    inner = Scripted(["down", "down", "down", "ok", "down"])
    provider = BackoffProvider(inner, NO_JITTER, clock)
    waits = []
    for _ in range(3):
        await provider.fetch_quotes(["CRWV", "NBIS"])
        waits.append(provider.seconds_left())
        clock.now += timedelta(seconds=provider.seconds_left() + 1)
    assert waits == [30, 60, 120]
    await provider.fetch_quotes(["CRWV"])
    await provider.fetch_quotes(["CRWV"])
    assert provider.seconds_left() == 30  # counted from one again after the success


async def test_unknown_symbols_are_no_reason_to_back_off() -> None:
    provider = BackoffProvider(Scripted(["404"]), NO_JITTER, Clock())
    await provider.fetch_quotes(["XXXX"])
    assert provider.seconds_left() == 0
