"""Buy conditions: every clause must hold; missing data is unknown, never met."""

from __future__ import annotations

from datetime import date

import pytest

from watcher.domain.conditions import (
    BuyCondition,
    ConditionState,
    clause_rule,
    clause_value,
    evaluate,
    missing_ratio,
)
from watcher.domain.fundamentals import Company, Figure
from watcher.domain.valuation import CapMethod, MarketCap, live_market_cap

MET, NOT_MET, UNKNOWN = ConditionState.MET, ConditionState.NOT_MET, ConditionState.UNKNOWN

CRWV_BELOW_133 = BuyCondition("CRWV", "small starter position", price_below=133)


def test_price_below_met_and_not_met() -> None:
    assert evaluate(CRWV_BELOW_133, 128.40, None, None).state is MET
    assert evaluate(CRWV_BELOW_133, 128.40, None, None).met
    assert evaluate(CRWV_BELOW_133, 140.0, None, None).state is NOT_MET
    # "below 133" is strict: at 133 the better entry has not come.
    assert evaluate(CRWV_BELOW_133, 133.0, None, None).state is NOT_MET


def test_price_above() -> None:
    condition = BuyCondition("CRWV", "breakout", price_above=80)
    assert evaluate(condition, 85.0, None, None).state is MET
    assert evaluate(condition, 79.0, None, None).state is NOT_MET


def test_mcap_to_arr_below() -> None:
    condition = BuyCondition("CRWV", "cheap on ARR", mcap_to_arr_below=5)
    assert evaluate(condition, 128.40, 3.6, None).state is MET
    assert evaluate(condition, 128.40, 27.0, None).state is NOT_MET


def test_max_weight_not_met_at_or_above_the_maximum() -> None:
    condition = BuyCondition("NBIS", "top up", max_weight=10)
    assert evaluate(condition, 100.0, None, 9.0).state is MET
    assert evaluate(condition, 100.0, None, 10.0).state is NOT_MET  # exactly equal: no buy
    assert evaluate(condition, 100.0, None, 12.5).state is NOT_MET
    # Not held at all: weight 0, below any maximum.
    assert evaluate(condition, 100.0, None, 0.0).state is MET


def test_max_weight_unknown_while_the_total_is_unknown() -> None:
    condition = BuyCondition("NBIS", "top up", max_weight=10)
    status = evaluate(condition, 100.0, None, None)
    assert status.state is UNKNOWN
    assert status.clauses[0].state is UNKNOWN


def test_all_clauses_must_hold() -> None:
    condition = BuyCondition("CRWV", "starter", price_below=133, mcap_to_arr_below=5, max_weight=10)
    assert evaluate(condition, 128.40, 3.6, 2.0).state is MET
    # Any one clause failing makes the whole condition not met.
    assert evaluate(condition, 140.0, 3.6, 2.0).state is NOT_MET
    assert evaluate(condition, 128.40, 6.0, 2.0).state is NOT_MET
    assert evaluate(condition, 128.40, 3.6, 10.0).state is NOT_MET
    states = [c.state for c in evaluate(condition, 140.0, 3.6, 2.0).clauses]
    assert states == [NOT_MET, MET, MET]


def test_missing_price_is_unknown_never_met() -> None:
    status = evaluate(CRWV_BELOW_133, None, None, None)
    assert status.state is UNKNOWN
    assert not status.met
    assert status.clauses[0].distance == "no price yet"
    above = evaluate(BuyCondition("CRWV", "x", price_above=80), None, None, None)
    assert above.state is UNKNOWN


def test_a_met_clause_and_an_unknown_clause_make_an_unknown_condition() -> None:
    condition = BuyCondition("CRWV", "starter", price_below=133, mcap_to_arr_below=5)
    status = evaluate(condition, 128.40, None, None)
    assert [c.state for c in status.clauses] == [MET, UNKNOWN]
    assert status.state is UNKNOWN


def test_a_failed_clause_wins_over_an_unknown_one() -> None:
    condition = BuyCondition("CRWV", "starter", price_below=133, mcap_to_arr_below=5)
    assert evaluate(condition, 140.0, None, None).state is NOT_MET


def test_a_condition_without_clauses_is_never_met() -> None:
    assert evaluate(BuyCondition("CRWV", "nothing"), 100.0, 1.0, 1.0).state is UNKNOWN


def test_distance_in_words_below_and_above() -> None:
    # (128.40 − 133) / 133 = −3.46 %.
    below = evaluate(CRWV_BELOW_133, 128.40, None, None).clauses[0]
    assert below.distance == "3.5 % below 133"
    assert below.watched == pytest.approx(128.40)
    assert below.trigger == pytest.approx(133)
    # (140 − 133) / 133 = +5.26 %.
    above = evaluate(CRWV_BELOW_133, 140.0, None, None).clauses[0]
    assert above.distance == "5.3 % above 133"
    assert evaluate(CRWV_BELOW_133, 133.0, None, None).clauses[0].distance == "at 133"


def test_distance_of_a_ratio_clause_names_the_multiple() -> None:
    condition = BuyCondition("CRWV", "cheap", mcap_to_arr_below=5)
    clause = evaluate(condition, None, 4.0, None).clauses[0]
    assert clause.distance == "20.0 % below 5×"  # (4 − 5) / 5


def test_key_identifies_symbol_and_label() -> None:
    assert CRWV_BELOW_133.key == "CRWV:small starter position"
    assert BuyCondition("CRWV", "other", price_below=133).key != CRWV_BELOW_133.key


# --- a price under 1, and what an unknown mcap/ARR clause says is missing ---------------------

AS_OF = date(2025, 9, 24)


def company(**numbers: float) -> Company:
    return Company("CRWV", "CoreWeave", figures={k: Figure(v, AS_OF, "test") for k, v in numbers.items()})


def test_a_price_under_1_reads_at_its_precision_in_value_distance_and_rule() -> None:
    condition = BuyCondition("SNDL", "penny", price_below=0.0125)
    clause = evaluate(condition, 0.0123, None, None).clauses[0]
    assert clause_value(clause) == "0.0123"  # not "0.01"
    assert clause.distance == "1.6 % below 0.0125"  # (0.0123 − 0.0125) / 0.0125
    assert clause_rule(clause) == "price < 0.0125"
    coin = evaluate(BuyCondition("DOGE", "coin", price_above=0.00001), 0.00001234, None, None).clauses[0]
    assert clause_value(coin) == "0.00001234"
    assert coin.distance == "23.4 % above 0.00001"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_number_is_unknown_never_met_and_never_written(bad: float) -> None:
    condition = BuyCondition("CRWV", "all", price_below=133, price_above=1, mcap_to_arr_below=5, max_weight=10)
    status = evaluate(condition, bad, bad, bad)
    assert status.state is UNKNOWN and not status.met
    assert all(clause.state is UNKNOWN for clause in status.clauses)
    for clause in status.clauses:
        assert "nan" not in clause.distance and "inf" not in clause.distance
        assert clause_value(clause) == "—"


def test_the_ratio_clause_says_why_it_is_unknown() -> None:
    condition = BuyCondition("CRWV", "cheap", mcap_to_arr_below=5)
    reason = "no live market cap (only the 2025-09-24 figure)"
    status = evaluate(condition, 128.40, None, None, ratio_missing=reason)
    assert status.state is UNKNOWN and not status.met
    assert status.clauses[0].distance == reason
    # Without a reason, today's words.
    assert evaluate(condition, 128.40, None, None).clauses[0].distance == "no market cap or ARR"
    # A known ratio wins over a stray reason: the clause is judged.
    assert evaluate(condition, 128.40, 4.0, None, ratio_missing=reason).state is MET


def test_missing_ratio_names_a_market_cap_that_is_only_a_dated_figure() -> None:
    as_of_cap = MarketCap(60e9, CapMethod.AS_OF, AS_OF)
    words = missing_ratio(as_of_cap, company(market_cap=60e9, arr_end_2025=5e9), 128.40)
    assert words == "no live market cap (only the 2025-09-24 figure)"
    undated = missing_ratio(MarketCap(60e9, CapMethod.AS_OF), company(arr_end_2025=5e9), 128.40)
    assert undated == "no live market cap (only an undated figure)"


def test_missing_ratio_names_the_price_when_the_price_would_make_the_cap_live() -> None:
    # An as-of cap waiting for a price, or shares waiting for one: the price is what is missing.
    as_of_cap = MarketCap(60e9, CapMethod.AS_OF, AS_OF)
    assert missing_ratio(as_of_cap, company(market_cap=60e9, arr_end_2025=5e9), None) == "no price yet"
    assert missing_ratio(None, company(shares_outstanding=490e6, arr_end_2025=5e9), None) == "no price yet"
    assert missing_ratio(None, company(shares_outstanding=490e6), float("nan")) == "no price yet and no ARR figure"


def test_missing_ratio_names_a_missing_arr_or_cap_figure() -> None:
    live = MarketCap(60e9, CapMethod.SCALED, AS_OF)
    assert missing_ratio(live, company(market_cap=60e9), 128.40) == "no ARR figure"
    assert missing_ratio(live, company(market_cap=60e9, arr_end_2025=0), 128.40) == "no ARR figure"
    assert missing_ratio(None, company(arr_end_2025=5e9), 128.40) == "no market cap figure"
    assert missing_ratio(None, company(), 128.40) == "no market cap or ARR figure"
    assert missing_ratio(None, None, 128.40) == "no market cap or ARR figure"
    # Nothing missing: a live cap and an ARR.
    assert missing_ratio(live, company(market_cap=60e9, arr_end_2025=5e9), 128.40) is None


def test_the_reason_reaches_the_clause_from_the_overview_s_pieces() -> None:
    # What build_overview holds for a symbol whose cap could not be scaled: judged unknown, and said why.
    firm = company(market_cap=60e9, arr_end_2025=5e9)
    cap = live_market_cap(firm, 128.40, None)
    assert cap is not None and not cap.is_live
    condition = BuyCondition("CRWV", "cheap", mcap_to_arr_below=50)
    status = evaluate(condition, 128.40, None, None, missing_ratio(cap, firm, 128.40))
    assert status.state is UNKNOWN
    assert status.clauses[0].distance == "no live market cap (only the 2025-09-24 figure)"
