"""Finnhub quote provider: one request per symbol with the key in a header; every failure a value."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult, is_plausible_price
from watcher.quotes.http import (
    AsyncClientLike,
    fetch_within,
    get_capped,
    host_of,
    too_slow_reason,
)
from watcher.quotes.provider import ChartRange, PriceHistory
from watcher.quotes.redact import redact, redact_url
from watcher.quotes.wire import Headers, decode_json, header
from watcher.quotes.yahoo_parse import parse_retry_after
from watcher.text import clean_text

DEFAULT_FINNHUB_URL = "https://finnhub.io/api/v1"
# A header, not `&token=`: URLs end up in logs, proxies' records and error messages.
TOKEN_HEADER = "X-Finnhub-Token"
# A quote is about a hundred bytes; anything far bigger is not a quote.
MAX_BODY_BYTES = 64 * 1024
NO_TOKEN_REASON = "Finnhub needs a key: set NEOWATCH_FINNHUB_TOKEN or settings.finnhub_token"
BAD_TOKEN_REASON = (
    "the Finnhub key (NEOWATCH_FINNHUB_TOKEN or settings.finnhub_token) has spaces or "
    "characters a key cannot have"
)
NO_HISTORY_REASON = "Finnhub's free plan has no price history"



def _utc_now() -> datetime:
    return datetime.now(UTC)


def finnhub_unavailable_reason(token: str | None) -> str | None:
    """Why no Finnhub provider can be made with this key, or None when it can."""
    if token is None or not token.strip():
        return NO_TOKEN_REASON
    # A header value must be printable ASCII; anything else fails on every request, so say so once.
    if not all("!" <= ch <= "~" for ch in token.strip()):
        return BAD_TOKEN_REASON
    return None


def _failure(symbol: str, kind: FailureKind, reason: str, retry_after: float | None = None) -> QuoteFailure:
    return QuoteFailure(symbol=symbol, kind=kind, reason=reason, retry_after=retry_after)


def _error_text(body: bytes) -> str | None:
    """Finnhub's `{"error": "..."}` message, made safe to show; None for any other body."""
    try:
        data = decode_json(body)
    except ValueError:
        return None
    return clean_text(data.get("error"), 120) if isinstance(data, dict) else None


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read_status(
    symbol: str, status: int, body: bytes, headers: Headers | None, now: datetime
) -> QuoteFailure:
    """The failure a non-200 answer means."""
    detail = _error_text(body)
    said = f' ("{detail}")' if detail else ""
    if status == 429:
        retry_after = parse_retry_after(header(headers, "retry-after"), now)
        reason = "rate-limited by Finnhub (HTTP 429)"
        if detail is None:
            # Finnhub answers an empty or wrong key with a plain-text 429, its quota with JSON.
            reason += ", or the key was refused"
        return _failure(symbol, FailureKind.RATE_LIMITED, reason, retry_after)
    if status == 401:
        return _failure(symbol, FailureKind.HTTP_ERROR, f"Finnhub refused the key (HTTP 401){said}")
    if status == 403:
        reason = f"Finnhub refused {symbol} (HTTP 403): outside your plan, or the key was refused{said}"
        return _failure(symbol, FailureKind.HTTP_ERROR, reason)
    return _failure(symbol, FailureKind.HTTP_ERROR, f"Finnhub answered HTTP {status} for {symbol}")


def parse_finnhub_quote(
    symbol: str, status: int, body: bytes, fetched_at: datetime, headers: Headers | None = None
) -> QuoteResult:
    """The quote in one answer of Finnhub's /quote; never raises."""
    if status != 200:
        return _read_status(symbol, status, body, headers, fetched_at)
    if not body.strip():
        return _failure(symbol, FailureKind.BAD_RESPONSE, "Finnhub sent an empty answer")
    try:
        data = decode_json(body)
    except ValueError:
        head = body.lstrip()[:200].lower()
        if head.startswith(b"<") or b"<html" in head:
            return _failure(symbol, FailureKind.BAD_RESPONSE, "Finnhub answered with an HTML page, not JSON")
        reason = "Finnhub's answer was not JSON (cut off or garbled)"
        return _failure(symbol, FailureKind.BAD_RESPONSE, reason)
    if not isinstance(data, dict) or "c" not in data:
        detail = clean_text(data.get("error"), 120) if isinstance(data, dict) else None
        said = f' ("{detail}")' if detail else ""
        reason = f"Finnhub's answer for {symbol} was not a quote{said}"
        return _failure(symbol, FailureKind.BAD_RESPONSE, reason)
    price, stamp = data.get("c"), data.get("t")
    if (price is not None and not _number(price)) or (stamp is not None and not _number(stamp)):
        return _failure(symbol, FailureKind.BAD_RESPONSE, f"Finnhub's quote for {symbol} was malformed")
    # An unknown symbol is a 200 of zeros with t = 0: no data, never a price of zero.
    if not stamp or price is None or all(not data.get(key) for key in ("c", "pc", "o", "h", "l")):
        return _failure(symbol, FailureKind.NO_DATA, f"Finnhub has no data for {symbol}")
    if not is_plausible_price(price):
        shown = clean_text(repr(price), 20)
        reason = f"Finnhub sent an implausible price for {symbol}: {shown}"
        return _failure(symbol, FailureKind.IMPLAUSIBLE, reason)
    try:
        market_time = datetime.fromtimestamp(stamp, UTC) if math.isfinite(stamp) and stamp > 0 else None
    except (OverflowError, OSError, ValueError):
        market_time = None
    if market_time is None:
        reason = f"Finnhub's quote for {symbol} had an impossible time"
        return _failure(symbol, FailureKind.BAD_RESPONSE, reason)
    previous_close = data.get("pc")
    return Quote(
        symbol=symbol,
        price=float(price),
        previous_close=float(previous_close) if is_plausible_price(previous_close) else None,
        market_time=market_time,
        fetched_at=fetched_at,
    )


class FinnhubProvider:
    """Quotes from Finnhub's /quote endpoint; its free plan answers US symbols, 60 calls a minute."""

    name = "Finnhub"
    simulated = False

    def __init__(
        self,
        client: AsyncClientLike,
        token: str,
        base_url: str = DEFAULT_FINNHUB_URL,
        concurrency: int = 4,
        clock: Callable[[], datetime] = _utc_now,
        request_deadline: float | None = None,
        refresh_deadline: float | None = None,
    ) -> None:
        unavailable = finnhub_unavailable_reason(token)
        if unavailable:
            raise ValueError(unavailable)  # the reason never quotes the key
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._client = client
        self._token = token.strip()
        self._base_url = base_url.rstrip("/")
        self._clock = clock
        self._gate = asyncio.Semaphore(concurrency)
        self._host = host_of(self._base_url)
        self._request_deadline = request_deadline
        """A whole request, body included, gets this long (the read timeout restarts with each
        byte); None: REQUEST_DEADLINE_SECONDS."""
        self._refresh_deadline = refresh_deadline
        """A whole fetch_quotes call gets this long, unfinished symbols then failing "too slow";
        None: REFRESH_DEADLINE_SECONDS."""

    def __repr__(self) -> str:
        # The key stays out: a repr ends up in tracebacks and debug logs.
        return f"FinnhubProvider(base_url={self._scrub(redact_url(self._base_url))!r})"

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        unique = list(dict.fromkeys(symbols))
        results = await fetch_within(unique, self._fetch_quote, self._too_slow, self._refresh_deadline)
        return {symbol: self._safe(result) for symbol, result in results.items()}

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        return _failure(symbol, FailureKind.NO_DATA, NO_HISTORY_REASON)

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        return _failure(symbol, FailureKind.NO_DATA, NO_HISTORY_REASON)

    async def aclose(self) -> None:
        await self._client.aclose()

    def _scrub(self, text: str) -> str:
        return redact(text, [self._token])

    def _safe(self, result: QuoteResult) -> QuoteResult:
        """The result with the key masked out of its reason, whatever put it there (a server echo)."""
        if isinstance(result, QuoteFailure):
            scrubbed = self._scrub(result.reason)
            if scrubbed != result.reason:
                return _failure(result.symbol, result.kind, scrubbed, result.retry_after)
        return result

    def _too_slow(self, symbol: str, deadline: float) -> QuoteFailure:
        return _failure(symbol, FailureKind.NETWORK, too_slow_reason(self.name, deadline))

    async def _fetch_quote(self, symbol: str) -> QuoteResult:
        try:
            return await self._get_quote(symbol)
        except Exception:  # noqa: BLE001 - one odd answer must not sink the other symbols
            return _failure(symbol, FailureKind.BAD_RESPONSE, f"could not read Finnhub's answer for {symbol}")

    async def _get_quote(self, symbol: str) -> QuoteResult:
        if not symbol.strip():
            return _failure(symbol, FailureKind.NOT_FOUND, "an empty symbol cannot be looked up")
        url = f"{self._base_url}/quote"
        params = {"symbol": symbol.strip()}
        async with self._gate:
            answer = await get_capped(
                self._client, "Finnhub", self._host, symbol, url,
                limit=MAX_BODY_BYTES, params=params, headers={TOKEN_HEADER: self._token},
                deadline=self._request_deadline,
            )
        if isinstance(answer, QuoteFailure):
            return answer
        return parse_finnhub_quote(symbol, answer.status, self._scrub_body(answer.body), self._clock(), answer.headers)

    def _scrub_body(self, body: bytes) -> bytes:
        """The body with the key masked before it is read: a reason quotes at most 120 characters
        of an error, and a cut taken before masking could show the key's first part."""
        text = body.decode("utf-8", "surrogateescape")  # any bytes, back to the same bytes
        scrubbed = self._scrub(text)
        return body if scrubbed == text else scrubbed.encode("utf-8", "surrogateescape")
