"""Yahoo Finance v8 chart provider: one keyless request per symbol, every failure a value."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote as url_quote

from watcher.domain.quote import FailureKind, QuoteFailure, QuoteResult
from watcher.quotes.http import (
    Answer,
    AsyncClientLike,
    fetch_within,
    get_capped,
    host_of,
    too_slow_reason,
)
from watcher.quotes.provider import ChartRange, PriceHistory
from watcher.quotes.yahoo_parse import (
    CLOSE_LOOKBACK,
    _failure,
    _utc_now,
    close_on,
    parse_chart_closes,
    parse_chart_quote,
)

DEFAULT_YAHOO_URL = "https://query1.finance.yahoo.com"
# A 5-minute chart of one day is tens of kilobytes; anything far bigger is not a chart.
MAX_BODY_BYTES = 4 * 1024 * 1024
# includePrePost adds the extended-hours bars, from which the quote takes its extended price.
QUOTE_PARAMS: dict[str, str | int] = {"range": "1d", "interval": "5m", "includePrePost": "true"}


class YahooProvider:
    """Quotes from Yahoo's keyless v8 chart endpoint, a few symbols at a time."""

    name = "Yahoo"
    simulated = False

    def __init__(
        self,
        client: AsyncClientLike,
        base_url: str = DEFAULT_YAHOO_URL,
        concurrency: int = 8,
        clock: Callable[[], datetime] = _utc_now,
        request_deadline: float | None = None,
        refresh_deadline: float | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._client = client
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

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        unique = list(dict.fromkeys(symbols))
        return await fetch_within(unique, self._fetch_quote, self._too_slow, self._refresh_deadline)

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        try:
            start = datetime.combine(day - CLOSE_LOOKBACK, datetime.min.time(), UTC)
            end = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
            params: dict[str, str | int] = {
                "period1": int(start.timestamp()), "period2": int(end.timestamp()), "interval": "1d"
            }
            answer = await self._get(symbol, params)
            if isinstance(answer, QuoteFailure):
                return answer
            closes = parse_chart_closes(symbol, answer.status, answer.body, answer.headers, self._clock())
            return closes if isinstance(closes, QuoteFailure) else close_on(symbol, closes, day)
        except Exception:  # noqa: BLE001 - the protocol promises failures as values, never exceptions
            return _failure(symbol, FailureKind.BAD_RESPONSE, f"could not read Yahoo's closes for {symbol}")

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        try:
            answer = await self._get(
                symbol, {"range": chart_range.yahoo_range, "interval": chart_range.yahoo_interval}
            )
            if isinstance(answer, QuoteFailure):
                return answer
            closes = parse_chart_closes(symbol, answer.status, answer.body, answer.headers, self._clock())
            if isinstance(closes, QuoteFailure):
                return closes
            if not closes:  # bars were there, every one of them without a trade
                reason = f"Yahoo has no prices for {symbol} over {chart_range.value}"
                return _failure(symbol, FailureKind.NO_DATA, reason)
            return PriceHistory(symbol=symbol, range=chart_range, points=tuple(closes))
        except Exception:  # noqa: BLE001 - the protocol promises failures as values, never exceptions
            return _failure(symbol, FailureKind.BAD_RESPONSE, f"could not read Yahoo's history of {symbol}")

    async def aclose(self) -> None:
        await self._client.aclose()

    def _too_slow(self, symbol: str, deadline: float) -> QuoteFailure:
        return _failure(symbol, FailureKind.NETWORK, too_slow_reason(self.name, deadline))

    async def _fetch_quote(self, symbol: str) -> QuoteResult:
        try:
            answer = await self._get(symbol, dict(QUOTE_PARAMS))
            if isinstance(answer, QuoteFailure):
                return answer
            return parse_chart_quote(symbol, answer.status, answer.body, self._clock(), answer.headers)
        except Exception:  # noqa: BLE001 - one odd answer must not sink the other symbols
            return _failure(symbol, FailureKind.BAD_RESPONSE, f"could not read Yahoo's answer for {symbol}")

    async def _get(self, symbol: str, params: dict[str, str | int]) -> Answer | QuoteFailure:
        if not symbol.strip():
            return _failure(symbol, FailureKind.NOT_FOUND, "an empty symbol cannot be looked up")
        url = f"{self._base_url}/v8/finance/chart/{url_quote(symbol.strip(), safe='')}"
        async with self._gate:
            return await get_capped(
                self._client, "Yahoo", self._host, symbol, url,
                limit=MAX_BODY_BYTES, params=params, deadline=self._request_deadline,
            )

