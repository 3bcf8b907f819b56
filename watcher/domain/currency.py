"""Currencies as quotes name them: minor units (pence, agorot, cents), and rates into a base currency.

A quote's currency is what the exchange prices it in: London quotes in pence (`GBp`, also
written `GBX`), Tel Aviv in agorot (`ILA`), Johannesburg in cents (`ZAc`). Each is 1/100 of its
major currency. Rates are kept per major currency, as the number of base-currency units one
unit of it buys (GBP → USD 1.25), the way an FX quote such as `GBPUSD=X` gives them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

# Quote currency → (major currency, units of the quote currency in one major unit).
MINOR_UNITS: dict[str, tuple[str, int]] = {
    "GBp": ("GBP", 100),
    "GBX": ("GBP", 100),
    "ILA": ("ILS", 100),
    "ZAc": ("ZAR", 100),
}
_ISO_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Listing:
    """A quote currency read: its major currency and how many quoted units make one of it."""

    quoted: str
    major: str
    per_major: int = 1

    def to_major(self, amount: float) -> float:
        """An amount as quoted (7000 pence) in the major currency (70 pounds)."""
        return amount / self.per_major


def listing(code: str | None) -> Listing | None:
    """The currency a quote names, or None when it is not one neowatch can read."""
    if code is None:
        return None
    if code in MINOR_UNITS:
        major, per_major = MINOR_UNITS[code]
        return Listing(code, major, per_major)
    if _ISO_CODE.fullmatch(code):
        return Listing(code, code)
    return None


def is_currency_code(code: str) -> bool:
    """Three capital letters (an ISO 4217 code), or one of the minor units above."""
    return code in MINOR_UNITS or bool(_ISO_CODE.fullmatch(code))


def fx_symbol(major: str, base: str) -> str:
    """Yahoo's symbol for the rate of `major` in `base`: GBP in USD is "GBPUSD=X"."""
    return f"{major}{base}=X"


def fx_pair(symbol: str) -> tuple[str, str] | None:
    """("GBP", "USD") for "GBPUSD=X"; None for any other symbol."""
    if len(symbol) == 8 and symbol.endswith("=X") and _ISO_CODE.fullmatch(symbol[:3]) and _ISO_CODE.fullmatch(
        symbol[3:6]
    ):
        return symbol[:3], symbol[3:6]
    return None


@dataclass(frozen=True, slots=True)
class Rates:
    """What one unit of each major currency is worth in the base currency, where known."""

    base: str
    known: Mapping[str, float]
    """Major currency → base-currency units per unit; the base itself need not be listed."""
    stale: frozenset[str] = frozenset()
    """Currencies whose last rate is stale (the feed has not brought a new one in time)."""

    def rate(self, major: str | None) -> float | None:
        """Base-currency units per unit of `major`; None when unknown (never 1 by default)."""
        if major is None:
            return None
        if major == self.base:
            return 1.0
        value = self.known.get(major)
        if value is None or not math.isfinite(value) or value <= 0:
            return None
        return value

    def convert(self, amount: float, major: str | None) -> float | None:
        """`amount` of `major` in the base currency, or None when its rate is unknown."""
        rate = self.rate(major)
        if rate is None:
            return None
        value = amount * rate
        return value if math.isfinite(value) else None


def same_currency(base: str) -> Rates:
    """Rates that know only the base currency: every other amount stays unknown."""
    return Rates(base, {})


SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "ILS": "₪", "KRW": "₩"}


def sign_of(currency: str) -> str:
    """What an amount in `currency` is written with: "$", "€", or the code and a space ("CHF ")."""
    return SIGNS.get(currency, f"{currency} ")
