"""Price history from Yahoo over real HTTP: the range asked for, the points read, the failures as values."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.loopback import LoopbackServer, Reply, json_reply, yahoo_chart_body
from watcher.domain.quote import FailureKind, QuoteFailure
from watcher.quotes.http import BROWSER_USER_AGENT
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider
from watcher.quotes.yahoo import YahooProvider

START = datetime(2024, 10, 7, 13, 30, tzinfo=UTC)
EXPECTED_PARAMS = {
    ChartRange.ONE_DAY: ("1d", "5m"),
    ChartRange.FIVE_DAYS: ("5d", "15m"),
    ChartRange.ONE_MONTH: ("1mo", "1d"),
    ChartRange.SIX_MONTHS: ("6mo", "1d"),
    ChartRange.YEAR_TO_DATE: ("ytd", "1d"),
    ChartRange.ONE_YEAR: ("1y", "1d"),
    ChartRange.FIVE_YEARS: ("5y", "1wk"),
}


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


def test_every_range_is_covered() -> None:
    assert set(EXPECTED_PARAMS) == set(ChartRange)


@pytest.mark.parametrize("chart_range", list(ChartRange))
async def test_history_asks_for_the_range_and_reads_the_points(
    chart_range: ChartRange, yahoo: YahooProvider, loopback: LoopbackServer
) -> None:
    # Served out of order and with a bar without trades: the points come back sorted, that bar gone.
    stamps = [START + timedelta(days=2), START, START + timedelta(days=1), START + timedelta(days=3)]
    body = yahoo_chart_body("CRWV", 104.0, timestamps=stamps, closes=[102.5, 100.0, None, 104.0])
    loopback.route_chart("CRWV", json_reply(body))
    history = await yahoo.fetch_history("CRWV", chart_range)
    assert isinstance(history, PriceHistory)
    assert (history.symbol, history.range) == ("CRWV", chart_range)
    assert history.points == (
        (START, 100.0),
        (START + timedelta(days=2), 102.5),
        (START + timedelta(days=3), 104.0),
    )
    [request] = loopback.requests
    yahoo_range, interval = EXPECTED_PARAMS[chart_range]
    assert request.path == "/v8/finance/chart/CRWV"
    assert request.query == {"range": [yahoo_range], "interval": [interval]}
    assert request.headers["user-agent"] == BROWSER_USER_AGENT


async def test_a_window_without_bars_is_no_data(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("CRWV", json_reply(yahoo_chart_body("CRWV", 104.0)))  # a holiday: meta, no bars
    result = failure(await yahoo.fetch_history("CRWV", ChartRange.ONE_DAY))
    assert result.kind is FailureKind.NO_DATA and "CRWV" in result.reason


async def test_bars_that_all_lack_a_trade_are_no_data(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    body = yahoo_chart_body("CRWV", 104.0, timestamps=[START, START + timedelta(minutes=5)], closes=[None, None])
    loopback.route_chart("CRWV", json_reply(body))
    result = failure(await yahoo.fetch_history("CRWV", ChartRange.ONE_DAY))
    assert result.kind is FailureKind.NO_DATA
    assert result.reason == "Yahoo has no prices for CRWV over 1D"


async def test_unknown_symbol_is_not_found(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    result = failure(await yahoo.fetch_history("CRWVX", ChartRange.ONE_MONTH))  # the server's default 404
    assert result.kind is FailureKind.NOT_FOUND
    assert result.reason == "Yahoo does not know CRWVX (no data found, symbol may be delisted)"


async def test_delisted_symbol_is_delisted(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("SQ", json_reply(yahoo_chart_body("SQ", None)))
    assert failure(await yahoo.fetch_history("SQ", ChartRange.ONE_YEAR)).kind is FailureKind.DELISTED


async def test_rate_limit_html_and_wrong_symbol_are_failures(yahoo: YahooProvider, loopback: LoopbackServer) -> None:
    loopback.route_chart("NVDA", Reply(429, {"Retry-After": "7"}, b"Too Many Requests"))
    loopback.route_chart("AMD", Reply(200, {"Content-Type": "text/html"}, b"<html>consent</html>"))
    loopback.route_chart("ORCL", json_reply(yahoo_chart_body("AAPL", 1.0, timestamps=[START])))
    limited = failure(await yahoo.fetch_history("NVDA", ChartRange.FIVE_DAYS))
    assert (limited.kind, limited.retry_after) == (FailureKind.RATE_LIMITED, 7.0)
    assert failure(await yahoo.fetch_history("AMD", ChartRange.FIVE_DAYS)).kind is FailureKind.BAD_RESPONSE
    assert failure(await yahoo.fetch_history("ORCL", ChartRange.FIVE_DAYS)).kind is FailureKind.WRONG_SYMBOL


async def test_connection_refused_is_a_network_failure(http_client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yahoo = YahooProvider(http_client, base_url=f"http://127.0.0.1:{port}")
    assert isinstance(yahoo, QuoteProvider)
    assert failure(await yahoo.fetch_history("AAPL", ChartRange.ONE_DAY)).kind is FailureKind.NETWORK
