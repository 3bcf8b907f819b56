"""Positions and weights: the analyst's NBIS position, lots, day change, and weights of the whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watcher.domain.portfolio import Holding, Lot, OtherAsset, Portfolio, value_portfolio
from watcher.domain.quote import Quote

NOW = datetime(2025, 9, 25, 15, 0, tzinfo=UTC)


def quote(symbol: str, price: float, previous_close: float | None = None) -> Quote:
    return Quote(symbol, price, previous_close, NOW, NOW, currency="USD")


# The analyst's situation: 90 NBIS bought at $28, and $91,000 in everything else.
ANALYST = Portfolio(
    holdings=(Holding("NBIS", (Lot(90, 28.0),)),),
    other_assets=(OtherAsset("Index funds and other stocks", 76_000),),
    cash=15_000,
)


def test_analyst_nbis_is_nine_percent_of_a_100k_portfolio_and_up_257_percent() -> None:
    valued = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0)})
    nbis = valued.position("NBIS")
    assert nbis is not None
    # 90 × $100 = $9,000 of a $9,000 + $76,000 + $15,000 = $100,000 whole.
    assert nbis.market_value == pytest.approx(9_000)
    assert valued.total == pytest.approx(100_000)
    assert nbis.weight_pct == pytest.approx(9.0)
    assert valued.weight_pct("NBIS") == pytest.approx(9.0)
    # Cost 90 × $28 = $2,520; gain $6,480 = 257.1 % of cost ("up more than 250 %").
    assert nbis.profit == pytest.approx(6_480)
    assert nbis.profit_pct == pytest.approx(6_480 / 2_520 * 100)
    assert 257 < nbis.profit_pct < 258


def test_other_assets_and_cash_are_kept_apart_and_summed_into_the_total() -> None:
    valued = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0)})
    assert valued.other_assets_total == pytest.approx(76_000)
    assert valued.cash == pytest.approx(15_000)
    assert valued.unpriced == ()


def test_weights_are_shares_of_the_whole_portfolio_not_of_the_stocks() -> None:
    # Only one stock is priced: its weight among stocks would be 100 %; of the whole it is 9 %.
    valued = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0)})
    assert valued.weight_pct("NBIS") != pytest.approx(100.0)
    two_stocks = Portfolio(
        holdings=(Holding("NBIS", (Lot(10, 50.0),)), Holding("CRWV", (Lot(10, 100.0),))),
        other_assets=(OtherAsset("Funds", 500),),
        cash=500,
    )
    valued = value_portfolio(two_stocks, {"NBIS": quote("NBIS", 100.0), "CRWV": quote("CRWV", 200.0)})
    # $1,000 + $2,000 + $500 + $500 = $4,000.
    assert valued.total == pytest.approx(4_000)
    assert valued.weight_pct("NBIS") == pytest.approx(25.0)
    assert valued.weight_pct("CRWV") == pytest.approx(50.0)


def test_lots_give_total_shares_cost_basis_and_average_cost() -> None:
    holding = Holding("NBIS", (Lot(60, 20.0), Lot(30, 44.0)))
    assert holding.shares == pytest.approx(90)
    assert holding.cost_basis == pytest.approx(60 * 20 + 30 * 44)  # 2,520
    assert holding.average_cost == pytest.approx(28.0)
    valued = value_portfolio(Portfolio(holdings=(holding,)), {"NBIS": quote("NBIS", 100.0)})
    position = valued.position("NBIS")
    assert position is not None
    assert position.profit == pytest.approx(9_000 - 2_520)


def test_average_cost_is_none_without_shares() -> None:
    assert Holding("NBIS", ()).average_cost is None


def test_day_change_amount_is_the_price_move_times_the_shares_held() -> None:
    valued = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0, previous_close=95.0)})
    position = valued.position("NBIS")
    assert position is not None
    assert position.day_change == pytest.approx(90 * 5.0)


def test_day_change_falls_and_is_none_without_a_previous_close() -> None:
    down = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0, previous_close=104.0)})
    assert down.position("NBIS").day_change == pytest.approx(-360.0)
    unknown = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0)})
    assert unknown.position("NBIS").day_change is None


def test_total_and_weights_are_unknown_while_any_holding_has_no_quote() -> None:
    portfolio = Portfolio(
        holdings=(Holding("NBIS", (Lot(90, 28.0),)), Holding("CRWV", (Lot(5, 120.0),))),
        cash=15_000,
    )
    valued = value_portfolio(portfolio, {"NBIS": quote("NBIS", 100.0)})
    assert valued.total is None
    assert valued.unpriced == ("CRWV",)
    nbis = valued.position("NBIS")
    crwv = valued.position("CRWV")
    # NBIS has a price: value and P/L are known, but its weight needs the whole.
    assert nbis.market_value == pytest.approx(9_000)
    assert nbis.weight_pct is None
    assert valued.weight_pct("NBIS") is None
    assert crwv.price is None and crwv.market_value is None and crwv.profit is None
    assert crwv.weight_pct is None
    # A symbol not held has no known weight either while the total is unknown.
    assert valued.weight_pct("IREN") is None


def test_weight_of_a_symbol_not_held_is_zero_when_the_total_is_known() -> None:
    valued = value_portfolio(ANALYST, {"NBIS": quote("NBIS", 100.0)})
    assert valued.weight_pct("CRWV") == 0.0
    assert valued.position("CRWV") is None


def test_a_portfolio_of_cash_only_has_a_known_total() -> None:
    valued = value_portfolio(Portfolio(cash=5_000), {})
    assert valued.total == pytest.approx(5_000)
    assert valued.weight_pct("CRWV") == 0.0


def test_totals_of_all_positions_add_up_profit_and_day_change() -> None:
    at = datetime(2026, 11, 26, tzinfo=UTC)
    portfolio = Portfolio(
        holdings=(Holding("NBIS", (Lot(90, 28.0),)), Holding("CRWV", (Lot(10, 150.0),))),
        cash=1000.0,
    )
    quotes = {
        "NBIS": Quote("NBIS", 100.0, 98.0, at, at, currency="USD"),
        "CRWV": Quote("CRWV", 128.4, 130.0, at, at, currency="USD"),
    }
    valued = value_portfolio(portfolio, quotes)
    # NBIS +72 × 90 = +6,480; CRWV -21.6 × 10 = -216.
    assert valued.profit == pytest.approx(6480 - 216)
    assert valued.profit_pct == pytest.approx((6480 - 216) / (90 * 28 + 10 * 150) * 100)
    # Today: NBIS +2 × 90, CRWV -1.6 × 10.
    assert valued.day_change == pytest.approx(180 - 16)
    del quotes["CRWV"]
    partial = value_portfolio(portfolio, quotes)
    assert partial.profit is None and partial.day_change is None
