"""Compressed answers: read when honest, refused when a bomb, never decompressed past the cap."""

from __future__ import annotations

import tracemalloc
import zlib

import httpx
import pytest

from tests.loopback import LoopbackServer, Reply, json_reply, yahoo_chart_body
from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.yahoo import MAX_BODY_BYTES as YAHOO_CAP
from watcher.quotes.yahoo import YahooProvider
from watcher.sec.client import TICKERS_PATH, SecClient, Throttle
from watcher.sec.facts import SecUnavailable

BOMB_MEGABYTES = 64


def gzipped(data: bytes, wbits: int = 16 + zlib.MAX_WBITS) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """64 MiB of zeros in about 64 KiB of gzip: each network chunk of it inflates a thousandfold."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    body = b"".join(packer.compress(block) for _ in range(BOMB_MEGABYTES)) + packer.flush()
    assert len(body) < BOMB_MEGABYTES * 1024 * 1024 // 500
    return body


def encoded(body: bytes, encoding: str) -> Reply:
    return json_reply(body, headers={"Content-Encoding": encoding})


def failure(result: object) -> QuoteFailure:
    assert isinstance(result, QuoteFailure), result
    return result


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzipped),
        ("x-gzip", gzipped),
        ("deflate", lambda data: gzipped(data, zlib.MAX_WBITS)),  # zlib-wrapped, as meant
        ("deflate", lambda data: gzipped(data, -zlib.MAX_WBITS)),  # the raw stream some servers send
        ("identity", lambda data: data),
    ],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "identity"],
)
async def test_an_honest_compressed_answer_is_read(
    loopback: LoopbackServer, yahoo: YahooProvider, encoding: str, pack: object
) -> None:
    assert callable(pack)
    loopback.route_chart("CRWV", encoded(pack(yahoo_chart_body("CRWV", 101.25)), encoding))
    result = (await yahoo.fetch_quotes(["CRWV"]))["CRWV"]
    assert isinstance(result, Quote), result
    assert result.price == 101.25


async def test_the_client_asks_only_for_what_it_decodes(loopback: LoopbackServer, yahoo: YahooProvider) -> None:
    loopback.route_chart("CRWV", json_reply(yahoo_chart_body("CRWV", 101.25)))
    await yahoo.fetch_quotes(["CRWV"])
    assert loopback.requests[0].headers["accept-encoding"] == "gzip, deflate"


async def test_a_gzip_bomb_is_refused_without_inflating_it(
    loopback: LoopbackServer, yahoo: YahooProvider, bomb: bytes
) -> None:
    loopback.route_chart("CRWV", encoded(bomb, "gzip"))
    tracemalloc.start()
    try:
        result = failure((await yahoo.fetch_quotes(["CRWV"]))["CRWV"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.kind is FailureKind.BAD_RESPONSE
    assert result.reason == "Yahoo's answer was far too large"
    # Decompressed in steps that stop at the cap: memory stays near the cap, not near 64 MiB.
    assert peak < 2 * YAHOO_CAP + 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


async def test_the_other_symbols_are_read_beside_a_bomb(
    loopback: LoopbackServer, yahoo: YahooProvider, bomb: bytes
) -> None:
    loopback.route_chart("CRWV", encoded(bomb, "gzip"))
    loopback.route_chart("NBIS", encoded(gzipped(yahoo_chart_body("NBIS", 88.5)), "gzip"))
    results = await yahoo.fetch_quotes(["CRWV", "NBIS"])
    assert isinstance(results["CRWV"], QuoteFailure)
    assert isinstance(results["NBIS"], Quote) and results["NBIS"].price == 88.5


@pytest.mark.parametrize(
    ("body", "encoding", "words"),
    [
        (b"\x1f\x8b\x08\x00garbage-not-deflate" * 10, "gzip",
         "Yahoo's answer was compressed wrongly and could not be read"),
        (b"{}", "br", "Yahoo's answer was sent in an encoding neowatch does not read (br)"),
        (b"{}", "gzip, gzip", "Yahoo's answer was sent in layered encodings neowatch does not read"),
    ],
    ids=["corrupt-gzip", "brotli", "layered"],
)
async def test_an_unreadable_encoding_is_said_in_words(
    loopback: LoopbackServer, yahoo: YahooProvider, body: bytes, encoding: str, words: str
) -> None:
    loopback.route_chart("CRWV", encoded(body, encoding))
    result = failure((await yahoo.fetch_quotes(["CRWV"]))["CRWV"])
    assert (result.kind, result.reason) == (FailureKind.BAD_RESPONSE, words)


async def test_a_gzip_answer_cut_short_is_not_believed(loopback: LoopbackServer, yahoo: YahooProvider) -> None:
    whole = gzipped(yahoo_chart_body("CRWV", 101.25, name="CoreWeave " * 200))
    # A complete HTTP answer whose gzip stream stops halfway: no end-of-stream, no checksum.
    loopback.route_chart("CRWV", encoded(whole[: len(whole) // 2], "gzip"))
    result = failure((await yahoo.fetch_quotes(["CRWV"]))["CRWV"])
    assert result.reason == "Yahoo's answer was cut off in the middle of its compressed data"


async def test_the_sec_client_refuses_a_bomb_too(
    loopback: LoopbackServer, http_client: httpx.AsyncClient, bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("watcher.sec.client.MAX_BODY_BYTES", 4 * 1024 * 1024)
    loopback.route(TICKERS_PATH, encoded(bomb, "gzip"))
    sec = SecClient(http_client, "Jane Analyst jane@example.com", base_url=loopback.base_url, throttle=Throttle())
    answer = await sec.tickers()
    assert isinstance(answer, SecUnavailable)
    assert answer.reason == "the SEC's answer with the SEC's ticker list was far too large"

