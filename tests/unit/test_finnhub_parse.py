"""Reading Finnhub /quote answers: the recorded bodies and the cases FORMATS.md describes in words."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.finnhub import (
    NO_HISTORY_REASON,
    NO_TOKEN_REASON,
    FinnhubProvider,
    finnhub_unavailable_reason,
    parse_finnhub_quote,
)
from watcher.quotes.provider import ChartRange, QuoteProvider

DATA = Path(__file__).parent.parent / "data" / "finnhub"
AAPL = (DATA / "finnhub_quote_AAPL_normal.json").read_bytes()
LIMIT_REACHED = (DATA / "finnhub_429_api_limit_reached.json").read_bytes()
FETCHED_AT = datetime(2024, 10, 11, 20, 5, tzinfo=UTC)
UNKNOWN = b'{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}'


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


def aapl_with(**changes: object) -> bytes:
    return json.dumps({**json.loads(AAPL), **changes}).encode()


def test_recorded_quote() -> None:
    quote = parse_finnhub_quote("AAPL", 200, AAPL, FETCHED_AT)
    assert isinstance(quote, Quote)
    assert (quote.symbol, quote.price, quote.previous_close) == ("AAPL", 175.43, 172.99)
    assert quote.market_time == datetime(2021, 11, 7, 22, 0, tzinfo=UTC)  # t = 1636322400
    assert quote.fetched_at == FETCHED_AT
    assert quote.day_change == pytest.approx(2.44)


@pytest.mark.parametrize(
    "body",
    [
        UNKNOWN,
        b'{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0}',  # no time at all
        aapl_with(t=0),  # prices but no time: nothing says when they traded
        aapl_with(c=0, pc=0, h=0, l=0, o=0),  # a time but every number zero
        aapl_with(c=None),
    ],
)
def test_unknown_symbol_is_no_data_never_a_price_of_zero(body: bytes) -> None:
    result = failure(parse_finnhub_quote("NOPE", 200, body, FETCHED_AT))
    assert (result.kind, result.reason) == (FailureKind.NO_DATA, "Finnhub has no data for NOPE")


@pytest.mark.parametrize("price", [float("nan"), float("inf"), -5.0, 0])
def test_implausible_prices(price: float) -> None:
    result = failure(parse_finnhub_quote("AAPL", 200, aapl_with(c=price), FETCHED_AT))
    assert result.kind is FailureKind.IMPLAUSIBLE
    assert result.reason.startswith("Finnhub sent an implausible price for AAPL: ")


def test_implausible_previous_close_is_left_out_not_used() -> None:
    quote = parse_finnhub_quote("AAPL", 200, aapl_with(pc=-1), FETCHED_AT)
    assert isinstance(quote, Quote) and quote.previous_close is None and quote.day_change is None


@pytest.mark.parametrize("stamp", [1e20, -5, float("nan")])
def test_impossible_time_is_a_bad_response(stamp: float) -> None:
    result = failure(parse_finnhub_quote("AAPL", 200, aapl_with(t=stamp), FETCHED_AT))
    assert result.kind is FailureKind.BAD_RESPONSE
    assert result.reason == "Finnhub's quote for AAPL had an impossible time"


def test_429_as_json_and_as_plain_text() -> None:
    limited = failure(parse_finnhub_quote("AAPL", 429, LIMIT_REACHED, FETCHED_AT, {"Retry-After": "30"}))
    assert (limited.kind, limited.reason, limited.retry_after) == (
        FailureKind.RATE_LIMITED,
        "rate-limited by Finnhub (HTTP 429)",
        30.0,
    )
    plain = failure(parse_finnhub_quote("AAPL", 429, b"Too Many Requests", FETCHED_AT))
    assert plain.kind is FailureKind.RATE_LIMITED and plain.retry_after is None
    # A plain-text 429 is also how Finnhub answers a wrong key: the reason says so.
    assert plain.reason == "rate-limited by Finnhub (HTTP 429), or the key was refused"


@pytest.mark.parametrize(
    ("header", "expected"),
    [("1e15", 3600.0), ("999999", 3600.0), ("Thu, 01 Jan 2099 00:00:00 GMT", 3600.0), ("-3", None), ("soon", None)],
)
def test_a_429_retry_after_is_capped_at_an_hour(header: str, expected: float | None) -> None:
    limited = failure(parse_finnhub_quote("AAPL", 429, LIMIT_REACHED, FETCHED_AT, {"Retry-After": header}))
    assert limited.retry_after == expected


def test_403_and_401_say_the_key_or_plan_was_refused() -> None:
    body = b'{"error":"You don\'t have access to this resource."}'
    forbidden = failure(parse_finnhub_quote("SAP.DE", 403, body, FETCHED_AT))
    assert forbidden.kind is FailureKind.HTTP_ERROR
    assert forbidden.reason == (
        "Finnhub refused SAP.DE (HTTP 403): outside your plan, or the key was refused"
        ' ("You don\'t have access to this resource.")'
    )
    refused = failure(parse_finnhub_quote("AAPL", 401, b'{"error":"Invalid API key"}', FETCHED_AT))
    assert (refused.kind, refused.reason) == (
        FailureKind.HTTP_ERROR,
        'Finnhub refused the key (HTTP 401) ("Invalid API key")',
    )


def test_error_text_from_the_server_is_cleaned() -> None:
    body = json.dumps({"error": "\x1b]8;;evil\x07no\x1b[31m access\n" + "x" * 500}).encode()
    reason = failure(parse_finnhub_quote("AAPL", 403, body, FETCHED_AT)).reason
    assert "\x1b" not in reason and "\n" not in reason and len(reason) < 250


def test_other_statuses_are_http_errors() -> None:
    result = failure(parse_finnhub_quote("AAPL", 502, b"Bad Gateway", FETCHED_AT))
    assert (result.kind, result.reason) == (FailureKind.HTTP_ERROR, "Finnhub answered HTTP 502 for AAPL")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "Finnhub sent an empty answer"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "Finnhub answered with an HTML page, not JSON"),
        (AAPL[:40], "Finnhub's answer was not JSON (cut off or garbled)"),
        (b"[" * 100_000 + b"]" * 100_000, "Finnhub's answer was not JSON (cut off or garbled)"),
        (b"[175.43]", "Finnhub's answer for AAPL was not a quote"),
        (b'{"price":175.43}', "Finnhub's answer for AAPL was not a quote"),
        (b'{"error":"Wrong symbol"}', 'Finnhub\'s answer for AAPL was not a quote ("Wrong symbol")'),
        (aapl_with(c="175.43"), "Finnhub's quote for AAPL was malformed"),
        (aapl_with(t="1636322400"), "Finnhub's quote for AAPL was malformed"),
        (aapl_with(c=True), "Finnhub's quote for AAPL was malformed"),
    ],
)
def test_bodies_that_are_not_a_quote(body: bytes, reason: str) -> None:
    result = failure(parse_finnhub_quote("AAPL", 200, body, FETCHED_AT))
    assert (result.kind, result.reason) == (FailureKind.BAD_RESPONSE, reason)


def test_unavailable_without_a_key_or_with_one_no_header_can_carry() -> None:
    assert finnhub_unavailable_reason(None) == NO_TOKEN_REASON
    assert finnhub_unavailable_reason("  ") == NO_TOKEN_REASON
    assert NO_TOKEN_REASON == "Finnhub needs a key: set NEOWATCH_FINNHUB_TOKEN or settings.finnhub_token"
    assert finnhub_unavailable_reason("ab cd") is not None
    assert finnhub_unavailable_reason("clé") is not None
    assert finnhub_unavailable_reason("c1abc-DEF_9") is None


async def test_provider_is_not_made_without_a_key_and_the_error_does_not_echo_a_bad_one() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(ValueError, match="Finnhub needs a key"):
            FinnhubProvider(client, "")
        with pytest.raises(ValueError) as raised:
            FinnhubProvider(client, "secret\nkey")
    assert "secret" not in str(raised.value)


async def test_no_history_on_the_free_plan_and_no_request_made() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request expected, got {request.url}")

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
        provider = FinnhubProvider(client, "c1abc")
        assert isinstance(provider, QuoteProvider)
        assert (provider.name, provider.simulated) == ("Finnhub", False)
        close = failure(await provider.fetch_close_on("AAPL", FETCHED_AT.date()))
        history = failure(await provider.fetch_history("AAPL", ChartRange.ONE_MONTH))
    for result in (close, history):
        assert (result.symbol, result.kind, result.reason) == ("AAPL", FailureKind.NO_DATA, NO_HISTORY_REASON)
    assert NO_HISTORY_REASON == "Finnhub's free plan has no price history"
