"""Deadlines: a server dripping its answer a byte at a time fails that symbol "too slow", never the rest.

The deadlines are set short here; the assertions are on outcomes, never on how long anything took.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.loopback import LoopbackServer, Reply, json_reply, yahoo_chart_body
from tests.net.conftest import FETCHED_AT
from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.finnhub import FinnhubProvider
from watcher.quotes.http import REQUEST_DEADLINE_SECONDS, get_capped
from watcher.quotes.yahoo import YahooProvider

AAPL_FINNHUB = (Path(__file__).parent.parent / "data" / "finnhub" / "finnhub_quote_AAPL_normal.json").read_bytes()
# A byte every 0.2 s: each read finishes far inside the 10 s read timeout, so only a deadline ends it.
DRIP = 0.2


def dripping(body: bytes) -> Reply:
    return Reply(200, {"Content-Type": "application/json"}, body, drip=DRIP)


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


async def test_a_dripping_symbol_fails_too_slow_and_the_others_arrive(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    loopback.route_chart("SLOW", dripping(yahoo_chart_body("SLOW", 10.0)))
    loopback.route_chart("AAPL", json_reply(yahoo_chart_body("AAPL", 227.55)))
    loopback.route_chart("MSFT", json_reply(yahoo_chart_body("MSFT", 416.32)))
    yahoo = YahooProvider(http_client, base_url=loopback.base_url, clock=lambda: FETCHED_AT, request_deadline=0.5)
    results = await yahoo.fetch_quotes(["SLOW", "AAPL", "MSFT"])
    slow = failure(results["SLOW"])
    assert (slow.kind, slow.reason) == (FailureKind.NETWORK, "Yahoo was too slow (no full answer in 0.5 s)")
    assert {symbol: result.price for symbol, result in results.items() if isinstance(result, Quote)} == {
        "AAPL": 227.55, "MSFT": 416.32
    }


async def test_finnhub_has_the_same_deadline(loopback: LoopbackServer, http_client: httpx.AsyncClient) -> None:
    loopback.route("/quote", dripping(AAPL_FINNHUB))
    finnhub = FinnhubProvider(
        http_client, "c1fh_T0KEN", base_url=loopback.base_url, clock=lambda: FETCHED_AT, request_deadline=0.5
    )
    result = failure((await finnhub.fetch_quotes(["AAPL"]))["AAPL"])
    assert result.reason == "Finnhub was too slow (no full answer in 0.5 s)"


async def test_a_refresh_returns_with_every_unfinished_symbol_failed(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    # Each request alone is inside its deadline; queued one at a time, the refresh is not.
    loopback.route_chart("AAPL", json_reply(yahoo_chart_body("AAPL", 227.55)))
    for symbol in ("S1", "S2", "S3"):
        loopback.route_chart(symbol, dripping(yahoo_chart_body(symbol, 10.0)))
    yahoo = YahooProvider(
        http_client, base_url=loopback.base_url, clock=lambda: FETCHED_AT, concurrency=1,
        request_deadline=60.0, refresh_deadline=0.5,
    )
    results = await yahoo.fetch_quotes(["AAPL", "S1", "S2", "S3"])
    assert isinstance(results["AAPL"], Quote)
    for symbol in ("S1", "S2", "S3"):
        assert failure(results[symbol]).reason == "Yahoo was too slow (no full answer in 0.5 s)"


async def test_get_capped_deadline_covers_the_body(loopback: LoopbackServer, http_client: httpx.AsyncClient) -> None:
    loopback.route("/slow", dripping(b"x" * 100))
    answer = await get_capped(
        http_client, "Yahoo", "127.0.0.1", "X", f"{loopback.base_url}/slow", limit=1000, params={}, deadline=0.3
    )
    assert failure(answer).reason == "Yahoo was too slow (no full answer in 0.3 s)"


def test_the_default_deadline_is_fifteen_seconds() -> None:
    assert REQUEST_DEADLINE_SECONDS == 15.0
