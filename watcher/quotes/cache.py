"""The last good quotes and history closes on disk, so a restart shows prices before the first fetch."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from watcher.domain.quote import Quote, is_plausible_price
from watcher.text import clean_text

CACHE_VERSION = 1

Closes = dict[str, dict[str, float]]


class CacheShapeError(ValueError):
    """The file is JSON but not a quote cache this version of neowatch wrote."""


def _iso(moment: datetime) -> str:
    # Quotes always carry UTC; a naive time can only be ours, so it is stored as UTC, not local.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
        return moment.astimezone(UTC) if moment.tzinfo is not None else None
    except (ValueError, OverflowError):  # year 1 or 9999 with an offset falls off the calendar
        return None


def _quote_entry(quote: Quote) -> dict[str, object]:
    return {
        "price": quote.price,
        "previous_close": quote.previous_close if is_plausible_price(quote.previous_close) else None,
        "market_time": _iso(quote.market_time),
        "fetched_at": _iso(quote.fetched_at),
        "currency": quote.currency,
        "name": quote.name,
        "exchange": quote.exchange,
        "source": quote.source,
    }


def _quote_from(symbol: object, entry: object) -> Quote | None:
    """A cached quote, or None when anything essential is missing or implausible."""
    if not isinstance(symbol, str) or not symbol.strip() or not isinstance(entry, dict):
        return None
    price = entry.get("price")
    market_time = _moment(entry.get("market_time"))
    fetched_at = _moment(entry.get("fetched_at"))
    if not is_plausible_price(price) or market_time is None or fetched_at is None:
        return None
    previous_close = entry.get("previous_close")
    return Quote(
        symbol=symbol,
        price=float(price),
        previous_close=float(previous_close) if is_plausible_price(previous_close) else None,
        market_time=market_time,
        fetched_at=fetched_at,
        currency=clean_text(entry.get("currency")),
        name=clean_text(entry.get("name")),
        exchange=clean_text(entry.get("exchange")),
        source=clean_text(entry.get("source")),
    )


def _closes_from(entry: object) -> dict[str, float]:
    if not isinstance(entry, dict):
        return {}
    closes: dict[str, float] = {}
    for day, close in entry.items():
        try:
            key = date.fromisoformat(day).isoformat() if isinstance(day, str) else None
        except ValueError:
            key = None
        if key is not None and is_plausible_price(close):
            closes[key] = float(close)
    return closes


class QuoteCache:
    """One JSON file holding quotes by symbol and closes by symbol and ISO date."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def aside_path(self) -> Path:
        """Where an unreadable cache is moved, so the user can still look at it."""
        return self.path.with_name(self.path.name + ".corrupt")

    def load(self, source: str | None = None) -> tuple[dict[str, Quote], Closes, str | None]:
        """Quotes, closes and a warning sentence; never raises, a bad file is set aside.

        With `source`, quotes another provider saved are left out: a price is shown as its own
        provider's or not at all. Closes are kept whoever looked them up: a close is a close.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}, {}, None
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            return {}, {}, f"Could not read the quote cache {self.path} ({why}); starting without it."
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise CacheShapeError("not a JSON object")
            if data.get("version") != CACHE_VERSION:
                raise CacheShapeError(f"unknown version {data.get('version')!r:.20}")
            quotes_raw, closes_raw = data.get("quotes", {}), data.get("closes", {})
            if not isinstance(quotes_raw, dict) or not isinstance(closes_raw, dict):
                raise CacheShapeError("quotes or closes are not tables")
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            return {}, {}, self._set_aside(exc)
        # A file written before quotes named their provider is taken as it is (one upgrade).
        if source is not None and data.get("source") not in (None, source):
            quotes_raw = {}
        quotes = {
            symbol: quote
            for symbol, entry in quotes_raw.items()
            if (quote := _quote_from(symbol, entry)) is not None
        }
        closes = {
            symbol: by_day
            for symbol, entry in closes_raw.items()
            if isinstance(symbol, str) and symbol.strip() and (by_day := _closes_from(entry))
        }
        return quotes, closes, None

    def save(self, quotes: dict[str, Quote], closes: Closes, source: str | None = None) -> None:
        """Write atomically: a reader sees the old file or the new one, never half of either.
        `source` names the provider the quotes came from.

        Raises OSError when the disk refuses; the temporary file is removed first.
        """
        data = {
            "version": CACHE_VERSION,
            "saved_at": _iso(datetime.now(UTC)),
            "source": source,
            "quotes": {s: _quote_entry(q) for s, q in quotes.items() if is_plausible_price(q.price)},
            "closes": {
                symbol: {day: float(c) for day, c in by_day.items() if is_plausible_price(c)}
                for symbol, by_day in closes.items()
            },
        }
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The temporary file sits in the same directory: os.replace is only atomic within one filesystem.
        fd, temp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        self._sync_directory()

    def _set_aside(self, error: Exception) -> str:
        why = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
        try:
            os.replace(self.path, self.aside_path)
        except OSError:
            return f"The quote cache {self.path} is unreadable ({why}) and could not be moved aside."
        return f"The quote cache {self.path} was unreadable ({why}); it was moved to {self.aside_path.name}."

    def _sync_directory(self) -> None:
        # Makes the rename itself durable on POSIX; Windows cannot open a directory, and need not.
        try:
            fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
