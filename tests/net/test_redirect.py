"""Redirects: followed within one origin, refused to another, and no header (a key) ever sent there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.loopback import LoopbackServer, Reply, json_reply, yahoo_chart_body
from tests.net.conftest import FETCHED_AT
from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.finnhub import TOKEN_HEADER, FinnhubProvider
from watcher.quotes.http import MAX_REDIRECTS, SharedClient
from watcher.quotes.yahoo import YahooProvider
from watcher.sec.client import TICKERS_PATH, SecClient, Throttle
from watcher.sec.facts import SecUnavailable

AAPL_FINNHUB = (Path(__file__).parent.parent / "data" / "finnhub" / "finnhub_quote_AAPL_normal.json").read_bytes()
TOKEN = "c1fh_T0KEN_s3cr3t"
CONTACT = "Jane Analyst jane@example.com"


@pytest.fixture
def other() -> Iterator[LoopbackServer]:
    """The second host a redirect points to; it would answer a good price if asked."""
    with LoopbackServer() as server:
        yield server


def moved(to: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": to})


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_finnhub_key_never_reaches_another_host(
    loopback: LoopbackServer, other: LoopbackServer, http_client: httpx.AsyncClient, status: int
) -> None:
    loopback.route("/quote", moved(f"{other.base_url}/quote?symbol=AAPL", status))
    other.route("/quote", json_reply(AAPL_FINNHUB))
    finnhub = FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
    result = failure((await finnhub.fetch_quotes(["AAPL"]))["AAPL"])
    assert result.reason == f"Finnhub redirected to another host ({other.base_url}): not followed"
    assert result.kind is FailureKind.BAD_RESPONSE
    assert other.requests == []  # not asked at all, so no header of ours reached it
    assert loopback.requests[0].headers[TOKEN_HEADER.lower()] == TOKEN


async def test_the_shared_client_refuses_too(loopback: LoopbackServer, other: LoopbackServer) -> None:
    # The client the app runs with, made on the first request.
    loopback.route("/quote", moved(f"{other.base_url}/quote"))
    other.route("/quote", json_reply(AAPL_FINNHUB))
    client = SharedClient()
    try:
        finnhub = FinnhubProvider(client, TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
        result = failure((await finnhub.fetch_quotes(["AAPL"]))["AAPL"])
    finally:
        await client.aclose()
    assert "redirected to another host" in result.reason
    assert all(TOKEN_HEADER.lower() not in request.headers for request in other.requests)
    assert other.requests == []


async def test_a_client_made_to_follow_redirects_still_stops_at_the_origin(
    loopback: LoopbackServer, other: LoopbackServer
) -> None:
    loopback.route("/quote", moved(f"{other.base_url}/quote"))
    other.route("/quote", json_reply(AAPL_FINNHUB))
    async with httpx.AsyncClient(follow_redirects=True) as client:
        finnhub = FinnhubProvider(client, TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
        result = failure((await finnhub.fetch_quotes(["AAPL"]))["AAPL"])
    assert "redirected to another host" in result.reason
    assert other.requests == []


async def test_same_host_another_port_is_another_origin(
    loopback: LoopbackServer, other: LoopbackServer, yahoo: YahooProvider
) -> None:
    loopback.route_chart("AAPL", moved(f"http://127.0.0.1:{other.port}/v8/finance/chart/AAPL"))
    other.route_chart("AAPL", json_reply(yahoo_chart_body("AAPL", 999.0)))
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert result.reason == f"Yahoo redirected to another host (http://127.0.0.1:{other.port}): not followed"
    assert other.requests == []


async def test_a_same_origin_redirect_is_followed_with_the_key(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    loopback.route("/quote", moved("/v2/quote?symbol=AAPL"))  # relative: the same origin
    loopback.route("/v2/quote", json_reply(AAPL_FINNHUB))
    finnhub = FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
    result = (await finnhub.fetch_quotes(["AAPL"]))["AAPL"]
    assert isinstance(result, Quote) and result.price == 175.43
    assert [request.path for request in loopback.requests] == ["/quote", "/v2/quote"]
    assert loopback.requests[1].query == {"symbol": ["AAPL"]}


async def test_a_redirect_loop_ends(loopback: LoopbackServer, yahoo: YahooProvider) -> None:
    loopback.route_chart("AAPL", moved("/v8/finance/chart/AAPL"))
    result = failure((await yahoo.fetch_quotes(["AAPL"]))["AAPL"])
    assert result.reason == "Yahoo redirected too many times"
    assert len(loopback.requests) == MAX_REDIRECTS + 1


async def test_the_sec_contact_never_reaches_another_host(
    loopback: LoopbackServer, other: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    loopback.route(TICKERS_PATH, moved(f"{other.base_url}{TICKERS_PATH}"))
    other.route(TICKERS_PATH, json_reply(b'{"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple"}}'))
    sec = SecClient(http_client, CONTACT, base_url=loopback.base_url, throttle=Throttle())
    result = await sec.tickers()
    assert isinstance(result, SecUnavailable)
    assert result.reason == f"the SEC redirected to another host ({other.base_url}): not followed"
    assert other.requests == []
