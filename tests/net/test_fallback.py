"""Yahoo then Finnhub behind one provider, over real HTTP: who is asked for what, and what is told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from tests.loopback import LoopbackServer, RecordedRequest, Reply, json_reply, yahoo_chart_body
from tests.net.conftest import FETCHED_AT
from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult
from watcher.quotes.demo import DemoProvider
from watcher.quotes.fallback import FallbackProvider
from watcher.quotes.finnhub import FinnhubProvider
from watcher.quotes.http import make_http_client
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider
from watcher.quotes.yahoo import YahooProvider

DATA = Path(__file__).parent.parent / "data" / "finnhub"
FINNHUB_AAPL = (DATA / "finnhub_quote_AAPL_normal.json").read_bytes()
UNKNOWN = b'{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}'
TOKEN = "c1fallbackTOKEN"


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


def finnhub_asked(loopback: LoopbackServer) -> list[str]:
    return [r.query["symbol"][0] for r in loopback.requests if r.path == "/quote"]


@pytest.fixture
def finnhub(loopback: LoopbackServer, http_client: httpx.AsyncClient) -> FinnhubProvider:
    return FinnhubProvider(http_client, TOKEN, base_url=loopback.base_url, clock=lambda: FETCHED_AT)


@pytest.fixture
def both(yahoo: YahooProvider, finnhub: FinnhubProvider) -> FallbackProvider:
    return FallbackProvider([yahoo, finnhub])


class Scripted:
    """A provider that answers from a script, counts what it was asked, and can raise instead."""

    simulated = False

    def __init__(self, name: str, prices: dict[str, float] | None = None, raises: bool = False) -> None:
        self.name, self.prices, self.raises = name, prices or {}, raises
        self.asked: list[list[str]] = []
        self.closed = 0

    def _answer(self, symbol: str) -> QuoteResult:
        if symbol in self.prices:
            return Quote(symbol, self.prices[symbol], None, FETCHED_AT, FETCHED_AT)
        return QuoteFailure(symbol, FailureKind.NO_DATA, f"{self.name} has nothing for {symbol}")

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        self.asked.append(list(symbols))
        if self.raises:
            raise RuntimeError("https://example.com/?token=oops")
        return {symbol: self._answer(symbol) for symbol in symbols}

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        if self.raises:
            raise RuntimeError("boom")
        answer = self._answer(symbol)
        return answer.price if isinstance(answer, Quote) else answer

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        if self.raises:
            raise RuntimeError("boom")
        answer = self._answer(symbol)
        if isinstance(answer, QuoteFailure):
            return answer
        return PriceHistory(symbol, chart_range, ((FETCHED_AT, answer.price),))

    async def aclose(self) -> None:
        self.closed += 1
        if self.raises:
            raise RuntimeError("boom")


def test_name_and_simulated_come_from_the_providers(both: FallbackProvider) -> None:
    assert isinstance(both, QuoteProvider)
    assert (both.name, both.simulated) == ("Yahoo → Finnhub", False)
    assert FallbackProvider([Scripted("Yahoo"), DemoProvider()]).simulated is True
    with pytest.raises(ValueError):
        FallbackProvider([])


async def test_finnhub_is_asked_only_for_what_yahoo_failed(
    both: FallbackProvider, loopback: LoopbackServer
) -> None:
    loopback.route_chart("NVDA", json_reply(yahoo_chart_body("NVDA", 134.8, 132.0)))
    loopback.route_chart("AAPL", Reply(429, {"Content-Type": "text/plain"}, b"Too Many Requests"))
    loopback.route("/quote", json_reply(FINNHUB_AAPL))
    results = await both.fetch_quotes(["NVDA", "AAPL"])
    assert list(results) == ["NVDA", "AAPL"]
    nvda, aapl = results["NVDA"], results["AAPL"]
    assert isinstance(nvda, Quote) and nvda.price == 134.8  # Yahoo's
    assert isinstance(aapl, Quote) and (aapl.price, aapl.previous_close) == (175.43, 172.99)  # Finnhub's
    assert finnhub_asked(loopback) == ["AAPL"]


async def test_nobody_after_yahoo_is_asked_when_yahoo_answers_everything(
    both: FallbackProvider, loopback: LoopbackServer
) -> None:
    loopback.route_chart("NVDA", json_reply(yahoo_chart_body("NVDA", 134.8)))
    assert isinstance((await both.fetch_quotes(["NVDA"]))["NVDA"], Quote)
    assert finnhub_asked(loopback) == []


async def test_both_failing_tell_both_reasons_and_the_longest_wait(
    both: FallbackProvider, loopback: LoopbackServer
) -> None:
    loopback.route_chart("CRWVX", Reply(429, {"Retry-After": "30"}, b"Too Many Requests"))
    loopback.route_chart("NBIS", Reply(429, {"Retry-After": "10"}, b"Too Many Requests"))

    def finnhub_reply(request: RecordedRequest) -> Reply:
        if request.query["symbol"] == ["NBIS"]:
            return json_reply(b'{"error":"API limit reached."}', 429, {"Retry-After": "60"})
        return json_reply(UNKNOWN)

    loopback.route("/quote", finnhub_reply)
    results = await both.fetch_quotes(["CRWVX", "NBIS"])
    unknown, limited = failure(results["CRWVX"]), failure(results["NBIS"])
    assert (unknown.symbol, unknown.kind, unknown.reason, unknown.retry_after) == (
        "CRWVX",
        FailureKind.RATE_LIMITED,  # the first provider's kind
        "rate-limited by Yahoo (HTTP 429); Finnhub has no data for CRWVX",
        30.0,
    )
    assert limited.reason == "rate-limited by Yahoo (HTTP 429); rate-limited by Finnhub (HTTP 429)"
    assert limited.retry_after == 60.0
    assert sorted(finnhub_asked(loopback)) == ["CRWVX", "NBIS"]


async def test_a_provider_that_raises_becomes_a_failure_and_the_next_is_still_asked() -> None:
    broken, backup = Scripted("Broken", raises=True), Scripted("Backup", {"AAPL": 175.0})
    results = await FallbackProvider([broken, backup]).fetch_quotes(["AAPL", "NVDA"])
    assert isinstance(results["AAPL"], Quote) and results["AAPL"].price == 175.0
    nvda = failure(results["NVDA"])
    assert nvda.reason == "Broken failed unexpectedly (RuntimeError); Backup has nothing for NVDA"
    assert "oops" not in nvda.reason  # the exception's message is not repeated
    assert backup.asked == [["AAPL", "NVDA"]]


async def test_only_provider_raising_everywhere_still_answers_in_values() -> None:
    broken = FallbackProvider([Scripted("Broken", raises=True)])
    assert failure((await broken.fetch_quotes(["AAPL"]))["AAPL"]).kind is FailureKind.BAD_RESPONSE
    assert failure(await broken.fetch_close_on("AAPL", date(2024, 10, 11))).kind is FailureKind.BAD_RESPONSE
    assert failure(await broken.fetch_history("AAPL", ChartRange.ONE_DAY)).reason == (
        "Broken failed unexpectedly (RuntimeError)"
    )
    await broken.aclose()  # a failing close is swallowed, too


async def test_a_symbol_left_out_of_an_answer_is_a_failure_then_asked_further() -> None:
    class Forgetful(Scripted):
        async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
            return {}

    backup = Scripted("Backup")
    result = failure((await FallbackProvider([Forgetful("Forgetful"), backup]).fetch_quotes(["AAPL"]))["AAPL"])
    assert result.reason == "Forgetful gave no answer for AAPL; Backup has nothing for AAPL"
    assert backup.asked == [["AAPL"]]


async def test_close_and_history_go_to_the_next_provider_on_failure(
    both: FallbackProvider, loopback: LoopbackServer
) -> None:
    # Yahoo 404s (the server's default) and Finnhub's free plan has no history: both reasons are told.
    history = failure(await both.fetch_history("CRWVX", ChartRange.ONE_MONTH))
    assert history.kind is FailureKind.NOT_FOUND
    assert history.reason.endswith("; Finnhub's free plan has no price history")
    assert history.reason.startswith("Yahoo does not know CRWVX")
    first, second = Scripted("First"), Scripted("Second", {"AAPL": 170.0})
    pair = FallbackProvider([first, second])
    assert await pair.fetch_close_on("AAPL", date(2024, 10, 11)) == 170.0
    answered = await pair.fetch_history("AAPL", ChartRange.ONE_DAY)
    assert isinstance(answered, PriceHistory) and answered.points == ((FETCHED_AT, 170.0),)


async def test_history_from_yahoo_when_it_has_it(both: FallbackProvider, loopback: LoopbackServer) -> None:
    stamps = [datetime(2024, 10, day, 20, tzinfo=UTC) for day in (9, 10, 11)]
    body = yahoo_chart_body("NVDA", 134.8, timestamps=stamps, closes=[1.0, 2.0, 3.0])
    loopback.route_chart("NVDA", json_reply(body))
    history = await both.fetch_history("NVDA", ChartRange.ONE_MONTH)
    assert isinstance(history, PriceHistory) and [close for _, close in history.points] == [1.0, 2.0, 3.0]


async def test_aclose_closes_each_provider_once_and_the_shared_client(loopback: LoopbackServer) -> None:
    client = make_http_client()
    yahoo = YahooProvider(client, base_url=loopback.base_url)
    finnhub = FinnhubProvider(client, TOKEN, base_url=loopback.base_url)
    failing, other = Scripted("Failing", raises=True), Scripted("Other")
    await FallbackProvider([yahoo, finnhub, failing, other, other]).aclose()
    assert client.is_closed
    assert (failing.closed, other.closed) == (1, 1)  # one failing close did not stop the next


async def test_each_quote_names_the_provider_of_the_chain_that_gave_it() -> None:
    first, second = Scripted("Yahoo", {"AAPL": 227.5}), Scripted("Nasdaq", {"AAPL": 1.0, "NVDA": 120.0})
    results = await FallbackProvider([first, second]).fetch_quotes(["AAPL", "NVDA"])
    aapl, nvda = results["AAPL"], results["NVDA"]
    assert isinstance(aapl, Quote) and isinstance(nvda, Quote)
    assert (aapl.source, aapl.price) == ("Yahoo", 227.5)
    assert (nvda.source, nvda.price) == ("Nasdaq", 120.0)
