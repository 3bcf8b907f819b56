"""Whether a new price is believable next to the one before it: a wide band, and why not, in words."""

from __future__ import annotations

from watcher.domain.numbers import plain_number

PLAUSIBLE_FACTOR = 20.0
"""A new price below 1/20 or above 20× its reference is held back until a second read confirms it.

The band is wide on purpose. Between two refreshes (a minute apart, or overnight from a cached
price) a listed share does not lose more than 95 % or gain more than 1,900 %: the worst days of
bankruptcies are about −90 %, the wildest squeezes a few hundred per cent. What does land
outside it is a wrong number: a price in cents or pence instead of dollars or pounds (100×), a
provider's placeholder (0.0001, 1e-300), another instrument's price under the symbol. A real
event that big (a 1-for-30 reverse split, a collapse) is confirmed by the next read, one refresh
late, which costs little next to a BUY fired on a garbled print.
"""


def reference_price(last_good: float | None, previous_close: float | None) -> tuple[float, str] | None:
    """What a new price is measured against, and its name: the last good price, else the previous close."""
    if last_good is not None and last_good > 0:
        return last_good, "the last good price"
    if previous_close is not None and previous_close > 0:
        return previous_close, "the previous close"
    return None


def within_band(price: float, reference: float) -> bool:
    """`price` lies within [reference / PLAUSIBLE_FACTOR, reference × PLAUSIBLE_FACTOR]."""
    return reference / PLAUSIBLE_FACTOR <= price <= reference * PLAUSIBLE_FACTOR


def implausible_reason(price: float, last_good: float | None, previous_close: float | None) -> str | None:
    """Why `price` is not believed yet, in words; None when it is (or nothing is known to compare)."""
    reference = reference_price(last_good, previous_close)
    if reference is None:
        return None
    value, name = reference
    if within_band(price, value):
        return None
    factor = plain_number(PLAUSIBLE_FACTOR)
    shown, against = plain_number(price), plain_number(value)
    if price < value:
        return f"{shown} is under 1/{factor} of {name} {against}; held until the next read confirms it"
    return f"{shown} is over {factor}× {name} {against}; held until the next read confirms it"
