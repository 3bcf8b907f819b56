"""The one shared httpx client: a browser User-Agent, timeouts and a connection limit."""

from __future__ import annotations

import httpx

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
