"""Live market cap (shares × price, scaled, or as of) and market cap ÷ end-2025 ARR."""

from __future__ import annotations

from datetime import date

import pytest

from watcher.domain.fundamentals import Company, Figure
from watcher.domain.valuation import (
    CapMethod,
    MarketCap,
    live_market_cap,
    market_cap_as_of_date,
    mcap_to_arr,
)
from watcher.fundamentals import bundled_companies

AS_OF = date(2025, 9, 24)
SOURCE = "test"


def company(**numbers: float) -> Company:
    figures = {
        key: Figure(value, AS_OF if key == "market_cap" else None, SOURCE)
        for key, value in numbers.items()
    }
    return Company("TEST", "Test", figures=figures)


def test_shares_times_price_when_shares_outstanding_are_known() -> None:
    cap = live_market_cap(company(shares_outstanding=490e6, market_cap=65.2e9), 128.40, 133.0)
    assert cap is not None
    assert cap.method is CapMethod.SHARES_X_PRICE
    assert cap.value == pytest.approx(490e6 * 128.40)
    assert cap.is_live


def test_crwv_as_of_cap_scaled_by_the_move_since_the_as_of_close() -> None:
    crwv = bundled_companies()["CRWV"]
    cap = live_market_cap(crwv, 128.40, 133.0)
    assert cap is not None
    assert cap.method is CapMethod.SCALED
    assert cap.value == pytest.approx(65.2e9 * 128.40 / 133.0)
    assert cap.base_date == AS_OF
    assert cap.is_live
    assert AS_OF.isoformat() in cap.describe()


def test_as_of_cap_is_not_live_without_a_close_to_scale_from() -> None:
    crwv = bundled_companies()["CRWV"]
    for price in (128.40, None):
        cap = live_market_cap(crwv, price, None)
        assert cap is not None
        assert cap.method is CapMethod.AS_OF
        assert cap.value == pytest.approx(65.2e9)
        assert cap.base_date == AS_OF
        assert not cap.is_live
        assert "not live" in cap.describe()


def test_no_cap_without_a_company_or_a_market_cap() -> None:
    assert live_market_cap(None, 100.0, 90.0) is None
    assert live_market_cap(company(arr_end_2025=1e9), 100.0, 90.0) is None


def test_the_as_of_date_whose_close_is_needed() -> None:
    assert market_cap_as_of_date(company(market_cap=27e9)) == AS_OF
    # Shares known: the cap comes from the price alone, no close needed.
    assert market_cap_as_of_date(company(market_cap=27e9, shares_outstanding=250e6)) is None
    assert market_cap_as_of_date(company(arr_end_2025=1e9)) is None
    assert market_cap_as_of_date(None) is None


def test_mcap_to_arr_is_cap_over_end_2025_arr() -> None:
    cap = MarketCap(40e9, CapMethod.SHARES_X_PRICE)
    assert mcap_to_arr(cap, company(arr_end_2025=8e9)) == pytest.approx(5.0)


def test_mcap_to_arr_is_none_when_arr_is_missing_or_zero() -> None:
    cap = MarketCap(5.6e9, CapMethod.AS_OF, AS_OF)
    assert mcap_to_arr(cap, company(arr_now=0)) is None
    assert mcap_to_arr(cap, company(arr_end_2025=0)) is None
    assert mcap_to_arr(None, company(arr_end_2025=1e9)) is None
    assert mcap_to_arr(cap, None) is None
    # CIFR: no GPU-cloud revenue, so no end-2025 ARR in the analysis.
    cifr = bundled_companies()["CIFR"]
    assert mcap_to_arr(live_market_cap(cifr, None, None), cifr) is None


@pytest.mark.parametrize(
    ("symbol", "low", "high"),
    [
        ("CRWV", 3.55, 3.65),  # $65.2 B ÷ ~$18 B ≈ 3.6×
        ("NBIS", 26.95, 27.05),  # $27 B ÷ $1 B = 27×
        ("IREN", 49.5, 51.0),  # $11.4 B ÷ $225 M ≈ 50×
    ],
)
def test_the_analysis_ratios_at_the_as_of_market_cap(symbol: str, low: float, high: float) -> None:
    companies = bundled_companies()
    ratio = mcap_to_arr(live_market_cap(companies[symbol], None, None), companies[symbol])
    assert ratio is not None
    assert low <= ratio <= high
