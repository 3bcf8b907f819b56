"""The one shared httpx client: a browser User-Agent, timeouts and a connection limit.

httpx is imported, and the client (with its TLS context) made, only at the first request:
neither is needed to paint the first screen from the quote cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from watcher.domain.quote import FailureKind, QuoteFailure, QuoteResult
from watcher.quotes.body import ACCEPT_ENCODING, BodyRefused, read_capped

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
# The read timeout restarts with every byte, so a server dripping a byte every few seconds
# would hold a request (and the refresh waiting on it) for ever. A whole request, body
# included, gets this long: well above a slow but honest answer (Nasdaq's take up to 4.5 s),
# and short enough that the other symbols' prices are not held up for long.
REQUEST_DEADLINE_SECONDS = 15.0
# A whole fetch_quotes call gets this long: one request's deadline, plus room for symbols
# queued behind the concurrency gate; past it every unfinished symbol fails "too slow".
REFRESH_DEADLINE_SECONDS = 20.0
# Same-origin redirects (a moved path) are followed this many times; another origin never.
MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def make_http_client(timeout: httpx.Timeout | None = None) -> httpx.AsyncClient:
    """Create the client that every provider of one app shares."""
    import httpx

    return httpx.AsyncClient(
        timeout=timeout or httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS),
        # Only what read_capped decodes, whatever compression libraries are installed.
        headers={"User-Agent": BROWSER_USER_AGENT, "Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING},
        limits=httpx.Limits(max_connections=MAX_CONCURRENT_REQUESTS),
        # Redirects are followed by get_capped, and only within one origin: httpx strips only
        # Authorization across hosts, and a key sent as X-Finnhub-Token would reach the other one.
        follow_redirects=False,
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


def origin_of(url: httpx.URL) -> str:
    """scheme://host[:port] of a URL: what a reason may name of a redirect's target (no path, no query)."""
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}"


def same_origin(first: httpx.URL, second: httpx.URL) -> bool:
    """Whether both URLs have one scheme, host and port (a default port counted as written)."""
    defaults = {"http": 80, "https": 443}
    return (first.scheme, first.host, first.port or defaults.get(first.scheme)) == (
        second.scheme, second.host, second.port or defaults.get(second.scheme)
    )


def redirect_target(response: httpx.Response) -> httpx.URL | None:
    """Where a redirect answer points, resolved against the request; None for any other answer."""
    import httpx

    location = response.headers.get("location")
    if response.status_code not in _REDIRECT_STATUSES or not location:
        return None
    try:
        return response.request.url.join(location)
    except httpx.InvalidURL:
        return None


def too_slow_reason(provider: str, deadline: float) -> str:
    return f"{provider} was too slow (no full answer in {deadline:g} s)"


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
    deadline: float | None = None,
) -> Answer | QuoteFailure:
    """One GET whose body is read up to `limit` bytes within `deadline` seconds in all; every
    network fault a failure in words.

    A redirect is followed only to the same origin: the headers (a key among them) go nowhere
    else. The reasons never quote an exception's message: httpx's may carry the URL, and with
    it whatever a provider puts there.
    """
    import httpx

    if deadline is None:  # read now, not at import: a test may shorten it
        deadline = REQUEST_DEADLINE_SECONDS
    try:
        async with asyncio.timeout(deadline):
            return await _get_following(client, provider, host, symbol, url, limit, params, headers)
    except TimeoutError:
        return QuoteFailure(symbol, FailureKind.NETWORK, too_slow_reason(provider, deadline))
    except httpx.TimeoutException:
        return QuoteFailure(symbol, FailureKind.NETWORK, f"{provider} did not answer in time")
    except httpx.ConnectError:
        return QuoteFailure(symbol, FailureKind.NETWORK, f"cannot connect to {provider} at {host}")
    except httpx.RemoteProtocolError:
        return QuoteFailure(symbol, FailureKind.NETWORK, f"{provider} closed the connection without answering")
    except httpx.HTTPError as error:
        reason = f"network error talking to {provider} ({type(error).__name__})"
        return QuoteFailure(symbol, FailureKind.NETWORK, reason)


async def _get_following(
    client: AsyncClientLike,
    provider: str,
    host: str,
    symbol: str,
    url: str,
    limit: int,
    params: Mapping[str, str | int] | None,
    headers: Mapping[str, str] | None,
) -> Answer | QuoteFailure:
    import httpx

    for _ in range(MAX_REDIRECTS + 1):
        # follow_redirects=False whatever the client was made with: this loop decides.
        async with client.stream("GET", url, params=params, headers=headers, follow_redirects=False) as response:
            target = redirect_target(response)
            if target is not None:
                if not same_origin(response.request.url, target):
                    reason = f"{provider} redirected to another host ({origin_of(target)}): not followed"
                    return QuoteFailure(symbol, FailureKind.BAD_RESPONSE, reason)
                url, params = str(target), None  # the target carries its own query
                continue
            try:
                body = await read_capped(response, limit)
            except httpx.TimeoutException:
                raise
            except httpx.HTTPError:
                return QuoteFailure(symbol, FailureKind.BAD_RESPONSE, f"{provider}'s answer was cut off")
            except BodyRefused as refused:
                return QuoteFailure(symbol, FailureKind.BAD_RESPONSE, f"{provider}'s answer {refused.words}")
            return Answer(response.status_code, body, response.headers)
    return QuoteFailure(symbol, FailureKind.BAD_RESPONSE, f"{provider} redirected too many times")


async def fetch_within(
    symbols: Sequence[str],
    fetch: Callable[[str], Awaitable[QuoteResult]],
    too_slow: Callable[[str, float], QuoteResult],
    deadline: float | None = None,
) -> dict[str, QuoteResult]:
    """`fetch` for every symbol at once; those unfinished after `deadline` seconds are
    cancelled and answered `too_slow(symbol, deadline)`, so one stuck symbol never holds up the rest."""
    if deadline is None:  # read now, not at import: a test may shorten it
        deadline = REFRESH_DEADLINE_SECONDS
    tasks = {symbol: asyncio.ensure_future(fetch(symbol)) for symbol in symbols}
    try:
        if tasks:
            await asyncio.wait(tasks.values(), timeout=deadline)
    finally:
        unfinished = [task for task in tasks.values() if not task.done()]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
    return {
        symbol: too_slow(symbol, deadline) if task.cancelled() else task.result() for symbol, task in tasks.items()
    }

