"""build_overview: BUY flags, staleness, closes still needed, and no BUY on a cap that is not live."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from watcher.domain.conditions import BuyCondition, ConditionState
from watcher.domain.fundamentals import Company, Figure
from watcher.domain.overview import build_overview, symbols_needing_close
from watcher.domain.portfolio import Holding, Lot, OtherAsset, Portfolio
from watcher.domain.quote import FailureKind, Quote, QuoteBook, QuoteFailure
from watcher.domain.valuation import CapMethod
from watcher.fundamentals import bundled_companies

NOW = datetime(2025, 9, 25, 15, 0, tzinfo=UTC)
STALE_AFTER = timedelta(minutes=5)
AS_OF = date(2025, 9, 24)
SYMBOLS = ("NBIS", "CRWV", "IREN", "CIFR")
PORTFOLIO = Portfolio(
    holdings=(Holding("NBIS", (Lot(90, 28.0),)),),
    other_assets=(OtherAsset("Index funds", 76_000),),
    cash=15_000,
)
CRWV_BELOW_133 = BuyCondition("CRWV", "small starter position", price_below=133)


def quote(symbol: str, price: float, age: timedelta = timedelta(seconds=10)) -> Quote:
    return Quote(symbol, price, None, NOW - age, NOW - age, currency="USD")


def book(**prices: float) -> QuoteBook:
    return QuoteBook(quotes={s: quote(s, p) for s, p in prices.items()})


def overview(quotes: QuoteBook, conditions=(CRWV_BELOW_133,), closes=None, companies=None):
    return build_overview(
        SYMBOLS,
        PORTFOLIO,
        conditions,
        bundled_companies() if companies is None else companies,
        quotes,
        closes or {},
        NOW,
        STALE_AFTER,
    )


def test_buy_flag_on_the_row_whose_condition_is_met() -> None:
    view = overview(book(NBIS=100.0, CRWV=128.40, IREN=40.0, CIFR=14.0))
    assert view.row("CRWV").buy
    assert not view.row("NBIS").buy and not view.row("IREN").buy
    assert [s.state for s in view.conditions] == [ConditionState.MET]


def test_no_buy_flag_when_the_condition_is_not_met_or_unknown() -> None:
    assert not overview(book(NBIS=100.0, CRWV=140.0)).row("CRWV").buy
    no_price = overview(book(NBIS=100.0))
    assert not no_price.row("CRWV").buy
    assert no_price.conditions[0].state is ConditionState.UNKNOWN


def test_one_met_condition_of_several_flags_the_symbol() -> None:
    cheap = BuyCondition("CRWV", "deep value", price_below=90)
    view = overview(book(NBIS=100.0, CRWV=128.40), conditions=(cheap, CRWV_BELOW_133))
    assert [s.state for s in view.conditions] == [ConditionState.NOT_MET, ConditionState.MET]
    assert view.row("CRWV").buy


def test_portfolio_weight_reaches_a_max_weight_condition() -> None:
    top_up = BuyCondition("NBIS", "top up", max_weight=10)
    assert overview(book(NBIS=100.0), conditions=(top_up,)).row("NBIS").buy  # 9 % < 10 %
    # At $112, 90 NBIS = $10,080 of $101,080 ≈ 9.97 %; at $115, $10,350 of $101,350 ≈ 10.2 %.
    assert overview(book(NBIS=112.0), conditions=(top_up,)).row("NBIS").buy
    assert not overview(book(NBIS=115.0), conditions=(top_up,)).row("NBIS").buy
    assert overview(book(NBIS=100.0)).portfolio.weight_pct("NBIS") == pytest.approx(9.0)


def test_stale_when_the_quote_is_older_than_stale_after() -> None:
    quotes = QuoteBook(
        quotes={
            "NBIS": quote("NBIS", 100.0, age=timedelta(seconds=30)),
            "CRWV": quote("CRWV", 128.4, age=STALE_AFTER + timedelta(seconds=1)),
            "IREN": quote("IREN", 40.0, age=STALE_AFTER),
        }
    )
    view = overview(quotes)
    assert view.row("CRWV").stale
    assert view.row("CRWV").age == STALE_AFTER + timedelta(seconds=1)
    assert not view.row("NBIS").stale
    assert not view.row("IREN").stale  # exactly stale_after: not yet older
    assert not view.row("CIFR").stale and view.row("CIFR").age is None  # no quote: no age
    assert view.stale_symbols == {"CRWV"}


def test_a_failure_is_shown_beside_the_last_good_quote() -> None:
    quotes = book(NBIS=100.0, CRWV=128.4)
    failure = QuoteFailure("CRWV", FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)")
    quotes.apply({"CRWV": failure})
    row = overview(quotes).row("CRWV")
    assert row.failure == failure
    assert row.quote is not None and row.quote.price == pytest.approx(128.4)


def test_symbols_needing_close_only_without_shares_and_without_a_close() -> None:
    companies = bundled_companies()
    assert symbols_needing_close(SYMBOLS, companies, {}) == [
        ("NBIS", AS_OF),
        ("CRWV", AS_OF),
        ("IREN", AS_OF),
        ("CIFR", AS_OF),
    ]
    closes = {"CRWV": {AS_OF.isoformat(): 133.0}, "NBIS": {"2025-09-23": 95.0}}
    needed = symbols_needing_close(SYMBOLS, companies, closes)
    assert ("CRWV", AS_OF) not in needed
    assert ("NBIS", AS_OF) in needed  # a close of another day does not help
    with_shares = dict(companies)
    with_shares["IREN"] = companies["IREN"].merged(
        Company("IREN", "", figures={"shares_outstanding": Figure(270e6, None, "test")})
    )
    assert ("IREN", AS_OF) not in symbols_needing_close(SYMBOLS, with_shares, {})
    assert symbols_needing_close(("ORCL",), companies, {}) == []  # no figures at all


def test_cap_is_scaled_with_the_close_of_the_as_of_day() -> None:
    closes = {"CRWV": {AS_OF.isoformat(): 133.0}}
    row = overview(book(NBIS=100.0, CRWV=128.40), closes=closes).row("CRWV")
    assert row.market_cap.method is CapMethod.SCALED
    assert row.market_cap.value == pytest.approx(65.2e9 * 128.40 / 133.0)
    assert row.mcap_to_arr == pytest.approx(65.2e9 * 128.40 / 133.0 / 18e9)


def test_an_as_of_cap_does_not_satisfy_a_mcap_to_arr_condition() -> None:
    # CRWV's as-of ratio is ~3.6×, below 5×, but without the close the cap is not live.
    cheap = BuyCondition("CRWV", "cheap on ARR", mcap_to_arr_below=5)
    view = overview(book(NBIS=100.0, CRWV=128.40), conditions=(cheap,))
    row = view.row("CRWV")
    assert row.market_cap.method is CapMethod.AS_OF
    assert view.conditions[0].state is ConditionState.UNKNOWN
    assert view.conditions[0].clauses[0].distance == "no live market cap (only the 2025-09-24 figure)"
    assert not row.buy
    # With the close of the as-of day the cap is live and the same condition is met.
    closes = {"CRWV": {AS_OF.isoformat(): 133.0}}
    live = overview(book(NBIS=100.0, CRWV=128.40), conditions=(cheap,), closes=closes)
    assert live.conditions[0].state is ConditionState.MET
    assert live.row("CRWV").buy


def test_rows_follow_the_symbols_in_order_and_unknown_symbols_have_no_company() -> None:
    view = build_overview(
        ("CRWV", "ORCL"), PORTFOLIO, (), bundled_companies(), book(NBIS=100.0), {}, NOW, STALE_AFTER
    )
    assert [r.symbol for r in view.rows] == ["CRWV", "ORCL"]
    orcl = view.row("ORCL")
    assert orcl.company is None and orcl.market_cap is None and orcl.mcap_to_arr is None
    assert view.row("NBIS") is None
