"""Quotes as the rest of neowatch sees them: a price, or a failure with its reason in words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TypeGuard

from watcher.domain.market import TradingPeriods
from watcher.domain.plausibility import implausible_reason, within_band


@dataclass(frozen=True, slots=True)
class Quote:
    """The last traded price of one symbol, as a provider answered it."""

    symbol: str
    price: float
    previous_close: float | None
    market_time: datetime
    """When the exchange last traded (timezone-aware, UTC)."""
    fetched_at: datetime
    """When neowatch received the answer (timezone-aware, UTC)."""
    currency: str | None = None
    name: str | None = None
    exchange: str | None = None
    trading_periods: TradingPeriods | None = None
    """The current or next day's sessions, when the provider said; see market.market_state."""
    extended_price: float | None = None
    """The last pre-market or after-hours trade, when there was one in the current session."""
    source: str | None = None
    """The provider that gave it ("Yahoo", "Nasdaq"); set by the feed when a provider did not."""

    @property
    def day_change(self) -> float | None:
        if self.previous_close is None or self.previous_close <= 0:
            return None
        return self.price - self.previous_close

    @property
    def day_change_pct(self) -> float | None:
        change = self.day_change
        if change is None or self.previous_close is None:
            return None
        return change / self.previous_close * 100.0


class FailureKind(str, Enum):
    """Why a provider gave no usable price."""

    NOT_FOUND = "not_found"
    DELISTED = "delisted"
    NO_DATA = "no_data"
    RATE_LIMITED = "rate_limited"
    BAD_RESPONSE = "bad_response"
    WRONG_SYMBOL = "wrong_symbol"
    IMPLAUSIBLE = "implausible"
    NETWORK = "network"
    HTTP_ERROR = "http_error"


@dataclass(frozen=True, slots=True)
class QuoteFailure:
    """A per-symbol failure: the UI shows `reason` and keeps the last good quote."""

    symbol: str
    kind: FailureKind
    reason: str
    """A sentence for the user, e.g. "rate-limited by Yahoo (HTTP 429)"."""
    retry_after: float | None = None
    """Seconds the provider asked us to wait, when it said so."""


QuoteResult = Quote | QuoteFailure


def is_plausible_price(value: object) -> TypeGuard[float]:
    """A price is a finite number above zero; anything else is not a price."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value) and value > 0
    except OverflowError:  # an integer too large for a float is no price either
        return False


@dataclass(slots=True)
class QuoteBook:
    """Last good quote and latest failure per symbol: what the screen shows.

    A price far outside the band around the last good one (see plausibility) is not taken at
    once: it waits in `held`, out of every valuation, weight and alert, until the next read
    agrees with it. `quotes` keeps the last good quote meanwhile.
    """

    quotes: dict[str, Quote] = field(default_factory=dict)
    failures: dict[str, QuoteFailure] = field(default_factory=dict)
    held: dict[str, tuple[Quote, str]] = field(default_factory=dict)
    """Symbol → the suspect quote held back and why, until a second read confirms or replaces it."""

    def apply(self, results: dict[str, QuoteResult]) -> list[Quote]:
        """Take one refresh's results; the quotes accepted (not the ones held back).

        A failure never erases the last good quote, nor a held one: it is no read of a price.
        """
        accepted = []
        for symbol, result in results.items():
            if isinstance(result, Quote):
                self.failures.pop(symbol, None)
                if self._accept(result):
                    self.quotes[symbol] = result
                    accepted.append(result)
            else:
                self.failures[symbol] = result
        return accepted

    def _accept(self, quote: Quote) -> bool:
        """True when `quote` is to be believed now; otherwise it is held with its reason."""
        held = self.held.pop(quote.symbol, None)
        if held is not None and quote.fetched_at > held[0].fetched_at and within_band(quote.price, held[0].price):
            return True  # a second read agrees with the held one: the move was real
        last = self.quotes.get(quote.symbol)
        reason = implausible_reason(quote.price, last.price if last else None, quote.previous_close)
        if reason is None:
            return True
        if held is not None and quote.fetched_at <= held[0].fetched_at:
            self.held[quote.symbol] = held  # the same read again is no second read
        else:
            self.held[quote.symbol] = (quote, reason)
        return False

    def price(self, symbol: str) -> float | None:
        quote = self.quotes.get(symbol)
        return quote.price if quote else None
