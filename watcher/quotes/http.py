"""The one shared httpx client: a browser User-Agent, timeouts and a connection limit.

httpx is imported, and the client (with its TLS context) made, only at the first request:
neither is needed to paint the first screen from the quote cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from watcher.domain.quote import FailureKind, QuoteFailure

if TYPE_CHECKING:
    import httpx

# Yahoo answers 429 to library default User-Agents; a current desktop browser's is accepted.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
MAX_CONCURRENT_REQUESTS = 8


def make_http_client(timeout: httpx.Timeout | None = None) -> httpx.AsyncClient:
    """Create the client that every provider of one app shares."""
    import httpx

    return httpx.AsyncClient(
        timeout=timeout or httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS),
        headers={"User-Agent": BROWSER_USER_AGENT, "Accept": "application/json"},
        limits=httpx.Limits(max_connections=MAX_CONCURRENT_REQUESTS),
        follow_redirects=True,
        trust_env=True,
    )


class AsyncClientLike(Protocol):
    """What the providers use of httpx.AsyncClient; SharedClient is one too."""

    def stream(self, method: str, url: str, **kwargs: Any) -> AbstractAsyncContextManager[httpx.Response]: ...

    async def aclose(self) -> None: ...


def host_of(base_url: str) -> str:
    """The host (and port, when one is given) that reasons name: "cannot connect to Yahoo at …"."""
    parts = urlsplit(base_url)
    host = parts.hostname or parts.netloc.rpartition("@")[2]
    try:
        port = parts.port
    except ValueError:  # not a number: name what was written
        return parts.netloc.rpartition("@")[2]
    return f"{host}:{port}" if port else host


class SharedClient:
    """Stands in for the shared client until the first request, which makes it.

    It offers what the providers use of an httpx.AsyncClient: `stream()` and `aclose()`.
    """

    def __init__(self, factory: Any = make_http_client) -> None:
        self._factory = factory
        self._client: httpx.AsyncClient | None = None
        self._closed = False

    @property
    def started(self) -> bool:
        """Whether the real client has been made (by a first request)."""
        return self._client is not None

    def stream(self, method: str, url: str, **kwargs: Any) -> AbstractAsyncContextManager[httpx.Response]:
        if self._closed:
            raise RuntimeError("the shared HTTP client is closed")
        if self._client is None:
            self._client = self._factory()
        return self._client.stream(method, url, **kwargs)

    async def aclose(self) -> None:
        self._closed = True
        if self._client is not None:
            await self._client.aclose()


@dataclass(frozen=True, slots=True)
class Answer:
    """What came back over the wire, before any reading of it."""

    status: int
    body: bytes
    headers: Mapping[str, str]


async def get_capped(
    client: AsyncClientLike,
    provider: str,
    host: str,
    symbol: str,
    url: str,
    *,
    limit: int,
    params: Mapping[str, str | int],
    headers: Mapping[str, str] | None = None,
) -> Answer | QuoteFailure:
    """One GET whose body is read up to `limit` bytes; every network fault a failure in words.

    The reasons never quote an exception's message: httpx's may carry the URL, and with it
    whatever a provider puts there.
    """
    import httpx

    try:
        async with client.stream("GET", url, params=params, headers=headers) as response:
            try:
                body = await _read_capped(response, limit)
            except httpx.TimeoutException:
                raise
            except httpx.HTTPError:
                return QuoteFailure(symbol, FailureKind.BAD_RESPONSE, f"{provider}'s answer was cut off")
            if body is None:
                return QuoteFailure(symbol, FailureKind.BAD_RESPONSE, f"{provider}'s answer was far too large")
            return Answer(response.status_code, body, response.headers)
    except httpx.TimeoutException:
        return QuoteFailure(symbol, FailureKind.NETWORK, f"{provider} did not answer in time")
    except httpx.ConnectError:
        return QuoteFailure(symbol, FailureKind.NETWORK, f"cannot connect to {provider} at {host}")
    except httpx.RemoteProtocolError:
        return QuoteFailure(symbol, FailureKind.NETWORK, f"{provider} closed the connection without answering")
    except httpx.HTTPError as error:
        reason = f"network error talking to {provider} ({type(error).__name__})"
        return QuoteFailure(symbol, FailureKind.NETWORK, reason)


async def _read_capped(response: httpx.Response, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
