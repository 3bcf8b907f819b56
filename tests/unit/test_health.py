"""feed_health: offline and rate-limited headlines, and one problem phrase per failed symbol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watcher.domain.health import feed_health, feed_problems, refresh_words
from watcher.domain.overview import build_overview
from watcher.domain.portfolio import Portfolio
from watcher.domain.quote import FailureKind, Quote, QuoteBook, QuoteFailure

NOW = datetime(2025, 9, 25, 15, 0, tzinfo=UTC)
SYMBOLS = ("NBIS", "CRWV", "IREN")


def failure(symbol: str, kind: FailureKind, reason: str) -> QuoteFailure:
    return QuoteFailure(symbol, kind, reason)


def network(symbol: str) -> QuoteFailure:
    return failure(symbol, FailureKind.NETWORK, "cannot reach Yahoo (connection refused)")


def health(failures: dict[str, QuoteFailure], quotes: dict[str, Quote] | None = None):
    book = QuoteBook(quotes=dict(quotes or {}), failures=dict(failures))
    view = build_overview(SYMBOLS, Portfolio(), (), {}, book, {}, NOW, timedelta(minutes=5))
    return feed_health("Yahoo", failures, view)


def test_offline_when_every_symbol_failed_on_the_network() -> None:
    result = health({s: network(s) for s in SYMBOLS})
    assert result.headline == "offline: cannot reach Yahoo"
    # One reason shared by every symbol is said once, not once per symbol.
    assert result.problems == ("all 3: cannot reach Yahoo (connection refused)",)


def test_not_offline_when_only_some_symbols_failed_on_the_network() -> None:
    result = health({"CRWV": network("CRWV")})
    assert result.headline is None
    assert result.problems == ("CRWV: cannot reach Yahoo (connection refused)",)


def test_rate_limited_headline_on_any_rate_limited_failure() -> None:
    limited = failure("IREN", FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)")
    assert health({"IREN": limited}).headline == "rate-limited by Yahoo"
    mixed = {"NBIS": network("NBIS"), "CRWV": network("CRWV"), "IREN": limited}
    assert health(mixed).headline == "rate-limited by Yahoo"


def test_no_headline_when_all_is_well_or_for_a_symbol_problem() -> None:
    assert health({}).headline is None
    assert health({}).problems == ()
    missing = failure("CRWV", FailureKind.NOT_FOUND, "Yahoo does not know CRWV")
    assert health({"CRWV": missing}).headline is None


def test_one_problem_per_failed_symbol_sorted_by_symbol() -> None:
    failures = {
        "NBIS": failure("NBIS", FailureKind.NO_DATA, "no price in Yahoo's answer"),
        "CRWV": failure("CRWV", FailureKind.HTTP_ERROR, "Yahoo answered HTTP 500"),
    }
    assert health(failures).problems == (
        "CRWV: Yahoo answered HTTP 500",
        "NBIS: no price in Yahoo's answer",
    )


def test_stale_symbols_are_listed() -> None:
    old = NOW - timedelta(minutes=10)
    quotes = {"CRWV": Quote("CRWV", 128.4, None, old, old), "NBIS": Quote("NBIS", 100.0, None, NOW, NOW)}
    assert health({}, quotes).stale == ("CRWV",)


def test_suspect_symbols_are_listed_apart_from_stale_ones() -> None:
    ahead = NOW + timedelta(days=365)
    quotes = {"CRWV": Quote("CRWV", 128.4, None, ahead, NOW), "NBIS": Quote("NBIS", 100.0, None, NOW, NOW)}
    result = health({}, quotes)
    assert result.suspect == ("CRWV",) and result.stale == ()


def test_refresh_words_tell_a_failed_refresh_from_a_good_one() -> None:
    assert refresh_words(None, None, False, True) == "fetching…"
    assert refresh_words(None, None, False, False) == "no refresh yet"
    assert refresh_words("14:03:22", "14:03:22", False, False) == "refreshed 14:03:22"
    assert refresh_words("14:03:22", "14:03:22", False, True) == "refreshed 14:03:22 · fetching…"
    assert refresh_words("14:04:22", "14:03:22", True, False) == "last good 14:03:22 · failed 14:04:22"
    assert refresh_words("14:04:22", None, True, False) == "last good never · failed 14:04:22"


def test_one_reason_shared_by_several_symbols_is_said_once() -> None:
    html = "Yahoo answered with an HTML page, not JSON"
    failures = {s: failure(s, FailureKind.BAD_RESPONSE, html) for s in ("CRWV", "NBIS")}
    assert health(failures).problems == (f"CRWV, NBIS: {html}",)


def test_the_full_account_puts_failing_first_then_stale_then_suspect() -> None:
    old, ahead = NOW - timedelta(minutes=10), NOW + timedelta(days=365)
    quotes = {"CRWV": Quote("CRWV", 128.4, None, old, old), "IREN": Quote("IREN", 40.0, None, ahead, NOW),
              "NBIS": Quote("NBIS", 100.0, None, old, old)}
    failures = {"NBIS": network("NBIS")}
    book = QuoteBook(quotes=quotes, failures=failures)
    view = build_overview(SYMBOLS, Portfolio(), (), {}, book, {}, NOW, timedelta(minutes=5))
    began = NOW - timedelta(minutes=3)
    problems = feed_problems(failures, {"NBIS": began}, view)
    assert [(p.symbol, p.problem, p.since, p.last_good) for p in problems] == [
        ("NBIS", "failing", began, old),  # stale too, but said once, with its reason
        ("CRWV", "stale", old, old),
        ("IREN", "suspect", None, NOW),
    ]
    assert problems[0].reason == "cannot reach Yahoo (connection refused)"
    assert problems[2].reason.startswith("suspect quote:")


def test_the_countdown_is_whole_seconds_rounded_up_and_never_negative() -> None:
    book = QuoteBook()
    view = build_overview(SYMBOLS, Portfolio(), (), {}, book, {}, NOW, timedelta(minutes=5))
    assert feed_health("Yahoo", {}, view, 34.2).retry_in == 35
    assert feed_health("Yahoo", {}, view, -3.0).retry_in == 0
    assert feed_health("Yahoo", {}, view).retry_in is None


def test_the_sources_of_the_prices_shown_are_counted() -> None:
    quotes = {
        "CRWV": Quote("CRWV", 128.4, None, NOW, NOW, source="Nasdaq"),
        "NBIS": Quote("NBIS", 100.0, None, NOW, NOW, source="Yahoo"),
        "IREN": Quote("IREN", 40.0, None, NOW, NOW, source="Nasdaq"),
    }
    assert health({}, quotes).sources == (("Nasdaq", 2), ("Yahoo", 1))
