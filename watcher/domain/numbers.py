"""The numbers of a buy condition as the user reads them: its trigger, a price, a weight, a ratio.

Pure functions the domain's conditions write their rules with; watcher.format offers them
beside the rest of the screen's number formats.
"""

from __future__ import annotations

import math
from typing import TypeGuard

DASH = "—"
"""What a missing or non-finite number reads as."""


def finite(value: float | None) -> TypeGuard[float]:
    """A number that can be shown: not None, not nan, not infinite."""
    return value is not None and math.isfinite(value)


def plain_number(value: float) -> str:
    """133 → "133", 133.5 → "133.50", 0.125 → "0.125": as a user would write a trigger."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def price(value: float | None) -> str:
    return f"{value:,.2f}" if finite(value) else DASH


def pct(value: float | None, decimals: int = 1) -> str:
    return f"{value:.{decimals}f} %" if finite(value) else DASH


def ratio(value: float | None) -> str:
    if not finite(value):
        return DASH
    return f"{value:.1f}×" if value < 100 else f"{value:,.0f}×"
