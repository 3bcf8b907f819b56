"""The Yahoo provider over real HTTP, against a loopback server that plays Yahoo and its bad days."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from tests.loopback import LoopbackServer, RecordedRequest, Reply, json_reply, yahoo_chart_body
from tests.net.conftest import FETCHED_AT
from watcher.domain.market import MarketState, market_state
from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.http import BROWSER_USER_AGENT, make_http_client
from watcher.quotes.provider import QuoteProvider
from watcher.quotes.yahoo import YahooProvider

DATA = Path(__file__).parent.parent / "data" / "yahoo"
AAPL = (DATA / "chart_AAPL_period_1d_daily_normal.json").read_bytes()


def at(day: int, hour: int = 13, minute: int = 30) -> datetime:
    return datetime(2024, 10, day, hour, minute, tzinfo=UTC)


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


def test_provider_satisfies_the_protocol(yahoo: YahooProvider) -> None:
    assert isinstance(yahoo, QuoteProvider)
    assert (yahoo.name, yahoo.simulated) == ("Yahoo", False)


async def test_normal_quote_and_the_request_yahoo_needs(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", json_reply(AAPL))
    results = await yahoo.fetch_quotes(["AAPL"])
    quote = results["AAPL"]
    assert isinstance(quote, Quote)
    assert (quote.price, quote.previous_close, quote.fetched_at) == (227.55, 227.79, FETCHED_AT)
    [request] = loopback.requests
    assert request.path == "/v8/finance/chart/AAPL"
    assert request.query == {"range": ["1d"], "interval": ["5m"], "includePrePost": ["true"]}
    assert request.headers["user-agent"] == BROWSER_USER_AGENT


async def test_quote_carries_sessions_and_the_after_hours_price(
    yahoo: YahooProvider, loopback: LoopbackServer
) -> None:
    sessions = {
        "pre": (at(11, 8, 0), at(11, 13, 30)),
        "regular": (at(11, 13, 30), at(11, 20, 0)),
        "post": (at(11, 20, 0), at(12, 0, 0)),
    }
    stamps = [at(11, 19, 55), at(11, 20, 0), at(11, 20, 5)]  # the test clock says 20:05
    body = yahoo_chart_body("CRWV", 91.2, 88.0, stamps, [91.2, 91.5, 92.05], trading_periods=sessions)
    loopback.route_chart("CRWV", json_reply(body))
    quote = (await yahoo.fetch_quotes(["CRWV"]))["CRWV"]
    assert isinstance(quote, Quote)
    assert (quote.price, quote.extended_price) == (91.2, 92.05)
    assert market_state(quote.trading_periods, FETCHED_AT) is MarketState.POST
    assert loopback.requests[0].query["includePrePost"] == ["true"]


async def test_symbols_are_url_quoted(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("^GSPC", json_reply(yahoo_chart_body("^GSPC", 5800.0)))
    loopback.route_chart("A/B", json_reply(yahoo_chart_body("A/B", 1.0)))
    results = await yahoo.fetch_quotes(["^GSPC", "A/B"])
    assert isinstance(results["^GSPC"], Quote) and results["^GSPC"].price == 5800.0
    assert isinstance(results["A/B"], Quote)  # the slash stayed inside one path segment
    assert sorted(r.path for r in loopback.requests) == ["/v8/finance/chart/A/B", "/v8/finance/chart/^GSPC"]


async def test_many_symbols_at_once_stay_under_the_concurrency_limit(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    limit = 3

    def held(request: RecordedRequest) -> Reply:
        # Hold each answer until `limit` requests were open together: proves they overlap.
        loopback.wait_for_in_flight(limit)
        symbol = request.path.rsplit("/", 1)[-1]
        return json_reply(yahoo_chart_body(symbol, 10.0 + len(symbol)))

    loopback.route("/v8/finance/chart/", held)
    symbols = ["CRWV", "NBIS", "NVDA", "ORCL", "AMD", "SMCI", "IREN", "APLD"]
    yahoo = YahooProvider(http_client, base_url=loopback.base_url, concurrency=limit)
    results = await yahoo.fetch_quotes(symbols)
    assert list(results) == symbols
    assert all(isinstance(result, Quote) for result in results.values())
    assert results["AMD"].price == 13.0
    assert len(loopback.requests) == len(symbols)
    assert loopback.max_in_flight == limit


async def test_duplicate_symbols_are_fetched_once(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", json_reply(AAPL))
    results = await yahoo.fetch_quotes(["AAPL", "AAPL"])
    assert list(results) == ["AAPL"] and len(loopback.requests) == 1


async def test_one_bad_symbol_does_not_spoil_the_others(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", json_reply(AAPL))
    results = await yahoo.fetch_quotes(["AAPL", "CRWVX"])  # CRWVX falls to the server's 404
    assert isinstance(results["AAPL"], Quote)
    missing = failure(results["CRWVX"])
    assert missing.kind is FailureKind.NOT_FOUND
    assert missing.reason == "Yahoo does not know CRWVX (no data found, symbol may be delisted)"


async def test_429_with_retry_after_seconds(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    body = (DATA / "yahoo_429_body_too_many_requests.txt").read_bytes()
    loopback.route_chart("AAPL", Reply(429, {"Content-Type": "text/plain", "Retry-After": "42"}, body))
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert (result.kind, result.reason, result.retry_after) == (
        FailureKind.RATE_LIMITED,
        "rate-limited by Yahoo (HTTP 429)",
        42.0,
    )


async def test_429_with_retry_after_date_and_without(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", Reply(429, {"Retry-After": "Fri, 11 Oct 2024 20:07:00 GMT"}, b"Too Many Requests"))
    loopback.route_chart("NVDA", Reply(429, {}, b"Edge: Too Many Requests"))
    results = await yahoo.fetch_quotes(["AAPL", "NVDA"])
    assert failure(results["AAPL"]).retry_after == 120.0  # the test clock says 20:05:00
    assert failure(results["NVDA"]).kind is FailureKind.RATE_LIMITED
    assert failure(results["NVDA"]).retry_after is None


async def test_500_is_an_http_error(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", Reply(500, {}, b"Internal Server Error"))
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert result.kind is FailureKind.HTTP_ERROR and "HTTP 500" in result.reason


async def test_html_page_with_200(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    page = b"<html><body>Please accept our cookies</body></html>"
    loopback.route_chart("AAPL", Reply(200, {"Content-Type": "text/html"}, page))
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert (result.kind, result.reason) == (FailureKind.BAD_RESPONSE, "Yahoo answered with an HTML page, not JSON")


async def test_truncated_json_body(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", json_reply(AAPL[:300]))  # complete HTTP answer, incomplete JSON
    loopback.route_chart("NVDA", Reply(200, {"Content-Type": "application/json"}, AAPL, truncate_at=300))
    results = await yahoo.fetch_quotes(["AAPL", "NVDA"])
    assert failure(results["AAPL"]).kind is FailureKind.BAD_RESPONSE
    cut = failure(results["NVDA"])  # the connection closed mid-body
    assert (cut.kind, cut.reason) == (FailureKind.BAD_RESPONSE, "Yahoo's answer was cut off")


async def test_connection_closed_without_an_answer(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", Reply(drop=True))
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert result.kind is FailureKind.NETWORK and "without answering" in result.reason


async def test_timeout_is_a_network_failure_in_words(loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", Reply(delay=30.0, body=AAPL))  # released when the server stops
    client = make_http_client(timeout=httpx.Timeout(0.2))
    try:
        yahoo = YahooProvider(client, base_url=loopback.base_url)
        result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    finally:
        await client.aclose()
    assert (result.kind, result.reason) == (FailureKind.NETWORK, "Yahoo did not answer in time")


async def test_connection_refused_names_the_host(http_client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yahoo = YahooProvider(http_client, base_url=f"http://127.0.0.1:{port}")
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert (result.kind, result.reason) == (FailureKind.NETWORK, f"cannot connect to Yahoo at 127.0.0.1:{port}")
    failed_close = failure(await yahoo.fetch_close_on("AAPL", date(2024, 10, 11)))
    assert failed_close.kind is FailureKind.NETWORK


async def test_answer_for_another_symbol(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("CRWV", json_reply(AAPL))
    result = failure((await yahoo.fetch_quotes(["CRWV"]))["CRWV"])
    assert (result.kind, result.reason) == (FailureKind.WRONG_SYMBOL, "answer was for AAPL, not CRWV")


async def test_base_url_with_trailing_slash_and_path_is_honoured(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    loopback.route("/mirror/v8/finance/chart/AAPL", json_reply(AAPL))
    yahoo = YahooProvider(http_client, base_url=loopback.base_url + "/mirror/")
    assert isinstance((await yahoo.fetch_quotes(["AAPL"]))["AAPL"], Quote)
    assert [r.path for r in loopback.requests] == ["/mirror/v8/finance/chart/AAPL"]


# -- fetch_close_on ----------------------------------------------------------------------------


async def test_close_on_picks_the_last_bar_on_or_before_the_day(
    yahoo: YahooProvider, loopback: LoopbackServer
) -> None:
    body = yahoo_chart_body(
        "CRWV",
        120.0,
        timestamps=[at(7), at(8), at(9), at(10), at(11)],
        closes=[100.0, 101.0, None, 103.0, 104.0],
    )
    loopback.route_chart("CRWV", json_reply(body))
    assert await yahoo.fetch_close_on("CRWV", date(2024, 10, 10)) == 103.0  # the 11th is after the day
    assert await yahoo.fetch_close_on("CRWV", date(2024, 10, 9)) == 101.0  # the 9th had no close
    first, _second = loopback.requests  # one request per day asked
    assert first.query == {
        "period1": [str(int(datetime(2024, 10, 3, tzinfo=UTC).timestamp()))],
        "period2": [str(int(datetime(2024, 10, 11, tzinfo=UTC).timestamp()))],
        "interval": ["1d"],
    }
    assert first.headers["user-agent"] == BROWSER_USER_AGENT


async def test_close_on_ignores_bars_outside_the_asked_window(
    yahoo: YahooProvider, loopback: LoopbackServer
) -> None:
    # A server that ignores period1/period2: a bar from long before the week must not count.
    body = yahoo_chart_body("CRWV", 120.0, timestamps=[at(1), at(20)], closes=[99.0, 130.0])
    loopback.route_chart("CRWV", json_reply(body))
    result = failure(await yahoo.fetch_close_on("CRWV", date(2024, 10, 12)))
    assert result.kind is FailureKind.NO_DATA and "2024-10-12" in result.reason
    assert await yahoo.fetch_close_on("CRWV", date(2024, 10, 7)) == 99.0  # the 1st is 6 days before


async def test_close_on_week_without_bars_is_no_data(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("CRWV", json_reply(yahoo_chart_body("CRWV", 120.0)))
    assert failure(await yahoo.fetch_close_on("CRWV", date(2024, 10, 12))).kind is FailureKind.NO_DATA


async def test_close_on_unknown_symbol_and_rate_limit(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("NVDA", Reply(429, {"Retry-After": "5"}, b"Too Many Requests"))
    assert failure(await yahoo.fetch_close_on("CRWVX", date(2024, 10, 11))).kind is FailureKind.NOT_FOUND
    limited = failure(await yahoo.fetch_close_on("NVDA", date(2024, 10, 11)))
    assert (limited.kind, limited.retry_after) == (FailureKind.RATE_LIMITED, 5.0)


async def test_aclose_releases_the_client_and_later_fetches_still_do_not_raise(
    loopback: LoopbackServer,
) -> None:
    client = make_http_client()
    yahoo = YahooProvider(client, base_url=loopback.base_url)
    await yahoo.aclose()
    assert client.is_closed
    assert isinstance((await yahoo.fetch_quotes(["AAPL"]))["AAPL"], QuoteFailure)
    assert isinstance(await yahoo.fetch_close_on("AAPL", date(2024, 10, 11)), QuoteFailure)
