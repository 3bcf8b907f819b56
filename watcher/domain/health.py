"""The state of the quote feed in words: offline, rate-limited, which symbols failed or are stale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from watcher.domain.overview import Overview
from watcher.domain.quote import FailureKind, QuoteFailure


@dataclass(frozen=True, slots=True)
class FeedHealth:
    headline: str | None
    """"offline: cannot reach Yahoo", "rate-limited by Yahoo", or None when all is well."""
    problems: tuple[str, ...]
    """One phrase per symbol that failed: "IREN: rate-limited by Yahoo (HTTP 429)"."""
    stale: tuple[str, ...]


def feed_health(
    provider: str, failures: Mapping[str, QuoteFailure], overview: Overview
) -> FeedHealth:
    kinds = {failure.kind for failure in failures.values()}
    symbols = {row.symbol for row in overview.rows}
    headline = None
    if failures and kinds == {FailureKind.NETWORK} and set(failures) >= symbols:
        headline = f"offline: cannot reach {provider}"
    elif FailureKind.RATE_LIMITED in kinds:
        headline = f"rate-limited by {provider}"
    problems = tuple(f"{symbol}: {failure.reason}" for symbol, failure in sorted(failures.items()))
    stale = tuple(sorted(overview.stale_symbols))
    return FeedHealth(headline, problems, stale)


def refresh_words(last: datetime | None, fetching: bool, local_time: str | None) -> str:
    """"refreshed 14:03:22", "fetching…", "no refresh yet"."""
    if fetching and last is None:
        return "fetching…"
    if last is None or local_time is None:
        return "no refresh yet"
    return f"refreshed {local_time}" + (" · fetching…" if fetching else "")
