"""The numbers of a buy condition as the user reads them: its trigger, a price, a weight, a ratio.

Pure functions the domain's conditions write their rules with; watcher.format offers them
beside the rest of the screen's number formats. None of them ever writes "nan", "inf" or a
negative zero: a number that cannot be shown is the dash, one that rounds to zero has no sign.
"""

from __future__ import annotations

import math
from typing import TypeGuard

DASH = "—"
"""What a missing or non-finite number reads as."""

SIGNIFICANT_DIGITS = 4
"""How many digits a price under 1 keeps (see `price`)."""
MAX_DECIMALS = 10
"""Past this many decimals a price under 1 is written as 1.234e-11: a row of zeros is not read."""

_NONZERO_DIGITS = frozenset("123456789")


def finite(value: float | None) -> TypeGuard[float]:
    """A number that can be shown: not None, not nan, not infinite."""
    try:
        return value is not None and math.isfinite(value)
    except OverflowError:  # an integer too large for a float cannot be shown either
        return False


def unsigned_zero(text: str) -> str:
    """"-0.00" → "0.00", "-$0" → "$0": a number that rounds to zero has no side to show."""
    if text.startswith("-") and _NONZERO_DIGITS.isdisjoint(text):
        return text[1:]
    return text


def _below_one(value: float, min_decimals: int) -> str:
    # The exponent is read after rounding, so 0.0099996 is handled as the 0.01 it shows as.
    scientific = f"{value:.{SIGNIFICANT_DIGITS - 1}e}"
    decimals = SIGNIFICANT_DIGITS - 1 - int(scientific.partition("e")[2])
    if decimals > MAX_DECIMALS:
        return scientific
    whole, _, fraction = f"{value:.{decimals}f}".partition(".")
    # Zeros are kept up to `min_decimals`, but never past the digit the price was rounded at.
    return f"{whole}.{fraction.rstrip('0').ljust(min(max(min_decimals, 2), decimals), '0')}"


def price(value: float | None, min_decimals: int = 2) -> str:
    """1,234.50 and 12.30 from 1 up; under 1, four significant digits and at least two decimals.

    A price under a dollar moves in fractions of a cent (US shares under $1 are quoted to
    $0.0001, coins much finer), so cents alone would show SNDL at 0.0123 as "0.01" and a coin at
    0.00001234 as "0.00": a positive price reading as nothing. Four significant digits are the
    precision of a $10–$99 share shown to the cent, so every price reads to about 0.1 %:
    0.0123 → "0.0123", 0.12345 → "0.1235", 0.00001234 → "0.00001234". At least two decimals keep
    it reading as money, as the prices from 1 up do (0.5 → "0.50"); zeros past them are left off,
    as they would only repeat what the digits before them say (0.0120 → "0.012"). Below 1e-7 the
    zeros would fill the column: 1.234e-08. Never "nan", "inf" or "-0.00": those are the dash and
    "0.00".

    `min_decimals` keeps zeros up to that many decimals under 1 (0.012 → "0.01200" at 5), never
    past the fourth significant digit, so a column of labels can line up without claiming digits.
    """
    if not finite(value):
        return DASH
    if value == 0:
        return "0.00"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return _below_one(value, min_decimals)


def plain_number(value: float | None) -> str:
    """133 → "133", 133.5 → "133.50", 0.0123 → "0.0123": as a user would write a trigger.

    A whole number without decimals; any other as `price` writes it, so a trigger and the price
    it is compared with read at the same precision.
    """
    if not finite(value):
        return DASH
    if float(value).is_integer():
        return unsigned_zero(f"{value:,.0f}")
    return price(value)


def pct(value: float | None, decimals: int = 1) -> str:
    return unsigned_zero(f"{value:.{decimals}f} %") if finite(value) else DASH


def ratio(value: float | None) -> str:
    if not finite(value):
        return DASH
    return unsigned_zero(f"{value:.1f}×" if value < 100 else f"{value:,.0f}×")
