"""The one shared httpx client: a browser User-Agent, timeouts and a connection limit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from watcher.domain.quote import FailureKind, QuoteFailure

# Yahoo answers 429 to library default User-Agents; a current desktop browser's is accepted.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_CONCURRENT_REQUESTS = 8


def make_http_client(timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.AsyncClient:
    """Create the client that every provider of one app shares."""
    return httpx.AsyncClient(
        timeout=timeout,
        headers={"User-Agent": BROWSER_USER_AGENT, "Accept": "application/json"},
        limits=httpx.Limits(max_connections=MAX_CONCURRENT_REQUESTS),
        follow_redirects=True,
        trust_env=True,
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """What came back over the wire, before any reading of it."""

    status: int
    body: bytes
    headers: Mapping[str, str]


async def get_capped(
    client: httpx.AsyncClient,
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
        return QuoteFailure(symbol, FailureKind.NETWORK, f"network error talking to {provider} ({type(error).__name__})")


async def _read_capped(response: httpx.Response, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
