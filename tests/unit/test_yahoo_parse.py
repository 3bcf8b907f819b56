"""Reading Yahoo chart answers: recorded bodies and the hostile or odd ones described in FORMATS.md."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.loopback import yahoo_chart_body
from watcher.domain.market import MarketState, TradingPeriods, market_state
from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.wire import MAX_RETRY_AFTER_SECONDS
from watcher.quotes.yahoo_parse import (
    clean_text,
    close_on,
    parse_chart_closes,
    parse_chart_quote,
    parse_retry_after,
    parse_trading_periods,
)

DATA = Path(__file__).parent.parent / "data" / "yahoo"
FETCHED_AT = datetime(2024, 10, 11, 20, 5, tzinfo=UTC)
AAPL = (DATA / "chart_AAPL_period_1d_daily_normal.json").read_bytes()


def chart(meta: dict, **result: object) -> bytes:
    return json.dumps({"chart": {"result": [{"meta": meta, **result}], "error": None}}).encode()


def aapl_with(**meta_changes: object) -> bytes:
    data = json.loads(AAPL)
    data["chart"]["result"][0]["meta"].update(meta_changes)
    return json.dumps(data).encode()


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


# -- recorded bodies ---------------------------------------------------------------------------


def test_recorded_aapl_gives_price_previous_close_and_names() -> None:
    quote = parse_chart_quote("AAPL", 200, AAPL, FETCHED_AT)
    assert isinstance(quote, Quote)
    assert quote.price == 227.55
    assert quote.previous_close == 227.79  # from chartPreviousClose: the body has no previousClose
    assert quote.market_time == datetime(2024, 10, 11, 20, 0, 1, tzinfo=UTC)
    assert quote.fetched_at == FETCHED_AT
    assert (quote.currency, quote.exchange, quote.name) == ("USD", "NasdaqGS", "Apple Inc.")


def test_previous_close_is_preferred_over_chart_previous_close() -> None:
    quote = parse_chart_quote("AAPL", 200, aapl_with(previousClose=226.5), FETCHED_AT)
    assert isinstance(quote, Quote) and quote.previous_close == 226.5


def test_implausible_previous_close_falls_back_then_to_none() -> None:
    fallback = parse_chart_quote("AAPL", 200, aapl_with(previousClose=0), FETCHED_AT)
    assert isinstance(fallback, Quote) and fallback.previous_close == 227.79
    none = parse_chart_quote("AAPL", 200, aapl_with(chartPreviousClose="227.79"), FETCHED_AT)
    assert isinstance(none, Quote) and none.previous_close is None


def test_recorded_gs2c_quote_strips_padded_short_name_and_null_bars_are_skipped() -> None:
    body = (DATA / "chart_GS2C.DE_5d_daily_null_bars.json").read_bytes()
    quote = parse_chart_quote("GS2C.DE", 200, body, FETCHED_AT)
    assert isinstance(quote, Quote)
    assert (quote.price, quote.currency, quote.exchange, quote.name) == (23.065, "EUR", "XETRA", "GameStop Corp.")
    closes = parse_chart_closes("GS2C.DE", 200, body)
    assert isinstance(closes, list)
    assert [round(close, 3) for _, close in closes] == [22.39, 22.695, 23.065]  # two null bars left out


def test_short_name_is_used_without_long_name_and_stripped() -> None:
    body = aapl_with(longName=None, shortName="Gamestop Corp.                R  ")
    quote = parse_chart_quote("AAPL", 200, body, FETCHED_AT)
    assert isinstance(quote, Quote) and quote.name == "Gamestop Corp. R"


def test_recorded_404_names_the_symbol_and_yahoos_words() -> None:
    body = (DATA / "chart_INVALID.BO_404_not_found.json").read_bytes()
    result = failure(parse_chart_quote("INVALID.BO", 404, body, FETCHED_AT))
    assert result.kind is FailureKind.NOT_FOUND
    assert result.reason == "Yahoo does not know INVALID.BO (no data found, symbol may be delisted)"


def test_404_without_json_still_reads_as_unknown_symbol() -> None:
    result = failure(parse_chart_quote("CRWVX", 404, b"Not Found", FETCHED_AT))
    assert result.kind is FailureKind.NOT_FOUND
    assert result.reason == "Yahoo does not know CRWVX (symbol may be delisted)"


# -- status codes ------------------------------------------------------------------------------


def test_429_recorded_body_is_rate_limited_with_retry_after_seconds() -> None:
    body = (DATA / "yahoo_429_body_too_many_requests.txt").read_bytes()
    result = failure(parse_chart_quote("AAPL", 429, body, FETCHED_AT, {"Retry-After": "30"}))
    assert (result.kind, result.reason, result.retry_after) == (
        FailureKind.RATE_LIMITED,
        "rate-limited by Yahoo (HTTP 429)",
        30.0,
    )
    assert failure(parse_chart_quote("AAPL", 429, body, FETCHED_AT)).retry_after is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        ("Fri, 11 Oct 2024 20:06:30 GMT", 90.0),
        ("Fri, 11 Oct 2024 20:00:00 GMT", 0.0),  # already past: retry now, never a negative wait
        ("-5", None),
        ("nan", None),
        ("soon", None),
        ("", None),
        # Past an hour a wait is capped: a broken server must not stall the quotes for days,
        # nor overflow the time arithmetic (1e15 s is beyond what a timedelta holds).
        ("1e15", 3600.0),
        ("999999", 3600.0),
        ("3600", 3600.0),
        ("1e400", 3600.0),
        ("Thu, 01 Jan 2099 00:00:00 GMT", 3600.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 3600.0),
        ("-1e15", None),
        ("\u0661\u0662\u0660", None),  # Arabic-Indic digits that float() would read as 120
        ("12 0", None),
        ("Thu, 99 Foo 2099 99:99:99 GMT", None),
    ],
)
def test_retry_after_header_forms(header: str, expected: float | None) -> None:
    assert parse_retry_after(header, FETCHED_AT) == expected


def test_a_429_with_a_huge_retry_after_waits_an_hour() -> None:
    result = failure(parse_chart_quote("AAPL", 429, b"Too Many Requests", FETCHED_AT, {"Retry-After": "1e15"}))
    assert result.retry_after == MAX_RETRY_AFTER_SECONDS == 3600.0


@pytest.mark.parametrize("status", [400, 401, 403, 500, 502, 503])
def test_other_error_statuses_are_http_errors_with_the_status(status: int) -> None:
    result = failure(parse_chart_quote("AAPL", status, b"oops", FETCHED_AT))
    assert result.kind is FailureKind.HTTP_ERROR
    assert f"HTTP {status}" in result.reason


# -- bodies that are not a chart ---------------------------------------------------------------


def test_html_page_with_200_is_a_bad_response() -> None:
    body = b"<!DOCTYPE html><html><head><title>Yahoo</title></head><body>consent</body></html>"
    result = failure(parse_chart_quote("AAPL", 200, body, FETCHED_AT))
    assert result.kind is FailureKind.BAD_RESPONSE
    assert result.reason == "Yahoo answered with an HTML page, not JSON"


@pytest.mark.parametrize("cut", [1, 50, len(AAPL) // 2, len(AAPL) - 1])
def test_truncated_json_is_a_bad_response(cut: int) -> None:
    result = failure(parse_chart_quote("AAPL", 200, AAPL[:cut], FETCHED_AT))
    assert result.kind is FailureKind.BAD_RESPONSE
    assert "not JSON" in result.reason


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"[" * 100_000 + b"]" * 100_000,
        b"null",
        b"[]",
        b'{"chart": []}',
        b'{"chart": {"result": null, "error": {"code": "Bad", "description": "x"}}}',
        b'{"chart": {"result": []}}',
        b'{"chart": {"result": [42]}}',
        b'{"chart": {"result": [{"meta": "AAPL"}]}}',
        b'{"chart": {"result": [{"meta": {"symbol": 7, "regularMarketPrice": 1}}]}}',
    ],
)
def test_json_of_the_wrong_shape_is_a_bad_response(body: bytes) -> None:
    assert failure(parse_chart_quote("AAPL", 200, body, FETCHED_AT)).kind is FailureKind.BAD_RESPONSE
    assert failure(parse_chart_closes("AAPL", 200, body)).kind is FailureKind.BAD_RESPONSE


def test_answer_for_another_symbol_is_refused() -> None:
    result = failure(parse_chart_quote("CRWV", 200, AAPL, FETCHED_AT))
    assert result.kind is FailureKind.WRONG_SYMBOL
    assert result.reason == "answer was for AAPL, not CRWV"


def test_symbol_comparison_ignores_case() -> None:
    assert isinstance(parse_chart_quote("aapl", 200, AAPL, FETCHED_AT), Quote)


# -- prices ------------------------------------------------------------------------------------


def test_delisted_shape_is_delisted() -> None:
    body = chart({"currency": None, "symbol": "SQ", "instrumentType": "EQUITY"}, indicators={"quote": [{}]})
    result = failure(parse_chart_quote("SQ", 200, body, FETCHED_AT))
    assert result.kind is FailureKind.DELISTED
    assert "SQ" in result.reason
    assert failure(parse_chart_closes("SQ", 200, body)).kind is FailureKind.DELISTED


def test_window_without_bars_still_gives_the_live_price() -> None:
    meta = {"currency": "USD", "symbol": "CRWV", "regularMarketPrice": 91.2, "chartPreviousClose": 88.0}
    body = chart(meta, indicators={"quote": [{}]})
    quote = parse_chart_quote("CRWV", 200, body, FETCHED_AT)
    assert isinstance(quote, Quote) and (quote.price, quote.previous_close) == (91.2, 88.0)
    assert quote.market_time == FETCHED_AT  # no regularMarketTime: the fetch time stands in
    assert failure(parse_chart_closes("CRWV", 200, body)).kind is FailureKind.NO_DATA


@pytest.mark.parametrize("price", [0, -3.5, "227.55", True, [1], {"raw": 1}])
def test_implausible_prices_are_refused(price: object) -> None:
    result = failure(parse_chart_quote("AAPL", 200, aapl_with(regularMarketPrice=price), FETCHED_AT))
    assert result.kind is FailureKind.IMPLAUSIBLE
    assert "AAPL" in result.reason


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_non_finite_prices_are_refused(literal: bytes) -> None:
    body = AAPL.replace(b'"regularMarketPrice":227.55', b'"regularMarketPrice":' + literal)
    assert body != AAPL
    assert failure(parse_chart_quote("AAPL", 200, body, FETCHED_AT)).kind is FailureKind.IMPLAUSIBLE


def test_price_without_currency_missing_is_delisted_not_a_crash() -> None:
    body = aapl_with(regularMarketPrice=None)
    assert failure(parse_chart_quote("AAPL", 200, body, FETCHED_AT)).kind is FailureKind.DELISTED


@pytest.mark.parametrize("market_time", [None, "yesterday", 1e30, -1e30, True, float("nan")])
def test_invalid_market_time_falls_back_to_fetch_time(market_time: object) -> None:
    quote = parse_chart_quote("AAPL", 200, aapl_with(regularMarketTime=market_time), FETCHED_AT)
    assert isinstance(quote, Quote) and quote.market_time == FETCHED_AT


# -- hostile strings ---------------------------------------------------------------------------


def test_control_characters_and_escapes_are_removed_from_names() -> None:
    hostile = "Evil\x1b[2J\x1b]0;pwned\x07 Corp\u202e\x00\r\nInc\ud800"
    quote = parse_chart_quote("AAPL", 200, aapl_with(longName=hostile, currency="U\x1bSD"), FETCHED_AT)
    assert isinstance(quote, Quote)
    assert quote.name == "Evil[2J]0;pwned Corp Inc"
    assert quote.currency == "USD"
    assert all(ch.isprintable() for ch in quote.name)


def test_huge_names_are_capped() -> None:
    quote = parse_chart_quote("AAPL", 200, aapl_with(longName="A" * 10_000, fullExchangeName="X" * 10_000), FETCHED_AT)
    assert isinstance(quote, Quote)
    # Capped at 80 characters, the cut marked with an ellipsis as everywhere on screen.
    assert quote.name == "A" * 79 + "…"
    assert quote.exchange == "X" * 79 + "…"


def test_non_string_names_are_dropped() -> None:
    quote = parse_chart_quote("AAPL", 200, aapl_with(longName=12, shortName={"x": 1}, currency=[]), FETCHED_AT)
    assert isinstance(quote, Quote) and quote.name is None and quote.currency is None


def test_clean_text_empty_after_cleaning_is_none() -> None:
    assert clean_text("\x1b\x07   ") is None


# -- closes ------------------------------------------------------------------------------------


def test_closes_of_recorded_aapl_pick_the_day() -> None:
    closes = parse_chart_closes("AAPL", 200, AAPL)
    assert isinstance(closes, list) and len(closes) == 10
    assert close_on("AAPL", closes, date(2024, 10, 4)) == pytest.approx(226.80, abs=0.001)
    # 2024-10-05 is a Saturday: the Friday close stands.
    assert close_on("AAPL", closes, date(2024, 10, 5)) == pytest.approx(226.80, abs=0.001)


def test_close_on_ignores_bars_outside_the_week_before() -> None:
    closes = parse_chart_closes("AAPL", 200, AAPL)
    assert isinstance(closes, list)
    # The recorded bars end on 2024-10-11; eight days later none is within the asked week.
    assert failure(close_on("AAPL", closes, date(2024, 10, 19))).kind is FailureKind.NO_DATA
    # All bars are after 2024-09-29, so that day has no close either.
    assert failure(close_on("AAPL", closes, date(2024, 9, 29))).kind is FailureKind.NO_DATA


def test_closes_with_mismatched_lengths_are_a_bad_response() -> None:
    body = chart(
        {"currency": "USD", "symbol": "AAPL", "regularMarketPrice": 1.0},
        timestamp=[1728653400, 1728739800],
        indicators={"quote": [{"close": [1.0]}]},
    )
    assert failure(parse_chart_closes("AAPL", 200, body)).kind is FailureKind.BAD_RESPONSE


# -- sessions and the extended-hours price ----------------------------------------------------


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 10, day, hour, minute, tzinfo=UTC)


def test_recorded_aapl_sessions_are_the_next_monday() -> None:
    quote = parse_chart_quote("AAPL", 200, AAPL, FETCHED_AT)
    assert isinstance(quote, Quote)
    assert quote.trading_periods == TradingPeriods(
        pre=(utc(14, 8), utc(14, 13, 30)),
        regular=(utc(14, 13, 30), utc(14, 20)),
        post=(utc(14, 20), utc(15, 0)),
    )
    # Fetched on Friday evening after the after-hours session: the periods already name Monday.
    assert market_state(quote.trading_periods, FETCHED_AT) is MarketState.CLOSED
    assert market_state(quote.trading_periods, utc(14, 21)) is MarketState.POST
    assert quote.extended_price is None  # the daily bars are all before Monday


def test_recorded_gs2c_sessions_are_read_too() -> None:
    body = (DATA / "chart_GS2C.DE_5d_daily_null_bars.json").read_bytes()
    quote = parse_chart_quote("GS2C.DE", 200, body, FETCHED_AT)
    assert isinstance(quote, Quote) and quote.trading_periods is not None
    assert quote.trading_periods.regular == (
        datetime(2025, 10, 1, 7, 0, tzinfo=UTC),
        datetime(2025, 10, 1, 15, 30, tzinfo=UTC),
    )


GOOD = {"start": 1728912600, "end": 1728936000}


@pytest.mark.parametrize(
    "periods",
    [
        None,
        "09:30-16:00",
        [],
        {},
        {"regular": None},
        {"regular": [1728912600, 1728936000]},
        {"regular": {"start": 1728912600}},
        {"regular": {"start": "1728912600", "end": 1728936000}},
        {"regular": {"start": True, "end": 1728936000}},
        {"regular": {"start": 1e30, "end": 1e31}},
        {"regular": {"start": 1728936000, "end": 1728912600}},  # ends before it starts
        {"pre": 5, "regular": GOOD},
        {"pre": {"start": 1728892800, "end": "later"}, "regular": GOOD},
        {"regular": GOOD, "post": {"start": 1728900000, "end": 1728950400}},  # post inside regular
    ],
)
def test_junk_sessions_are_unknown_and_the_quote_still_stands(periods: object) -> None:
    body = aapl_with(currentTradingPeriod=periods)
    quote = parse_chart_quote("AAPL", 200, body, FETCHED_AT)
    assert isinstance(quote, Quote) and quote.price == 227.55
    assert quote.trading_periods is None
    assert parse_trading_periods(json.loads(body)["chart"]["result"][0]["meta"]) is None


def test_sessions_without_pre_and_post_keep_the_regular_one() -> None:
    periods = parse_trading_periods({"currentTradingPeriod": {"regular": GOOD, "pre": None}})
    assert periods == TradingPeriods(pre=None, regular=(utc(14, 13, 30), utc(14, 20)), post=None)


# Friday 2024-10-11: pre-market 08:00-13:30, regular 13:30-20:00, after-hours 20:00-24:00 UTC.
FRIDAY = {
    "pre": (utc(11, 8), utc(11, 13, 30)),
    "regular": (utc(11, 13, 30), utc(11, 20)),
    "post": (utc(11, 20), utc(12, 0)),
}


def friday_body(bars: dict[datetime, float | None], periods: dict | None = FRIDAY) -> bytes:
    return yahoo_chart_body("AAPL", 227.55, 227.79, list(bars), list(bars.values()), trading_periods=periods)


def extended(bars: dict[datetime, float | None], periods: dict | None = FRIDAY) -> float | None:
    quote = parse_chart_quote("AAPL", 200, friday_body(bars, periods), FETCHED_AT)
    assert isinstance(quote, Quote) and quote.price == 227.55  # the regular price is never replaced
    return quote.extended_price


def test_extended_price_is_the_last_after_hours_bar_with_a_trade() -> None:
    bars = {utc(11, 19, 55): 227.55, utc(11, 20, 30): 228.10, utc(11, 21): 228.40, utc(11, 21, 5): None}
    assert extended(bars) == 228.40


def test_extended_price_in_the_pre_market() -> None:
    bars = {utc(10, 23, 55): 229.0, utc(11, 8, 5): 226.0, utc(11, 12, 0): 226.5}
    assert extended(bars) == 226.5  # Thursday's late bar lies outside Friday's sessions


def test_no_extended_price_once_the_regular_session_has_traded() -> None:
    # The morning's pre-market trade is history by midday; showing it beside the quote would mislead.
    assert extended({utc(11, 12, 0): 226.5, utc(11, 15, 0): 227.0}) is None


def test_no_extended_price_without_sessions_or_without_bars() -> None:
    assert extended({utc(11, 21): 228.40}, periods=None) is None
    assert extended({}) is None


def test_implausible_after_hours_closes_are_skipped() -> None:
    assert extended({utc(11, 20, 30): 228.10, utc(11, 21): 0.0}) == 228.10
    body = friday_body({utc(11, 20, 30): 228.10}).replace(b"228.1", b"-1")
    quote = parse_chart_quote("AAPL", 200, body, FETCHED_AT)
    assert isinstance(quote, Quote) and quote.extended_price is None


def test_malformed_bars_cost_the_extended_price_not_the_quote() -> None:
    body = json.loads(friday_body({utc(11, 21): 228.40}))
    body["chart"]["result"][0]["indicators"]["quote"][0]["close"] = [228.4, 229.0]  # one more than stamps
    quote = parse_chart_quote("AAPL", 200, json.dumps(body).encode(), FETCHED_AT)
    assert isinstance(quote, Quote) and quote.price == 227.55 and quote.extended_price is None
    assert quote.trading_periods is not None
