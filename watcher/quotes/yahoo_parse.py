"""Reading Yahoo v8 chart answers: the live quote, its sessions, the closes; never raises."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from watcher.domain.market import TradingPeriods, in_extended_hours
from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult, is_plausible_price
from watcher.quotes.wire import MAX_RETRY_AFTER_SECONDS, Headers, decode_json, header
from watcher.text import clean_text

TEXT_LIMIT = 80
# close_on looks this far back for the last session on or before the asked day.
CLOSE_LOOKBACK = timedelta(days=7)

Closes = list[tuple[datetime, float]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP-date), at most
    MAX_RETRY_AFTER_SECONDS; None when absent, negative or unreadable. Never raises."""
    if not value:
        return None
    value = value.strip()
    if not value.isascii():  # float() reads other scripts' digits; no server sends them
        return None
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime  # rare: imported when a date is given

        try:
            when = parsedate_to_datetime(value)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = (when - now).total_seconds()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return min(max(0.0, seconds), MAX_RETRY_AFTER_SECONDS)
    if math.isnan(seconds) or seconds < 0:
        return None
    # A number too big for a float (1e400) reads as infinity: the longest wait, like any huge one.
    return min(seconds, MAX_RETRY_AFTER_SECONDS)


def _epoch_to_utc(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        if not math.isfinite(value):  # an int beyond a float's range raises here
            return None
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _failure(symbol: str, kind: FailureKind, reason: str, retry_after: float | None = None) -> QuoteFailure:
    return QuoteFailure(symbol=symbol, kind=kind, reason=reason, retry_after=retry_after)


def _error_description(body: bytes) -> str | None:
    try:
        data = decode_json(body)
    except ValueError:
        return None
    chart = data.get("chart") if isinstance(data, dict) else None
    error = chart.get("error") if isinstance(chart, dict) else None
    return clean_text(error.get("description")) if isinstance(error, dict) else None


def _read_chart(
    symbol: str, status: int, body: bytes, headers: Headers | None, now: datetime
) -> dict | QuoteFailure:
    """The first chart result of a Yahoo answer, or the failure that answer means."""
    if status == 404:
        description = _error_description(body) or "symbol may be delisted"
        if description[:2].istitle():  # "No data found" reads better mid-sentence as "no data found"
            description = description[0].lower() + description[1:]
        return _failure(symbol, FailureKind.NOT_FOUND, f"Yahoo does not know {symbol} ({description})")
    if status == 429:
        retry_after = parse_retry_after(header(headers, "retry-after"), now)
        return _failure(symbol, FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)", retry_after)
    if status != 200:
        return _failure(symbol, FailureKind.HTTP_ERROR, f"Yahoo answered HTTP {status} for {symbol}")
    if not body.strip():
        return _failure(symbol, FailureKind.BAD_RESPONSE, "Yahoo sent an empty answer")
    try:
        data = decode_json(body)
    except ValueError:
        head = body.lstrip()[:200].lower()
        if head.startswith(b"<") or b"<html" in head:
            return _failure(symbol, FailureKind.BAD_RESPONSE, "Yahoo answered with an HTML page, not JSON")
        return _failure(symbol, FailureKind.BAD_RESPONSE, "Yahoo's answer was not JSON (cut off or garbled)")
    chart = data.get("chart") if isinstance(data, dict) else None
    results = chart.get("result") if isinstance(chart, dict) else None
    result = results[0] if isinstance(results, list) and results else None
    if not isinstance(result, dict) or not isinstance(result.get("meta"), dict):
        return _failure(symbol, FailureKind.BAD_RESPONSE, f"Yahoo's answer for {symbol} had no chart in it")
    answered = result["meta"].get("symbol")
    if answered is not None:
        if not isinstance(answered, str):
            return _failure(symbol, FailureKind.BAD_RESPONSE, f"Yahoo's answer for {symbol} named no symbol")
        # ASCII only: casefold() would take "ſK" (a long s) for "SK".
        if not answered.isascii() or answered.upper() != symbol.upper():
            shown = clean_text(answered, 20) or "another symbol"
            return _failure(symbol, FailureKind.WRONG_SYMBOL, f"answer was for {shown}, not {symbol}")
    return result


def _is_delisted(meta: dict) -> bool:
    # Yahoo's mark of a delisted instrument: a 200 whose meta has no currency and no price.
    return meta.get("currency") is None and meta.get("regularMarketPrice") is None


def parse_chart_quote(
    symbol: str, status: int, body: bytes, fetched_at: datetime, headers: Headers | None = None
) -> QuoteResult:
    """The live quote in one chart answer; never raises."""
    result = _read_chart(symbol, status, body, headers, fetched_at)
    if isinstance(result, QuoteFailure):
        return result
    meta = result["meta"]
    price = meta.get("regularMarketPrice")
    if price is None:
        # No price at all: with no currency either it is Yahoo's delisted shape; otherwise
        # there is still nothing to trade on, so it reads the same to the investor.
        return _failure(symbol, FailureKind.DELISTED, f"Yahoo has no price for {symbol} (it may be delisted)")
    if not is_plausible_price(price):
        shown = clean_text(repr(price), 20)
        reason = f"Yahoo sent an implausible price for {symbol}: {shown}"
        return _failure(symbol, FailureKind.IMPLAUSIBLE, reason)
    # The bars only add the extended-hours price: on a weekend or holiday the window has no
    # timestamp and indicators.quote is [{}], yet meta still carries the live price, a valid quote.
    periods = parse_trading_periods(meta)
    previous_close = next(
        (meta[key] for key in ("previousClose", "chartPreviousClose") if is_plausible_price(meta.get(key))),
        None,
    )
    return Quote(
        symbol=symbol,
        price=float(price),
        previous_close=float(previous_close) if previous_close is not None else None,
        market_time=_epoch_to_utc(meta.get("regularMarketTime")) or fetched_at,
        fetched_at=fetched_at,
        currency=clean_text(meta.get("currency")),
        name=clean_text(meta.get("longName")) or clean_text(meta.get("shortName")),
        exchange=clean_text(meta.get("fullExchangeName")) or clean_text(meta.get("exchangeName")),
        trading_periods=periods,
        extended_price=extended_price(_bars(result) or [], periods),
    )


def _bars(result: dict) -> Closes | None:
    """The (bar time, close) pairs of a chart result, oldest first; None when the bars are malformed."""
    timestamps = result.get("timestamp")
    indicators = result.get("indicators")
    quotes = indicators.get("quote") if isinstance(indicators, dict) else None
    bars = quotes[0] if isinstance(quotes, list) and quotes else None
    closes = bars.get("close") if isinstance(bars, dict) else None
    if not isinstance(timestamps, list) or not isinstance(closes, list) or len(closes) != len(timestamps):
        return None
    pairs = [
        (when, float(close))
        for when, close in ((_epoch_to_utc(stamp), close) for stamp, close in zip(timestamps, closes, strict=True))
        if when is not None and is_plausible_price(close)
    ]
    return sorted(pairs, key=lambda pair: pair[0])


def parse_chart_closes(
    symbol: str, status: int, body: bytes, headers: Headers | None = None, now: datetime | None = None
) -> Closes | QuoteFailure:
    """The (bar time, close) pairs of one chart answer, oldest first; bars without a close are skipped."""
    result = _read_chart(symbol, status, body, headers, now or _utc_now())
    if isinstance(result, QuoteFailure):
        return result
    if not result.get("timestamp"):
        if _is_delisted(result["meta"]):
            reason = f"Yahoo has no prices for {symbol} (it may be delisted)"
            return _failure(symbol, FailureKind.DELISTED, reason)
        return _failure(symbol, FailureKind.NO_DATA, f"Yahoo has no closes for {symbol} in that period")
    pairs = _bars(result)
    if pairs is None:
        return _failure(symbol, FailureKind.BAD_RESPONSE, f"Yahoo's closes for {symbol} were malformed")
    return pairs


def _period(value: object) -> tuple[datetime, datetime]:
    if not isinstance(value, dict):
        raise ValueError("a session is not a table")
    start, end = _epoch_to_utc(value.get("start")), _epoch_to_utc(value.get("end"))
    if start is None or end is None:
        raise ValueError("a session has no start or end")
    return start, end


def parse_trading_periods(meta: object) -> TradingPeriods | None:
    """The sessions in meta.currentTradingPeriod; None when missing or of any odd shape."""
    periods = meta.get("currentTradingPeriod") if isinstance(meta, dict) else None
    if not isinstance(periods, dict):
        return None
    try:
        # An exchange without extended hours may leave pre or post out; a garbled one is refused whole.
        return TradingPeriods(
            pre=_period(periods["pre"]) if periods.get("pre") is not None else None,
            regular=_period(periods.get("regular")),
            post=_period(periods["post"]) if periods.get("post") is not None else None,
        )
    except ValueError:
        return None


def extended_price(bars: Sequence[tuple[datetime, float]], periods: TradingPeriods | None) -> float | None:
    """The close of the day's latest trade when it was pre-market or after-hours, else None.

    Only the latest bar of the day's sessions counts: once the regular session has traded,
    the morning's pre-market price is history, not the price to show beside the quote.
    """
    if periods is None:
        return None
    first = (periods.pre or periods.regular)[0]
    last = (periods.post or periods.regular)[1]
    in_day = [(when, close) for when, close in bars if first <= when < last]
    if not in_day:
        return None
    when, close = max(in_day, key=lambda pair: pair[0])
    return close if in_extended_hours(periods, when) and is_plausible_price(close) else None


def close_on(symbol: str, closes: Sequence[tuple[datetime, float]], day: date) -> float | QuoteFailure:
    """The close of the last bar dated (UTC) on `day` or in the week before it."""
    earliest = day - CLOSE_LOOKBACK
    in_window = [(when, close) for when, close in closes if earliest <= when.astimezone(UTC).date() <= day]
    if not in_window:
        reason = f"Yahoo has no close for {symbol} on {day.isoformat()} or the week before"
        return _failure(symbol, FailureKind.NO_DATA, reason)
    return max(in_window, key=lambda pair: pair[0])[1]

