"""Currencies: minor units, rates into the base currency, positions valued in it, unknown kept unknown."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ui.conftest import Clock, FixedProvider, config_from
from watcher.domain.currency import Rates, fx_pair, fx_symbol, listing
from watcher.domain.portfolio import CashAmount, Holding, Lot, OtherAsset, Portfolio, value_portfolio
from watcher.domain.quote import Quote
from watcher.feed import Feed
from watcher.headless import take_snapshot, to_json
from watcher.session import Session

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
USD = Rates("USD", {"GBP": 1.25, "EUR": 1.10})


def quote(symbol: str, price: float, currency: str | None, previous: float | None = None) -> Quote:
    return Quote(symbol, price, previous, NOW, NOW, currency=currency)


def test_minor_units_are_a_hundredth_of_their_major_currency() -> None:
    for code, major in (("GBp", "GBP"), ("GBX", "GBP"), ("ILA", "ILS"), ("ZAc", "ZAR")):
        read = listing(code)
        assert read is not None and read.major == major and read.to_major(7000) == 70
    assert listing("EUR") == listing("EUR") and listing("EUR").to_major(5) == 5  # type: ignore[union-attr]
    assert listing("usd") is None and listing("") is None and listing(None) is None


def test_fx_symbols_are_yahoos() -> None:
    assert fx_symbol("GBP", "USD") == "GBPUSD=X"
    assert fx_pair("GBPUSD=X") == ("GBP", "USD")
    assert fx_pair("VOD.L") is None and fx_pair("GBPUSD") is None


def test_100_vod_at_7000_pence_with_gbpusd_125_is_8750_dollars_and_weighs_on_the_converted_total() -> None:
    portfolio = Portfolio(holdings=(Holding("VOD.L", (Lot(100, 60.0),)),), cash=1_250.0)
    valued = value_portfolio(portfolio, {"VOD.L": quote("VOD.L", 7000, "GBp", previous=6900)}, USD)
    vod = valued.position("VOD.L")
    assert vod is not None
    assert vod.market_value == pytest.approx(8_750.00)
    assert vod.currency == "GBp" and vod.price == 7000 and vod.fx_rate == 1.25
    assert valued.total == pytest.approx(10_000.0)
    assert vod.weight_pct == pytest.approx(87.5)
    # Cost: 100 × £60 (said in pounds) = £6,000 = $7,500; P/L +$1,250.
    assert vod.cost == pytest.approx(7_500) and vod.profit == pytest.approx(1_250)
    # Today: +100 pence × 100 shares = £100 = $125.
    assert vod.day_change == pytest.approx(125)


def test_a_euro_listing_and_euro_cash_and_assets_convert() -> None:
    portfolio = Portfolio(
        holdings=(Holding("ASML.AS", (Lot(10, 600.0),)),),
        other_assets=(OtherAsset("flat", 100_000, "EUR"),),
        cash=0.0,
        foreign_cash=(CashAmount(1_000, "EUR"),),
    )
    valued = value_portfolio(portfolio, {"ASML.AS": quote("ASML.AS", 700.0, "EUR")}, USD)
    assert valued.position("ASML.AS").market_value == pytest.approx(7_700)  # type: ignore[union-attr]
    assert valued.other_assets_total == pytest.approx(110_000)
    assert valued.cash == pytest.approx(1_100)
    assert valued.total == pytest.approx(118_800)


def test_a_missing_rate_leaves_the_position_unknown_and_the_total_incomplete() -> None:
    portfolio = Portfolio(holdings=(Holding("NESN.SW", (Lot(10, 90.0),)), Holding("NBIS", (Lot(90, 28.0),))),
                          cash=15_000)
    quotes = {"NESN.SW": quote("NESN.SW", 95.0, "CHF"), "NBIS": quote("NBIS", 100.0, "USD")}
    valued = value_portfolio(portfolio, quotes, USD)
    nesn = valued.position("NESN.SW")
    assert nesn is not None and nesn.market_value is None and nesn.weight_pct is None
    assert nesn.unknown == "no CHF→USD rate"
    assert valued.total is None and valued.incomplete
    assert valued.missing == ("NESN.SW: no CHF→USD rate",)
    assert valued.known_total == pytest.approx(24_000)  # never summed as if it were dollars
    assert valued.position("NBIS").weight_pct is None  # type: ignore[union-attr]


def test_a_quote_without_a_currency_is_unknown_not_dollars() -> None:
    portfolio = Portfolio(holdings=(Holding("X", (Lot(1, 1.0),)),))
    valued = value_portfolio(portfolio, {"X": quote("X", 5.0, None)}, USD)
    assert valued.total is None and "currency is unknown" in (valued.position("X").unknown or "")  # type: ignore[union-attr]
    odd = value_portfolio(portfolio, {"X": quote("X", 5.0, "xx!")}, USD)
    assert odd.total is None and "'xx!'" in odd.missing[0]


def test_a_holding_may_name_the_currency_of_its_cost() -> None:
    portfolio = Portfolio(holdings=(Holding("VOD.L", (Lot(100, 5_000.0),), currency="GBp"),))
    valued = value_portfolio(portfolio, {"VOD.L": quote("VOD.L", 7000, "GBp")}, USD)
    assert valued.position("VOD.L").cost == pytest.approx(6_250)  # type: ignore[union-attr]


CURRENCIES = st.sampled_from(["USD", "EUR", "GBP", "GBp", "GBX", "ILA", "ZAc", "CHF", "JPY", None, "", "usd", "€"])
AMOUNTS = st.floats(min_value=0, max_value=1e12, allow_nan=False)
PRICES = st.floats(min_value=1e-6, max_value=1e7, allow_nan=False)
RATES = st.dictionaries(st.sampled_from(["EUR", "GBP", "ILS", "ZAR", "CHF"]),
                        st.floats(min_value=1e-4, max_value=1e4, allow_nan=False), max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    holdings=st.lists(st.tuples(PRICES, CURRENCIES, st.floats(min_value=0.001, max_value=1e6)), max_size=5),
    cash=AMOUNTS,
    foreign=st.lists(st.tuples(AMOUNTS, st.sampled_from(["EUR", "GBP", "CHF", "GBp"])), max_size=3),
    known=RATES,
)
def test_conversion_never_gives_nan_inf_or_a_negative_weight_and_a_complete_portfolio_sums_to_100(
    holdings: list[tuple[float, str | None, float]], cash: float, foreign: list[tuple[float, str]],
    known: dict[str, float],
) -> None:
    portfolio = Portfolio(
        holdings=tuple(Holding(f"S{n}", (Lot(shares, 1.0),)) for n, (_, _, shares) in enumerate(holdings)),
        cash=cash,
        foreign_cash=tuple(CashAmount(amount, code) for amount, code in foreign),
    )
    quotes = {f"S{n}": quote(f"S{n}", price, code) for n, (price, code, _) in enumerate(holdings)}
    valued = value_portfolio(portfolio, quotes, Rates("USD", known))
    numbers = [valued.total, valued.cash, valued.known_total]
    for p in valued.positions:
        numbers += [p.market_value, p.weight_pct, p.cost, p.profit, p.fx_rate]
        # Every quote currency either converts or says why it does not.
        assert (p.market_value is not None) != (p.unknown is not None)
    assert all(n is None or math.isfinite(n) for n in numbers)
    assert all(p.weight_pct is None or p.weight_pct >= 0 for p in valued.positions)
    if valued.total:
        weights = [p.weight_pct or 0.0 for p in valued.positions]
        shares = (valued.cash or 0.0) + (valued.other_assets_total or 0.0)
        assert sum(weights) + shares / valued.total * 100 == pytest.approx(100.0, abs=1e-6)


PORTFOLIO = """
cash = [{ amount = 1250 }, { amount = 100, currency = "EUR" }]
[settings]
base_currency = "USD"
[[holdings]]
symbol = "VOD.L"
shares = 100
cost_per_share = 60.0
"""


async def test_the_rates_come_through_the_same_feed_and_reach_the_json(tmp_path: Path) -> None:
    clock = Clock(NOW)
    provider = FixedProvider(clock, rounds=[{"VOD.L": 7000.0, "GBPUSD=X": 1.25, "EURUSD=X": 1.10}])

    async def priced(symbols):  # noqa: ANN001, ANN202 - the FixedProvider's answers with currencies
        results = await FixedProvider.fetch_quotes(provider, symbols)
        currencies = {"VOD.L": "GBp", "GBPUSD=X": "USD", "EURUSD=X": "USD"}
        return {s: (Quote(r.symbol, r.price, None, NOW, NOW, currency=currencies[s]) if isinstance(r, Quote) else r)
                for s, r in results.items()}

    provider.fetch_quotes = priced  # type: ignore[method-assign]
    session = Session(config_from(PORTFOLIO, tmp_path / "p.toml"), Feed(provider, clock))
    snapshot = await take_snapshot(session)
    # The first fetch learnt VOD.L's currency; its rate was asked for at once, with the file's EUR.
    assert set(session.fx_symbols()) == {"GBPUSD=X", "EURUSD=X"}
    document = json.loads(to_json(snapshot))
    assert document["format"] == 2 and document["base_currency"] == "USD"
    (vod,) = document["positions"]
    assert (vod["currency"], vod["price"], vod["fx_rate"]) == ("GBp", 7000.0, 1.25)
    assert vod["market_value"] == pytest.approx(8_750.0)
    assert document["portfolio"]["total"] == pytest.approx(8_750 + 1_250 + 110)
    assert document["portfolio"]["complete"] is True
    # The rates are not companies of the grid.
    assert [c["symbol"] for c in document["companies"]] == ["VOD.L"]


def test_no_json_document_holds_nan_or_infinity() -> None:
    from watcher.headless import finite_or_null

    cleaned = finite_or_null({"a": float("nan"), "b": [float("inf"), 1.0], "c": {"d": -float("inf")}})
    assert cleaned == {"a": None, "b": [None, 1.0], "c": {"d": None}}
    json.dumps(cleaned, allow_nan=False)


def test_a_stale_rate_marks_the_value_it_gives() -> None:
    portfolio = Portfolio(holdings=(Holding("VOD.L", (Lot(100, 60.0),)),))
    quotes = {"VOD.L": quote("VOD.L", 7000, "GBp")}
    fresh = value_portfolio(portfolio, quotes, USD).position("VOD.L")
    old = value_portfolio(portfolio, quotes, Rates("USD", {"GBP": 1.25}, frozenset({"GBP"}))).position("VOD.L")
    assert fresh is not None and old is not None
    assert not fresh.rate_stale and old.rate_stale and old.market_value == fresh.market_value


def test_a_condition_compares_in_the_listings_major_currency() -> None:
    from datetime import timedelta

    from watcher.domain.conditions import BuyCondition
    from watcher.domain.overview import build_overview, trigger_currency
    from watcher.domain.quote import QuoteBook

    pence = quote("VOD.L", 7000, "GBp", previous=6950)
    book = QuoteBook({"VOD.L": pence})
    below_75 = BuyCondition(symbol="VOD.L", label="pounds", price_below=75.0)
    below_69 = BuyCondition(symbol="VOD.L", label="pounds", price_below=69.0)
    overview = build_overview(["VOD.L"], Portfolio(), (below_75, below_69), {}, book, {}, NOW,
                              timedelta(minutes=5), rates=USD)
    assert [status.met for status in overview.conditions] == [True, False]  # 70 pounds, not 7000
    assert overview.conditions[0].clauses[0].watched == pytest.approx(70.0)
    assert trigger_currency(pence) == "GBP"
