"""AlertArming: fire once per crossing, re-arm only past the hysteresis margin, survive restarts."""

from __future__ import annotations

from watcher.domain.alerts import AlertArming
from watcher.domain.conditions import BuyCondition, ConditionStatus, evaluate

CRWV = BuyCondition("CRWV", "small starter position", price_below=133)
MOMENTUM = BuyCondition("NBIS", "breakout", price_above=110)
CAPPED = BuyCondition("NBIS", "top up", price_below=120, max_weight=10)


def at(price: float | None, condition: BuyCondition = CRWV, weight: float | None = None) -> ConditionStatus:
    return evaluate(condition, price, None, weight)


def fired(arming: AlertArming, *statuses: ConditionStatus, stale: tuple[str, ...] = ()) -> list[str]:
    return [s.condition.key for s in arming.update(statuses, stale)]


def run(arming: AlertArming, prices: list[float | None], condition: BuyCondition = CRWV) -> int:
    return sum(len(fired(arming, at(price, condition))) for price in prices)


def test_fires_once_on_the_crossing_and_not_again_while_met() -> None:
    arming = AlertArming()
    assert fired(arming, at(140.0)) == []
    assert fired(arming, at(128.40)) == [CRWV.key]
    assert fired(arming, at(127.0)) == []
    assert fired(arming, at(130.0)) == []


def test_a_price_hovering_around_the_trigger_fires_once() -> None:
    # 0.5 % of 133 is 0.665: nothing below 133.665 re-arms the condition.
    hovering = [134.0, 132.9, 133.1, 132.95, 133.4, 132.8, 133.6, 132.99, 133.2, 132.7]
    assert run(AlertArming(), hovering) == 1


def test_leaving_past_the_margin_and_coming_back_fires_again() -> None:
    arming = AlertArming()
    assert run(arming, [140.0, 132.0]) == 1
    assert run(arming, [133.7]) == 0  # 133.7 > 133.665: clearly not met, re-armed
    assert run(arming, [132.5]) == 1


def test_the_margin_is_configurable() -> None:
    wide = AlertArming(margin_pct=5.0)  # must rise above 139.65
    assert run(wide, [128.0, 138.0, 128.0]) == 1
    assert run(wide, [140.0, 128.0]) == 1
    none = AlertArming(margin_pct=0.0)
    assert run(none, [128.0, 133.01, 128.0]) == 2


def test_a_restart_with_the_condition_still_met_does_not_fire_again() -> None:
    first = AlertArming()
    assert run(first, [128.40]) == 1
    saved = first.states
    assert saved == {CRWV.key: False}
    restarted = AlertArming(saved)
    assert run(restarted, [128.40, 127.0]) == 0
    assert run(restarted, [140.0, 128.0]) == 1


def test_unknown_or_stale_data_neither_fires_nor_rearms() -> None:
    arming = AlertArming()
    assert fired(arming, at(128.40)) == [CRWV.key]
    assert fired(arming, at(None)) == []
    assert fired(arming, at(140.0), stale=("CRWV",)) == []  # a stale 140 does not re-arm
    assert fired(arming, at(128.0)) == []
    fresh = AlertArming()
    assert fired(fresh, at(128.0), stale=("CRWV",)) == []
    assert fired(fresh, at(128.0)) == [CRWV.key]


def test_an_above_clause_rearms_below_its_trigger_minus_the_margin() -> None:
    arming = AlertArming()
    assert run(arming, [111.0, 109.8, 110.5], MOMENTUM) == 1  # 109.8 > 110 × 0.995 = 109.45
    assert run(arming, [109.0, 111.0], MOMENTUM) == 1


def test_a_weight_clause_blocks_the_buy_and_rearms_past_its_own_margin() -> None:
    arming = AlertArming()
    assert fired(arming, at(100.0, CAPPED, weight=9.0)) == [CAPPED.key]
    # The weight reaching the cap makes it not met, but only 10.06 % clearly so.
    assert fired(arming, at(100.0, CAPPED, weight=10.03)) == []
    assert fired(arming, at(100.0, CAPPED, weight=9.0)) == []
    assert fired(arming, at(100.0, CAPPED, weight=10.1)) == []
    assert fired(arming, at(100.0, CAPPED, weight=9.0)) == [CAPPED.key]
