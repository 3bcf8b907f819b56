"""The SEC EDGAR HTTP client: a declared User-Agent, under 10 requests a second, failures as values."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import httpx

from watcher import __version__
from watcher.quotes.body import ACCEPT_ENCODING, BodyRefused, read_capped
from watcher.quotes.http import MAX_REDIRECTS, origin_of, redirect_target, same_origin
from watcher.sec.facts import SecUnavailable

DATA_URL = "https://data.sec.gov"
WWW_URL = "https://www.sec.gov"
TICKERS_PATH = "/files/company_tickers.json"
# The SEC allows fewer than 10 a second; the throttle's ceiling (see Throttle).
REQUESTS_PER_SECOND = 8.0
# Full companyfacts of the largest filers run to 3-4 MB; far more is not a companyfacts body.
MAX_BODY_BYTES = 32 * 1024 * 1024
# The SEC asks to retry a 503 with backoff; once, after a pause, is enough for one refresh.
RETRY_503_AFTER = 2.0
# Phrases of the Akamai page the SEC serves to undeclared or too-fast clients.
BLOCK_PHRASES = ("undeclared automated tool", "request rate threshold", "declare your traffic")


def facts_path(cik: int) -> str:
    return f"/api/xbrl/companyfacts/CIK{cik:010d}.json"


class Throttle:
    """Spaces request starts evenly; shared by every request of one client, concurrent or not."""

    def __init__(
        self,
        per_second: float = REQUESTS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        # Evenly spaced at 8 a second, a one-second window catching both ends holds 9; at 9.5 it
        # could hold 10, and the SEC allows fewer than 10.
        if not 0 < per_second <= REQUESTS_PER_SECOND:
            raise ValueError(f"at most {REQUESTS_PER_SECOND:g} requests a second keeps under the SEC's 10")
        self.interval = 1.0 / per_second
        self.clock, self.sleep = clock, sleep
        self._next: float | None = None
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self.clock()
            if self._next is not None and now < self._next:
                await self.sleep(self._next - now)
                now = self.clock()
            self._next = (now if self._next is None else max(now, self._next)) + self.interval


class SecClient:
    """GETs of the ticker list and companyfacts over the app's shared httpx client."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        contact: str,
        base_url: str | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self._client = client
        self.contact = contact
        # One override replaces both hosts: a test server or proxy serves both path families.
        self._data_url = (base_url or DATA_URL).rstrip("/")
        self._www_url = (base_url or WWW_URL).rstrip("/")
        self.throttle = throttle or Throttle()

    @property
    def user_agent(self) -> str:
        return f"neowatch/{__version__} {self.contact}"

    async def tickers(self) -> dict | SecUnavailable:
        return await self._get_json(self._www_url + TICKERS_PATH, "the SEC's ticker list")

    async def company_facts(self, cik: int) -> dict | SecUnavailable:
        return await self._get_json(self._data_url + facts_path(cik), f"company facts for CIK {cik:010d}")

    async def _get_json(self, url: str, what: str) -> dict | SecUnavailable:
        answer = await self._get(url, what)
        if isinstance(answer, tuple) and answer[0] == 503:
            await self.throttle.sleep(RETRY_503_AFTER)
            answer = await self._get(url, what)
        if isinstance(answer, SecUnavailable):
            return answer
        status, body = answer
        if status != 200:
            return _refusal(status, body, what)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # a decode error of either kind is a ValueError
            return SecUnavailable(f"the SEC's answer with {what} was not readable JSON", "bad_response")
        if not isinstance(data, dict):
            return SecUnavailable(f"the SEC's answer with {what} was not a JSON object", "bad_response")
        return data

    async def _get(self, url: str, what: str) -> tuple[int, bytes] | SecUnavailable:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json",
                   "Accept-Encoding": ACCEPT_ENCODING}
        host = httpx.URL(url).host
        await self.throttle.wait()
        try:
            for _ in range(MAX_REDIRECTS + 1):
                # Followed here, and only within one origin: the contact in the User-Agent goes
                # to the SEC and nowhere a redirect points.
                async with self._client.stream("GET", url, headers=headers, follow_redirects=False) as response:
                    target = redirect_target(response)
                    if target is not None:
                        if not same_origin(response.request.url, target):
                            return SecUnavailable(
                                f"the SEC redirected to another host ({origin_of(target)}): not followed",
                                "bad_response",
                            )
                        url = str(target)
                        continue
                    try:
                        return response.status_code, await read_capped(response, MAX_BODY_BYTES)
                    except BodyRefused as refused:
                        return SecUnavailable(f"the SEC's answer with {what} {refused.words}", "bad_response")
            return SecUnavailable(f"the SEC redirected too many times when asked for {what}", "bad_response")
        except httpx.TimeoutException:
            return SecUnavailable(f"the SEC ({host}) did not answer in time for {what}", "network")
        except httpx.ConnectError:
            return SecUnavailable(f"cannot connect to the SEC at {host}", "network")
        except httpx.HTTPError as exc:
            return SecUnavailable(f"network error talking to the SEC ({type(exc).__name__})", "network")


def _refusal(status: int, body: bytes, what: str) -> SecUnavailable:
    """A non-200 answer in words; the bodies are HTML or XML, never read as JSON."""
    text = body[:20_000].decode("utf-8", "replace").lower()
    if status == 403 and any(phrase in text for phrase in BLOCK_PHRASES):
        return SecUnavailable(
            "the SEC refused the request (403): it takes neowatch for an undeclared or too fast "
            "automated tool; check the contact e-mail and wait ten minutes before trying again",
            "refused",
        )
    if status == 403:
        return SecUnavailable(f"the SEC refused the request (403): access denied to {what}", "refused")
    if status == 404:
        return SecUnavailable(f"the SEC has no {what} (404)", "not_found")
    if status == 503:
        return SecUnavailable(f"the SEC is overloaded (503) and could not send {what}; try again later",
                              "overloaded")
    return SecUnavailable(f"the SEC answered HTTP {status} when asked for {what}", "bad_response")
