"""The Finnhub provider over real HTTP, against a loopback server that plays Finnhub and its bad days."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest

from tests.loopback import LoopbackServer, RecordedRequest, Reply, json_reply
from tests.net.conftest import FETCHED_AT
from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult
from watcher.quotes.finnhub import TOKEN_HEADER, FinnhubProvider
from watcher.quotes.http import make_http_client
from watcher.quotes.provider import ChartRange, QuoteProvider

DATA = Path(__file__).parent.parent / "data" / "finnhub"
AAPL = (DATA / "finnhub_quote_AAPL_normal.json").read_bytes()
LIMIT_REACHED = (DATA / "finnhub_429_api_limit_reached.json").read_bytes()
UNKNOWN = b'{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}'
# Shaped like a real key, with characters that URL-encoding would change.
TOKEN = "c1fh+T0KEN/s3cr3t=="


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


def aapl_with(**changes: object) -> bytes:
    return json.dumps({**json.loads(AAPL), **changes}).encode()


def by_symbol(replies: dict[str, Reply]) -> Callable[[RecordedRequest], Reply]:
    """A /quote route answering each symbol its own way; others get Finnhub's unknown-symbol zeros."""

    def answer(request: RecordedRequest) -> Reply:
        return replies.get(request.query.get("symbol", [""])[0], json_reply(UNKNOWN))

    return answer


def free_port() -> int:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def finnhub(loopback: LoopbackServer, http_client: httpx.AsyncClient) -> FinnhubProvider:
    return FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)


async def fetch_one(provider: FinnhubProvider, symbol: str) -> QuoteResult:
    return (await provider.fetch_quotes([symbol]))[symbol]


def test_provider_satisfies_the_protocol(finnhub: FinnhubProvider) -> None:
    assert isinstance(finnhub, QuoteProvider)
    assert (finnhub.name, finnhub.simulated) == ("Finnhub", False)


async def test_normal_quote_and_the_key_travels_only_in_the_header(
    finnhub: FinnhubProvider, loopback: LoopbackServer
) -> None:
    loopback.route("/quote", json_reply(AAPL))
    quote_ = await fetch_one(finnhub, "AAPL")
    assert isinstance(quote_, Quote)
    assert (quote_.price, quote_.previous_close, quote_.fetched_at) == (175.43, 172.99, FETCHED_AT)
    assert int(quote_.market_time.timestamp()) == 1636322400
    [request] = loopback.requests
    assert (request.method, request.path, request.query) == ("GET", "/quote", {"symbol": ["AAPL"]})
    assert request.headers[TOKEN_HEADER.lower()] == TOKEN
    in_url = request.path + json.dumps(request.query)
    assert TOKEN not in in_url and quote(TOKEN, safe="") not in in_url and "token" not in in_url.lower()


async def test_symbols_go_in_the_query_properly_encoded(
    finnhub: FinnhubProvider, loopback: LoopbackServer
) -> None:
    loopback.route("/quote", by_symbol({"A&B": json_reply(AAPL), "BRK.B": json_reply(aapl_with(c=480.5))}))
    results = await finnhub.fetch_quotes(["A&B", "BRK.B", "A&B"])
    assert list(results) == ["A&B", "BRK.B"]
    assert isinstance(results["BRK.B"], Quote) and results["BRK.B"].price == 480.5
    assert isinstance(results["A&B"], Quote) and results["A&B"].price == 175.43
    assert sorted(r.query["symbol"][0] for r in loopback.requests) == ["A&B", "BRK.B"]  # asked once each


async def test_unknown_symbol_is_no_data(finnhub: FinnhubProvider, loopback: LoopbackServer) -> None:
    loopback.route("/quote", json_reply(UNKNOWN))
    result = failure(await fetch_one(finnhub, "CRWVX"))
    assert (result.kind, result.reason) == (FailureKind.NO_DATA, "Finnhub has no data for CRWVX")


async def test_429_json_honours_retry_after_and_plain_text_too(
    finnhub: FinnhubProvider, loopback: LoopbackServer
) -> None:
    loopback.route("/quote", by_symbol({
        "AAPL": json_reply(LIMIT_REACHED, 429, {"Retry-After": "42"}),
        "NVDA": Reply(429, {"Content-Type": "text/plain"}, b"Too Many Requests"),
    }))
    results = await finnhub.fetch_quotes(["AAPL", "NVDA"])
    limited = failure(results["AAPL"])
    assert (limited.kind, limited.reason, limited.retry_after) == (
        FailureKind.RATE_LIMITED,
        "rate-limited by Finnhub (HTTP 429)",
        42.0,
    )
    plain = failure(results["NVDA"])
    assert (plain.kind, plain.retry_after) == (FailureKind.RATE_LIMITED, None)
    assert plain.reason.startswith("rate-limited by Finnhub (HTTP 429)")


async def test_403_and_401(finnhub: FinnhubProvider, loopback: LoopbackServer) -> None:
    loopback.route("/quote", by_symbol({
        "SAP.DE": json_reply(b'{"error":"You don\'t have access to this resource."}', 403),
        "AAPL": json_reply(b'{"error":"Invalid API key"}', 401),
    }))
    results = await finnhub.fetch_quotes(["SAP.DE", "AAPL"])
    forbidden, refused = failure(results["SAP.DE"]), failure(results["AAPL"])
    assert forbidden.kind is refused.kind is FailureKind.HTTP_ERROR
    assert "outside your plan" in forbidden.reason and "You don't have access" in forbidden.reason
    assert refused.reason.startswith("Finnhub refused the key (HTTP 401)")


async def test_html_with_200_and_truncated_bodies(finnhub: FinnhubProvider, loopback: LoopbackServer) -> None:
    loopback.route("/quote", by_symbol({
        "AAPL": Reply(200, {"Content-Type": "text/html"}, b"<html><body>Sign in</body></html>"),
        "NVDA": json_reply(AAPL[:40]),  # a complete HTTP answer with half a JSON body
        "AMD": Reply(200, {"Content-Type": "application/json"}, AAPL, truncate_at=30),  # cut mid-body
    }))
    results = await finnhub.fetch_quotes(["AAPL", "NVDA", "AMD"])
    assert (failure(results["AAPL"]).kind, failure(results["AAPL"]).reason) == (
        FailureKind.BAD_RESPONSE,
        "Finnhub answered with an HTML page, not JSON",
    )
    assert failure(results["NVDA"]).reason == "Finnhub's answer was not JSON (cut off or garbled)"
    assert (failure(results["AMD"]).kind, failure(results["AMD"]).reason) == (
        FailureKind.BAD_RESPONSE,
        "Finnhub's answer was cut off",
    )


async def test_absurd_values_are_implausible(finnhub: FinnhubProvider, loopback: LoopbackServer) -> None:
    loopback.route("/quote", by_symbol({
        "NEG": json_reply(aapl_with(c=-175.43)),
        "NAN": json_reply(AAPL.replace(b"175.43", b"NaN")),
        "INF": json_reply(AAPL.replace(b"175.43", b"1e999")),
    }))
    results = await finnhub.fetch_quotes(["NEG", "NAN", "INF"])
    assert {symbol: failure(result).kind for symbol, result in results.items()} == {
        "NEG": FailureKind.IMPLAUSIBLE,
        "NAN": FailureKind.IMPLAUSIBLE,
        "INF": FailureKind.IMPLAUSIBLE,
    }


async def test_an_endless_body_is_refused(finnhub: FinnhubProvider, loopback: LoopbackServer) -> None:
    loopback.route("/quote", json_reply(b" " * 200_000 + AAPL))
    result = failure(await fetch_one(finnhub, "AAPL"))
    assert (result.kind, result.reason) == (FailureKind.BAD_RESPONSE, "Finnhub's answer was far too large")


async def test_timeout(loopback: LoopbackServer) -> None:
    loopback.route("/quote", Reply(delay=30.0, body=AAPL))  # released when the server stops
    async with make_http_client(timeout=httpx.Timeout(0.2)) as client:
        finnhub = FinnhubProvider(client, TOKEN, base_url=loopback.base_url)
        result = failure(await fetch_one(finnhub, "AAPL"))
    assert (result.kind, result.reason) == (FailureKind.NETWORK, "Finnhub did not answer in time")


async def test_connection_refused_and_dropped(http_client: httpx.AsyncClient, loopback: LoopbackServer) -> None:
    port = free_port()
    nobody = FinnhubProvider(http_client, TOKEN, base_url=f"http://127.0.0.1:{port}")
    refused = failure(await fetch_one(nobody, "AAPL"))
    assert (refused.kind, refused.reason) == (
        FailureKind.NETWORK,
        f"cannot connect to Finnhub at 127.0.0.1:{port}",
    )
    loopback.route("/quote", Reply(drop=True))
    dropped = failure(await fetch_one(FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url), "AAPL"))
    assert (dropped.kind, dropped.reason) == (
        FailureKind.NETWORK,
        "Finnhub closed the connection without answering",
    )


async def test_base_url_override_with_a_path_and_trailing_slash(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    loopback.route("/mirror/api/v1/quote", json_reply(AAPL))
    finnhub = FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url + "/mirror/api/v1/")
    assert isinstance(await fetch_one(finnhub, "AAPL"), Quote)
    assert [r.path for r in loopback.requests] == ["/mirror/api/v1/quote"]


async def test_many_symbols_stay_under_the_concurrency_limit(
    loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    def held(request: RecordedRequest) -> Reply:
        loopback.wait_for_in_flight(2)  # hold each answer until two were open together
        return json_reply(AAPL)

    loopback.route("/quote", held)
    finnhub = FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url, concurrency=2)
    results = await finnhub.fetch_quotes(["A", "B", "C", "D", "E"])
    assert all(isinstance(result, Quote) for result in results.values())
    assert loopback.max_in_flight == 2


# -- the key never shows -----------------------------------------------------------------------

# Every way a fetch can fail, the hostile ones echoing the key back as some APIs do.
ECHOING_REPLIES = {
    "UNKNOWN": json_reply(UNKNOWN),
    "LIMITED": json_reply(LIMIT_REACHED, 429, {"Retry-After": "5"}),
    "PLAIN429": Reply(429, {"Content-Type": "text/plain"}, f"Too Many Requests for {TOKEN}".encode()),
    "FORBIDDEN": json_reply(json.dumps({"error": f"token={quote(TOKEN, safe='')} denied"}).encode(), 403),
    "REFUSED": json_reply(json.dumps({"error": f"Invalid API key {TOKEN}"}).encode(), 401),
    "ERROR200": json_reply(json.dumps({"error": f"bad key {TOKEN}"}).encode()),
    "HTML": Reply(200, {"Content-Type": "text/html"}, f"<html>{TOKEN}</html>".encode()),
    "CUT": json_reply(AAPL[:40]),
    "CUTWIRE": Reply(200, {"Content-Type": "application/json"}, AAPL, truncate_at=30),
    "DROP": Reply(drop=True),
    "NEG": json_reply(aapl_with(c=-1)),
    "WHEN": json_reply(aapl_with(t=1e20)),
    "E500": Reply(500, {}, f"Internal error ({TOKEN})".encode()),
    "HUGE": json_reply(TOKEN.encode() * 10_000),
}


def raising_transport(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


# An httpx message may quote the URL and headers; a bug elsewhere may raise with anything in it.
RAISED = [
    httpx.ConnectError(f"cannot reach https://finnhub.io/api/v1/quote?token={TOKEN}"),
    httpx.ProxyError(f"proxy refused X-Finnhub-Token: {TOKEN}"),
    httpx.ReadTimeout(f"timed out on ?token={TOKEN}"),
    RuntimeError(TOKEN),
]


async def test_the_key_is_in_no_reason_of_any_failure(
    finnhub: FinnhubProvider, loopback: LoopbackServer, http_client: httpx.AsyncClient
) -> None:
    loopback.route("/quote", by_symbol(ECHOING_REPLIES))
    results = await finnhub.fetch_quotes([*ECHOING_REPLIES, ""])
    failures = [failure(result) for result in results.values()]
    nobody = FinnhubProvider(http_client, TOKEN, f"http://127.0.0.1:{free_port()}")
    failures.append(failure(await fetch_one(nobody, "A")))
    for exc in RAISED:
        async with httpx.AsyncClient(transport=raising_transport(exc)) as client:
            failures.append(failure(await fetch_one(FinnhubProvider(client, TOKEN), "A")))
    failures.append(failure(await finnhub.fetch_close_on("AAPL", date(2024, 10, 11))))
    failures.append(failure(await finnhub.fetch_history("AAPL", ChartRange.ONE_YEAR)))
    assert {f.kind for f in failures} == {
        FailureKind.NO_DATA,
        FailureKind.RATE_LIMITED,
        FailureKind.HTTP_ERROR,
        FailureKind.BAD_RESPONSE,
        FailureKind.IMPLAUSIBLE,
        FailureKind.NETWORK,
        FailureKind.NOT_FOUND,
    }
    for each in failures:
        for form in (TOKEN, quote(TOKEN, safe=""), "s3cr3t"):
            assert form not in each.reason, each
            assert form not in repr(each), each
    # The echo was masked, not dropped: the user still reads what Finnhub said.
    assert failure(results["REFUSED"]).reason == 'Finnhub refused the key (HTTP 401) ("Invalid API key ***")'


def test_the_key_is_not_in_the_repr(http_client: httpx.AsyncClient) -> None:
    provider = FinnhubProvider(http_client, TOKEN, base_url=f"https://proxy.example/api?token={TOKEN}&x=1")
    shown = repr(provider) + str(provider)
    assert "proxy.example" in shown
    assert TOKEN not in shown and quote(TOKEN, safe="") not in shown and "s3cr3t" not in shown


async def test_aclose_releases_the_client_and_later_fetches_do_not_raise(loopback: LoopbackServer) -> None:
    client = make_http_client()
    finnhub = FinnhubProvider(client, TOKEN, base_url=loopback.base_url)
    await finnhub.aclose()
    assert client.is_closed
    assert isinstance(await fetch_one(finnhub, "AAPL"), QuoteFailure)


ECHOED_TOKEN = "sk_SECRET_c1fh+T0KEN"


def shown_forms(secret: str) -> list[str]:
    data = secret.encode()
    return [
        secret, quote(secret, safe=""), secret.replace("_", "%5F"), secret.replace("_", "%5f").replace("+", "%2b"),
        base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode().rstrip("="),
    ]


@pytest.mark.parametrize(
    "echo",
    [
        "sk%5FSECRET%5Fc1fh%2BT0KEN",
        "sk%5fSECRET%5fc1fh%2bT0KEN",
        quote_plus(ECHOED_TOKEN),
        base64.b64encode(ECHOED_TOKEN.encode()).decode(),
        base64.urlsafe_b64encode(ECHOED_TOKEN.encode()).decode().rstrip("="),
        # Past the 120 characters a reason quotes: masked before the cut, no first part shown.
        "x" * 90 + " sk%5FSECRET%5Fc1fh%2BT0KEN",
        "x" * 90 + " " + ECHOED_TOKEN,
    ],
)
async def test_a_key_echoed_in_any_encoding_is_never_shown(
    loopback: LoopbackServer, http_client: httpx.AsyncClient, echo: str
) -> None:
    loopback.route("/quote", json_reply(json.dumps({"error": f"Invalid API key {echo}"}).encode(), 401))
    finnhub = FinnhubProvider(http_client, ECHOED_TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
    result = failure(await fetch_one(finnhub, "AAPL"))
    assert result.reason.startswith("Finnhub refused the key (HTTP 401)")
    assert all(form not in result.reason for form in shown_forms(ECHOED_TOKEN))
    assert "SECRET" not in result.reason and "U0VDUkVU" not in result.reason
    assert loopback.requests[0].headers[TOKEN_HEADER.lower()] == ECHOED_TOKEN  # the key was sent, only hidden
