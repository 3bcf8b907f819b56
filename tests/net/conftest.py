"""Fixtures for network tests: a loopback server, the app's real HTTP client, a Yahoo provider on both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.loopback import LoopbackServer
from watcher.quotes.http import make_http_client
from watcher.quotes.yahoo import YahooProvider

# The moment every provider in these tests believes it is.
FETCHED_AT = datetime(2024, 10, 11, 20, 5, tzinfo=UTC)

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shared client trusts the environment; a developer's proxy must not sit between test and loopback.
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    client = make_http_client()
    yield client
    await client.aclose()


@pytest.fixture
def yahoo(loopback: LoopbackServer, http_client: httpx.AsyncClient) -> YahooProvider:
    return YahooProvider(http_client, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
