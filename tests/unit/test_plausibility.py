"""A price far outside the band around the last good one is held until a second read agrees with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watcher.domain.alerts import AlertArming
from watcher.domain.conditions import BuyCondition, ConditionState
from watcher.domain.overview import build_overview
from watcher.domain.plausibility import PLAUSIBLE_FACTOR, implausible_reason, within_band
from watcher.domain.portfolio import Holding, Lot, Portfolio
from watcher.domain.quote import FailureKind, Quote, QuoteBook, QuoteFailure

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
CRWV_BELOW_133 = BuyCondition("CRWV", "small starter position", price_below=133)
PORTFOLIO = Portfolio(holdings=(Holding("CRWV", (Lot(10, 100.0),)),), cash=1000.0)


def read(price: float, minutes: int = 0, previous: float | None = 131.0) -> Quote:
    at = NOW + minutes * MINUTE
    return Quote("CRWV", price, previous, at, at, currency="USD")


def view(book: QuoteBook, minutes: int = 0):  # noqa: ANN201 - an Overview
    return build_overview(("CRWV",), PORTFOLIO, (CRWV_BELOW_133,), {}, book, {}, NOW + minutes * MINUTE,
                          timedelta(minutes=5))


def test_the_band_is_twenty_times_either_way() -> None:
    assert PLAUSIBLE_FACTOR == 20
    assert within_band(5.0, 100.0) and within_band(2000.0, 100.0)
    assert not within_band(4.99, 100.0) and not within_band(2000.01, 100.0)


def test_a_normal_move_is_taken_at_once() -> None:
    book = QuoteBook()
    assert book.apply({"CRWV": read(128.40)}) == [read(128.40)]
    assert book.apply({"CRWV": read(118.0, 1)}) == [read(118.0, 1)]  # -8 %: a bad day, not a bad number
    assert book.price("CRWV") == 118.0 and book.held == {}
    assert view(book, 1).row("CRWV").suspect is None


def test_a_millionth_after_a_131_close_fires_nothing_and_values_nothing() -> None:
    book = QuoteBook()
    arming = AlertArming()
    assert book.apply({"CRWV": read(1e-6)}) == []  # the first read of the day, against the previous close
    assert "CRWV" not in book.quotes
    held, reason = book.held["CRWV"]
    assert held.price == 1e-6
    assert reason == "0.000001 is under 1/20 of the previous close 131; held until the next read confirms it"
    overview = view(book)
    row = overview.row("CRWV")
    assert row.quote is None and row.held == held
    assert row.suspect == f"suspect price: {reason}"
    assert overview.portfolio.total is None  # valued at nothing rather than at a millionth
    assert overview.conditions[0].state is ConditionState.UNKNOWN
    assert not row.buy and arming.update(overview.conditions) == []


def test_a_held_price_leaves_the_last_good_one_in_every_figure() -> None:
    book = QuoteBook()
    book.apply({"CRWV": read(140.0)})
    arming = AlertArming()
    before = view(book)
    assert arming.update(before.conditions) == []  # 140: not below 133
    assert book.apply({"CRWV": read(1.5, 1)}) == []  # 140 → 1.5: held, not a BUY
    after = view(book, 1)
    row = after.row("CRWV")
    assert row.quote is not None and row.quote.price == 140.0
    assert row.held is not None and row.held.price == 1.5
    assert row.suspect and "1.50 is under 1/20 of the last good price 140" in row.suspect
    assert after.portfolio.position("CRWV").market_value == pytest.approx(1400.0)
    assert after.portfolio.weight_pct("CRWV") == before.portfolio.weight_pct("CRWV")
    assert after.conditions[0].state is ConditionState.NOT_MET
    assert arming.update(after.conditions) == []


def test_a_second_consistent_read_confirms_the_held_price() -> None:
    book = QuoteBook()
    book.apply({"CRWV": read(1e-6)})
    arming = AlertArming()
    assert arming.update(view(book).conditions) == []
    confirmed = read(1.2e-6, 1)  # within the band of the held read, not of the close
    assert book.apply({"CRWV": confirmed}) == [confirmed]
    assert book.quotes["CRWV"] == confirmed and book.held == {}
    overview = view(book, 1)
    assert overview.row("CRWV").suspect is None
    assert [s.condition.key for s in arming.update(overview.conditions)] == [CRWV_BELOW_133.key]


def test_the_same_read_twice_confirms_nothing() -> None:
    book = QuoteBook()
    bad = read(1e-6)
    book.apply({"CRWV": bad})
    book.apply({"CRWV": bad})  # a fetch answered from a cache: no second read
    assert "CRWV" not in book.quotes and book.held["CRWV"][0] == bad


def test_a_read_back_in_the_band_drops_the_held_one() -> None:
    book = QuoteBook()
    book.apply({"CRWV": read(128.4)})
    book.apply({"CRWV": read(12_840.0, 1)})  # a price in cents
    assert "CRWV" in book.held
    book.apply({"CRWV": read(128.9, 2)})
    assert book.price("CRWV") == 128.9 and book.held == {}


def test_two_wild_reads_that_disagree_confirm_nothing() -> None:
    book = QuoteBook()
    book.apply({"CRWV": read(128.4)})
    book.apply({"CRWV": read(1e-300, 1)})
    book.apply({"CRWV": read(9e6, 2)})  # wild the other way: held in its place
    assert book.price("CRWV") == 128.4
    assert book.held["CRWV"][0].price == 9e6
    assert "over 20× the last good price 128.40" in book.held["CRWV"][1]


def test_a_failure_between_two_reads_keeps_the_held_price_waiting() -> None:
    book = QuoteBook()
    book.apply({"CRWV": read(1e-6)})
    book.apply({"CRWV": QuoteFailure("CRWV", FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)")})
    assert "CRWV" in book.held
    assert book.apply({"CRWV": read(1e-6, 2)})  # the next price read confirms it
    assert book.price("CRWV") == 1e-6


def test_nothing_to_compare_with_takes_the_price() -> None:
    assert implausible_reason(1e-6, None, None) is None
    book = QuoteBook()
    assert book.apply({"CRWV": read(0.5, previous=None)})  # a first price without a close
    assert book.price("CRWV") == 0.5


def test_the_last_good_price_comes_before_the_previous_close() -> None:
    # After a 1-for-30 reverse split the close is the old price: the last good read is what counts.
    book = QuoteBook()
    book.apply({"CRWV": read(90.0, previous=3.0)})  # held: 30× the close
    book.apply({"CRWV": read(91.0, 1, previous=3.0)})  # confirmed
    assert book.price("CRWV") == 91.0
    assert book.apply({"CRWV": read(92.0, 2, previous=3.0)})  # now measured against 91, not 3
