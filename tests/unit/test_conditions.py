"""Buy conditions: every clause must hold; missing data is unknown, never met."""

from __future__ import annotations

import pytest

from watcher.domain.conditions import BuyCondition, ConditionState, evaluate

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
