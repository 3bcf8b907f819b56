"""The state of the quote feed in words: offline, rate-limited, which symbols failed, are stale or suspect."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from watcher.domain.overview import Overview
from watcher.domain.quote import FailureKind, QuoteFailure


@dataclass(frozen=True, slots=True)
class FeedHealth:
    headline: str | None
    """"offline: cannot reach Yahoo", "rate-limited by Yahoo", or None when all is well."""
    problems: tuple[str, ...]
    """One phrase per symbol that failed: "IREN: rate-limited by Yahoo (HTTP 429)"."""
    stale: tuple[str, ...]
    """Symbols whose last good quote was fetched too long ago: the feed stopped bringing them."""
    suspect: tuple[str, ...] = ()
    """Symbols whose quote's time or new price is not believed (CompanyRow.suspect says why)."""


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
    stale = tuple(sorted(overview.stale_symbols))
    return FeedHealth(headline, _grouped(failures, symbols), stale, tuple(sorted(overview.suspect_symbols)))


def _grouped(failures: Mapping[str, QuoteFailure], symbols: set[str]) -> tuple[str, ...]:
    """One phrase per distinct reason: "CRWV, NBIS: …", or "all 4: …" when every symbol shares it."""
    by_reason: dict[str, list[str]] = {}
    for symbol, failure in sorted(failures.items()):
        by_reason.setdefault(failure.reason, []).append(symbol)
    phrases = []
    for reason, which in by_reason.items():
        who = f"all {len(which)}" if len(which) > 1 and set(which) >= symbols else ", ".join(which)
        phrases.append(f"{who}: {reason}")
    return tuple(phrases)


def refresh_words(
    last_try: str | None, last_good: str | None, last_try_failed: bool, fetching: bool
) -> str:
    """"refreshed 14:03:22", "last good 14:02:10 · failed 14:03:22", "fetching…" (local times)."""
    if last_try is None:
        words = "no refresh yet"
    elif not last_try_failed:
        words = f"refreshed {last_try}"
    else:
        words = f"last good {last_good or 'never'} · failed {last_try}"
    if fetching:
        return "fetching…" if last_try is None else f"{words} · fetching…"
    return words
