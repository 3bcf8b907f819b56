"""How numbers read on screen: money, percentages, ratios, power, ages. Pure functions.

None writes "nan", "inf" or a negative zero: a number that cannot be shown is the dash, and one
that rounds to zero ("-$0", "-0.0 %") is written without its sign.
"""

from __future__ import annotations

from datetime import timedelta

# The condition's numbers are the domain's (it writes its rules with them); offered here too,
# with every other format of the screen.
from watcher.domain.numbers import DASH as DASH
from watcher.domain.numbers import finite as _finite
from watcher.domain.numbers import pct as pct
from watcher.domain.numbers import plain_number as plain_number
from watcher.domain.numbers import price as price
from watcher.domain.numbers import ratio as ratio
from watcher.domain.numbers import unsigned_zero as _unsigned_zero


def money(value: float | None, decimals: int = 0) -> str:
    if not _finite(value):
        return DASH
    sign = "-" if value < 0 else ""
    return _unsigned_zero(f"{sign}${abs(value):,.{decimals}f}")


def big_money(value: float | None) -> str:
    """$65.2 B, $225 M, $26 M: the analysis' way of writing company amounts."""
    if not _finite(value):
        return DASH
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    # Each band starts where the one below would round up to 1000 (999.6e6 → "$1.00 B").
    bands = ((999.5e9, 1e12, "T", 2), (9.995e9, 1e9, "B", 1), (999.5e6, 1e9, "B", 2), (1e6, 1e6, "M", 0))
    for start, scale, suffix, decimals in bands:
        if magnitude >= start:
            return f"{sign}${magnitude / scale:.{decimals}f} {suffix}"
    return _unsigned_zero(f"{sign}${magnitude:,.0f}")


def signed_pct(value: float | None, decimals: int = 1) -> str:
    """+3.2 % / -1.0 %: the sign always shown, so gain and loss never rely on colour."""
    if not _finite(value):
        return DASH
    return _signed_zero(f"{value:+.{decimals}f} %")


def signed_money(value: float | None) -> str:
    if not _finite(value):
        return DASH
    sign = "+" if value >= 0 else "-"
    return _signed_zero(f"{sign}${abs(value):,.0f}")


def _signed_zero(text: str) -> str:
    # A loss too small to show is no loss on screen: "+0.0 %", as zero itself reads.
    return "+" + text[1:] if _unsigned_zero(text) != text else text


def power_mw(value: float | None) -> str:
    if not _finite(value):
        return DASH
    if value >= 1000:
        return f"{value / 1000:.1f} GW"
    return _unsigned_zero(f"{value:.0f} MW")


def shares(value: float | None) -> str:
    if not _finite(value):
        return DASH
    # A fraction to four decimals, its trailing zeros (and a bare point) left off: 2.5, not "2.5000" or "2.".
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")
    return _unsigned_zero(text)


def short_age(delta: timedelta) -> str:
    """17s, 4m, 3h, 2d: an age in a narrow column."""
    return age(delta).replace(" min", "m").replace(" ", "")


def age(delta: timedelta) -> str:
    """12 s, 4 min, 3 h, 2 d: how old a number is."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def figure_value(value: float | str | None, unit: str) -> str:
    """A fundamental in its unit; "not stated" when the source does not give it."""
    if value is None:
        return "not stated"
    if isinstance(value, str):
        return value
    if unit == "usd":
        return big_money(value)
    if unit == "mw":
        return power_mw(value)
    if unit == "cents_kwh":
        return f"{value:.1f} ¢/kWh" if _finite(value) else DASH
    if unit == "pct":
        return pct(value)
    if unit == "shares":
        return shares(value)
    return plain_number(value)


SPARK_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 12) -> str:
    """The last `width` values as block characters, lowest ▁ to highest █; flat reads as ▄."""
    points: list[float] = []
    for value in reversed(values):  # from the newest: only the last `width` are looked at
        if _finite(value):
            points.append(value)
            if len(points) == width:
                break
    points.reverse()
    if len(points) < 2:
        return ""
    low, high = min(points), max(points)
    if high == low:
        return SPARK_BARS[3] * len(points)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((v - low) / (high - low) * top)] for v in points)
