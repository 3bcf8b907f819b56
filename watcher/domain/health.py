"""The state of the quote feed in words: offline, rate-limited, which symbols failed, are stale or suspect."""

from __future__ import annotations

import math
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
    """Symbols whose last good quote was fetched too long ago: the feed stopped bringing them."""
    suspect: tuple[str, ...] = ()
    """Symbols whose quote's time or new price is not believed (CompanyRow.suspect says why)."""
    retry_in: int | None = None
    """Whole seconds until the next try while the provider is waited for (backoff, Retry-After)."""
    sources: tuple[tuple[str, int], ...] = ()
    """Which providers gave the prices shown, and for how many symbols: ("Yahoo", 3), ("Nasdaq", 1)."""


def feed_health(
    provider: str, failures: Mapping[str, QuoteFailure], overview: Overview, retry_in: float | None = None
) -> FeedHealth:
    kinds = {failure.kind for failure in failures.values()}
    symbols = {row.symbol for row in overview.rows}
    headline = None
    if failures and kinds == {FailureKind.NETWORK} and set(failures) >= symbols:
        headline = f"offline: cannot reach {provider}"
    elif FailureKind.RATE_LIMITED in kinds:
        headline = f"rate-limited by {provider}"
    stale = tuple(sorted(overview.stale_symbols))
    return FeedHealth(
        headline,
        _grouped(failures, symbols),
        stale,
        tuple(sorted(overview.suspect_symbols)),
        None if retry_in is None else max(0, math.ceil(retry_in)),
        _sources(overview),
    )


def _sources(overview: Overview) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for row in overview.rows:
        if row.quote is not None and row.quote.source:
            counts[row.quote.source] = counts.get(row.quote.source, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


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


@dataclass(frozen=True, slots=True)
class FeedProblem:
    """One line of the feed's full account: a symbol, what is wrong with it and since when."""

    symbol: str
    problem: str
    """"failing", "stale" or "suspect"."""
    reason: str
    since: datetime | None
    """When it began: the first failure of an unbroken run, or the last good quote's fetch."""
    last_good: datetime | None
    """When the last price believed was fetched; None when none ever was."""


def feed_problems(
    failures: Mapping[str, QuoteFailure], failing_since: Mapping[str, datetime], overview: Overview
) -> tuple[FeedProblem, ...]:
    """Every symbol the feed is failing, has stopped bringing or does not believe, in full:
    failing first, then stale, then suspect, each by symbol (the status line gives only a cut)."""
    rows = {row.symbol: row for row in overview.rows}

    def last_good(symbol: str) -> datetime | None:
        row = rows.get(symbol)
        return row.quote.fetched_at if row and row.quote else None

    problems = [
        FeedProblem(symbol, "failing", failure.reason, failing_since.get(symbol), last_good(symbol))
        for symbol, failure in sorted(failures.items())
    ]
    by_symbol = sorted(overview.rows, key=lambda r: r.symbol)
    for row in by_symbol:
        if row.stale and row.symbol not in failures:
            fetched = last_good(row.symbol)
            problems.append(FeedProblem(row.symbol, "stale", "no new quote has come", fetched, fetched))
    for row in by_symbol:
        if row.suspect:
            problems.append(FeedProblem(row.symbol, "suspect", row.suspect, None, last_good(row.symbol)))
    return tuple(problems)
