"""How numbers read: the analysis' money, ratios, signed percentages, power and ages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from watcher import format as fmt


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (65.2e9, "$65.2 B"),  # CRWV's market cap as the analysis writes it
        (27e9, "$27.0 B"),
        (5.6e9, "$5.60 B"),
        (1e9, "$1.00 B"),
        (225e6, "$225 M"),  # IREN's end-2025 ARR target
        (26e6, "$26 M"),
        (0.105e9, "$105 M"),
        (1.5e12, "$1.50 T"),
        (950_000, "$950,000"),
        (-65.2e9, "-$65.2 B"),
        (None, fmt.DASH),
        (float("nan"), fmt.DASH),
    ],
)
def test_big_money(value: float | None, shown: str) -> None:
    assert fmt.big_money(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.6222, "3.6×"), (27.0, "27.0×"), (50.67, "50.7×"), (250.4, "250×"), (1234.0, "1,234×"), (None, fmt.DASH)],
)
def test_ratio(value: float | None, shown: str) -> None:
    assert fmt.ratio(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.24, "+3.2 %"), (-1.0, "-1.0 %"), (0.0, "+0.0 %"), (257.142, "+257.1 %"), (None, fmt.DASH)],
)
def test_signed_pct_always_shows_the_sign(value: float | None, shown: str) -> None:
    assert fmt.signed_pct(value) == shown


def test_signed_pct_decimals() -> None:
    assert fmt.signed_pct(2.5, decimals=2) == "+2.50 %"
    assert fmt.signed_pct(-12.0, decimals=0) == "-12 %"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(477, "477 MW"), (810, "810 MW"), (220.4, "220 MW"), (1000, "1.0 GW"), (2300, "2.3 GW"), (None, fmt.DASH)],
)
def test_power_mw(value: float | None, shown: str) -> None:
    assert fmt.power_mw(value) == shown


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=12), "12 s"),
        (timedelta(seconds=59), "59 s"),
        (timedelta(minutes=4, seconds=30), "4 min"),
        (timedelta(hours=3, minutes=59), "3 h"),
        (timedelta(days=2, hours=5), "2 d"),
        (timedelta(seconds=-5), "0 s"),  # a clock a little behind: never a negative age
    ],
)
def test_age(delta: timedelta, shown: str) -> None:
    assert fmt.age(delta) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (None, "usd", "not stated"),
        (None, "text", "not stated"),
        ("Platinum", "text", "Platinum"),
        (65.2e9, "usd", "$65.2 B"),
        (810, "mw", "810 MW"),
        (3.1, "cents_kwh", "3.1 ¢/kWh"),
        (70.9, "pct", "70.9 %"),
        (1.13, "ratio", "1.13"),
        (490e6, "shares", "490,000,000"),
    ],
)
def test_figure_value(value: float | str | None, unit: str, shown: str) -> None:
    assert fmt.figure_value(value, unit) == shown


def test_money_and_signed_money() -> None:
    assert fmt.money(100_000) == "$100,000"
    assert fmt.money(-2_520) == "-$2,520"
    assert fmt.money(28, decimals=2) == "$28.00"
    assert fmt.signed_money(6_480) == "+$6,480"
    assert fmt.signed_money(-360) == "-$360"
    assert fmt.money(None) == fmt.DASH


def test_plain_number_reads_as_a_user_writes_a_trigger() -> None:
    assert fmt.plain_number(133) == "133"
    assert fmt.plain_number(133.0) == "133"
    assert fmt.plain_number(133.5) == "133.50"
    assert fmt.plain_number(0.125) == "0.125"


def test_sparkline_runs_from_the_lowest_to_the_highest_block() -> None:
    from watcher.format import sparkline

    assert sparkline([1.0, 2.0, 3.0]) == "▁▅█"
    assert sparkline([5.0, 5.0, 5.0]) == "▄▄▄"
    assert sparkline([3.0]) == ""
    assert sparkline([float(v) for v in range(30)], width=8) == "▁▂▃▄▅▆▇█"
    assert sparkline([1.0, float("nan"), 2.0]) == "▁█"


def test_big_money_moves_to_the_next_band_when_rounding_would_reach_1000() -> None:
    from watcher.format import big_money

    assert big_money(999.6e6) == "$1.00 B"
    assert big_money(9.996e9) == "$10.0 B"
    assert big_money(5.25e9) == "$5.25 B"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (128.40, "128.40"),
        (1.0, "1.00"),
        (1234.5, "1,234.50"),  # thousands separated, as before
        (0.0123, "0.0123"),  # SNDL: not "0.01"
        (0.0125, "0.0125"),
        (0.00001234, "0.00001234"),  # a coin: not "0.00"
        (0.12345, "0.1235"),  # four significant digits
        (0.5, "0.50"),  # at least two decimals, as money reads
        (0.012, "0.012"),  # zeros past the second decimal left off
        (0.999, "0.999"),
        (0.99996, "1.00"),  # rounds up into the next band and reads as it
        (0.0099996, "0.01"),
        (1.234e-8, "1.234e-08"),  # past ten decimals: not a row of zeros
        (-0.0123, "-0.0123"),
        (0.0, "0.00"),
        (-0.0, "0.00"),  # never a negative zero
        (None, fmt.DASH),
        (float("nan"), fmt.DASH),
        (float("inf"), fmt.DASH),
        (float("-inf"), fmt.DASH),
    ],
)
def test_price_shows_a_price_under_1_to_its_significant_digits(value: float | None, shown: str) -> None:
    assert fmt.price(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0125, "0.0125"),
        (0.00001234, "0.00001234"),  # not "1.234e-05"
        (0.5, "0.50"),  # as the price it is compared with reads
        (1234.0, "1,234"),
        (-0.0, "0"),
        (float("nan"), fmt.DASH),
        (float("inf"), fmt.DASH),
        (None, fmt.DASH),
    ],
)
def test_plain_number_writes_a_trigger_as_precisely_as_the_price(value: float | None, shown: str) -> None:
    assert fmt.plain_number(value) == shown


def test_no_format_writes_a_negative_zero() -> None:
    assert fmt.pct(-0.04) == "0.0 %"
    assert fmt.ratio(-0.01) == "0.0×"
    assert fmt.money(-0.4) == "$0"
    assert fmt.big_money(-0.4) == "$0"
    assert fmt.signed_pct(-0.01) == "+0.0 %"  # as zero itself reads
    assert fmt.signed_money(-0.4) == "+$0"
    assert fmt.power_mw(-0.4) == "0 MW"
    assert fmt.shares(-0.0) == "0"
    assert fmt.money(-0.6) == "-$1"  # a loss that shows keeps its sign


def test_shares_never_end_in_a_bare_point() -> None:
    assert fmt.shares(1.5) == "1.5"
    assert fmt.shares(2.00001) == "2"
    assert fmt.shares(1234.25) == "1,234.25"


def test_a_non_finite_figure_is_the_dash() -> None:
    assert fmt.figure_value(float("nan"), "cents_kwh") == fmt.DASH
    assert fmt.figure_value(float("inf"), "ratio") == fmt.DASH


def test_price_keeps_zeros_up_to_min_decimals_but_never_claims_digits_it_rounded_away() -> None:
    assert fmt.price(0.012, min_decimals=5) == "0.01200"
    assert fmt.price(0.012, min_decimals=9) == "0.01200"  # four significant digits, no more
    assert fmt.price(0.0125, min_decimals=0) == "0.0125"
    assert fmt.price(0.5, min_decimals=0) == "0.50"  # still money
    assert fmt.price(1.0167, min_decimals=4) == "1.02"  # from 1 up, always cents
