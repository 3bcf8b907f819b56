"""CrossingDetector: alert once per not met → met crossing, never on unknown or stale data."""

from __future__ import annotations

from watcher.domain.alerts import CrossingDetector
from watcher.domain.conditions import BuyCondition, ConditionStatus, evaluate

CRWV = BuyCondition("CRWV", "small starter position", price_below=133)
IREN = BuyCondition("IREN", "half price", price_below=20)


def at(price: float | None, condition: BuyCondition = CRWV) -> ConditionStatus:
    return evaluate(condition, price, None, None)


def fired(detector: CrossingDetector, *statuses: ConditionStatus, stale: tuple[str, ...] = ()) -> list[str]:
    return [s.condition.key for s in detector.crossings(statuses, stale)]


def test_fires_once_on_the_crossing_and_not_again_while_met() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(140.0)) == []
    assert fired(detector, at(128.40)) == [CRWV.key]
    assert fired(detector, at(127.0)) == []
    assert fired(detector, at(130.0)) == []


def test_fires_again_after_going_not_met_and_back() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(128.40)) == [CRWV.key]
    assert fired(detector, at(135.0)) == []
    assert fired(detector, at(131.0)) == [CRWV.key]


def test_unknown_in_between_neither_fires_nor_rearms() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(128.40)) == [CRWV.key]
    assert fired(detector, at(None)) == []  # data lost: no alert
    assert fired(detector, at(128.0)) == []  # back met: it never stopped being met


def test_unknown_before_the_first_met_does_not_fire() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(None)) == []
    assert fired(detector, at(140.0)) == []
    assert fired(detector, at(None)) == []
    assert fired(detector, at(128.0)) == [CRWV.key]


def test_a_stale_symbol_does_not_fire_and_fires_once_fresh() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(140.0)) == []
    assert fired(detector, at(128.40), stale=("CRWV",)) == []
    assert fired(detector, at(128.40)) == [CRWV.key]


def test_stale_data_does_not_rearm_a_met_condition() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(128.40)) == [CRWV.key]
    assert fired(detector, at(140.0), stale=("CRWV",)) == []  # not met on stale data: ignored
    assert fired(detector, at(128.40)) == []


def test_conditions_are_tracked_separately() -> None:
    detector = CrossingDetector()
    assert fired(detector, at(128.40), at(25.0, IREN)) == [CRWV.key]
    assert fired(detector, at(128.40), at(19.0, IREN)) == [IREN.key]
    # A stale IREN does not hold back a fresh CRWV crossing.
    assert fired(detector, at(140.0), at(19.0, IREN)) == []
    assert fired(detector, at(128.0), at(30.0, IREN), stale=("IREN",)) == [CRWV.key]
