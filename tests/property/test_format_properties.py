"""Properties of the price format: any float reads as a number or the dash, and reads back as itself.

Never "nan", "inf" or a negative zero; never "0.00" for a price above zero; and the text, read
back, is within half a unit of its last shown digit of the number it was made from (and, under 1,
within four significant digits of it).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.property.conftest import light, tally
from watcher import format as fmt

any_float = st.floats(allow_nan=True, allow_infinity=True)
# Where the precision changes: around 1, and near the powers of ten a rounding can cross.
edges = st.sampled_from([0.99995, 0.999949, 0.0099996, 0.00999949, 1e-7, 9.9995e-8, 0.005, 0.0049999, 1.0, -0.0])
prices = st.one_of(any_float, edges, st.floats(min_value=-1, max_value=1), st.floats(min_value=1e-12, max_value=1))


def _read_back(text: str) -> tuple[float, float]:
    """The number a text shows and half a unit of its last digit."""
    number = float(text.replace(",", ""))
    mantissa, _, exponent = text.partition("e")
    decimals = len(mantissa.partition(".")[2])
    return number, 0.5 * 10.0 ** ((int(exponent) if exponent else 0) - decimals)


def _check_safe(text: str) -> None:
    lowered = text.lower()
    assert "nan" not in lowered and "inf" not in lowered, text
    if text.startswith("-"):
        assert any(ch in "123456789" for ch in text), f"negative zero: {text!r}"


def _check_price_text(value: float, text: str) -> None:
    _check_safe(text)
    if not math.isfinite(value):
        assert text == fmt.DASH
        tally("dash")
        return
    if value > 0:
        assert text != "0.00" and any(ch in "123456789" for ch in text), f"{value!r} shown as {text!r}"
    number, half_unit = _read_back(text)
    # The text rounds the float's exact value; reading it back may add a float's own rounding.
    slack = 4 * math.ulp(value) + 4 * math.ulp(number)
    assert abs(number - value) <= half_unit + slack, (value, text)
    if abs(value) < 1:
        assert abs(number - value) <= 5.001e-4 * abs(value) + slack, (value, text)
        tally("under 1, scientific" if "e" in text else "under 1")
    else:
        assert "." in text and len(text.partition(".")[2]) == 2, text
        tally("1 and up")


@given(prices)
@example(0.0123)
@example(0.00001234)
@example(-1e-300)
@example(5e-324)
@example(1e300)
@example(-0.0)
def test_a_price_reads_truthfully(value: float) -> None:
    _check_price_text(value, fmt.price(value))


@light()
@given(prices, st.integers(min_value=0, max_value=14))
@example(0.012, 9)
def test_a_price_padded_for_an_axis_still_reads_truthfully(value: float, min_decimals: int) -> None:
    text = fmt.price(value, min_decimals=min_decimals)
    _check_price_text(value, text)
    if math.isfinite(value) and "e" not in text:
        assert len(text.partition(".")[2]) >= min(min_decimals, 2)


@light()
@given(prices)
@example(-0.0)
@example(133.0)
def test_a_trigger_reads_truthfully(value: float) -> None:
    text = fmt.plain_number(value)
    if math.isfinite(value) and value.is_integer():
        _check_safe(text)
        assert float(text.replace(",", "")) == value
        tally("whole")
        return
    _check_price_text(value, text)


def _formats() -> list[tuple[str, Callable[[float], str]]]:
    return [
        ("pct", fmt.pct), ("ratio", fmt.ratio), ("money", fmt.money), ("big_money", fmt.big_money),
        ("signed_pct", fmt.signed_pct), ("signed_money", fmt.signed_money), ("power_mw", fmt.power_mw),
        ("shares", fmt.shares),
    ]


@pytest.mark.parametrize(("name", "write"), _formats(), ids=[name for name, _ in _formats()])
@light()
@given(st.one_of(any_float, st.floats(min_value=-0.5, max_value=0.5)))
@example(-0.0)
@example(-0.04)
@example(float("nan"))
def test_no_number_format_writes_nan_inf_or_a_negative_zero(
    name: str, write: Callable[[float], str], value: float
) -> None:
    text = write(value)
    _check_safe(text)
    if not math.isfinite(value):
        assert text == fmt.DASH
    tally(name)
