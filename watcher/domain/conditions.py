"""Buy conditions: each clause against live data, met, not met or unknown — never met on missing data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from watcher.domain import numbers as fmt
from watcher.domain.fundamentals import Company
from watcher.domain.valuation import FORWARD_ARR_KEY, MarketCap

NO_PRICE = "no price yet"
NO_RATIO = "no market cap or ARR"
"""The mcap/ARR clause's words when the caller does not say what is missing."""


class ConditionState(str, Enum):
    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class BuyCondition:
    """A rule such as "CRWV below $133"; all its clauses must hold for a buy."""

    symbol: str
    label: str
    price_below: float | None = None
    price_above: float | None = None
    mcap_to_arr_below: float | None = None
    max_weight: float | None = None
    """In percent of the whole portfolio: no buy once the position weighs this much."""

    @property
    def key(self) -> str:
        """Identifies the condition across refreshes and reloads."""
        return f"{self.symbol}:{self.label}"


@dataclass(frozen=True, slots=True)
class ClauseStatus:
    name: str
    """What the clause watches: "price below", "price above", "mcap/ARR", "weight"."""
    watched: float | None
    trigger: float
    state: ConditionState
    distance: str
    """In words: "3.5 % below 133", "no price yet"."""
    below: bool = True
    """The clause holds below its trigger (price_below, mcap_to_arr_below, max_weight)."""


@dataclass(frozen=True, slots=True)
class ConditionStatus:
    condition: BuyCondition
    state: ConditionState
    clauses: tuple[ClauseStatus, ...]

    @property
    def met(self) -> bool:
        return self.state is ConditionState.MET


def _relative(value: float, trigger: float, shown: str) -> str:
    if trigger == 0:
        return f"{fmt.plain_number(value)} vs {shown}"
    gap = (value - trigger) / abs(trigger) * 100.0
    if abs(gap) < 0.05:
        return f"at {shown}"
    side = "above" if gap > 0 else "below"
    return f"{abs(gap):.1f} % {side} {shown}"


def _threshold_clause(
    name: str,
    value: float | None,
    trigger: float,
    below: bool,
    shown: str,
    missing: str,
) -> ClauseStatus:
    if not fmt.finite(value):  # nan compares false both ways: it would read as not met, not unknown
        return ClauseStatus(name, None, trigger, ConditionState.UNKNOWN, missing, below)
    holds = value < trigger if below else value > trigger
    state = ConditionState.MET if holds else ConditionState.NOT_MET
    return ClauseStatus(name, value, trigger, state, _relative(value, trigger, shown), below)


def missing_ratio(market_cap: MarketCap | None, company: Company | None, price: float | None) -> str | None:
    """Why market cap ÷ ARR cannot be judged, in words; None when nothing is missing.

    Named after the piece the user can look for: "no price yet" (it would make the cap live),
    "no live market cap (only the 2025-09-24 figure)", "no market cap figure", "no ARR figure".
    """
    arr = company.number(FORWARD_ARR_KEY) if company else None
    no_arr = not fmt.finite(arr) or arr <= 0
    shares = company.number("shares_outstanding") if company else None
    has_shares = fmt.finite(shares) and shares > 0
    has_price = fmt.finite(price) and price > 0
    if market_cap is not None and market_cap.is_live:
        cap_words = None
    elif not has_price and (market_cap is not None or has_shares):
        cap_words = NO_PRICE
    elif market_cap is not None:
        figure = f"the {market_cap.base_date.isoformat()} figure" if market_cap.base_date else "an undated figure"
        cap_words = f"no live market cap (only {figure})"
    elif no_arr:
        return "no market cap or ARR figure"
    else:
        cap_words = "no market cap figure"
    pieces = [words for words in (cap_words, "no ARR figure" if no_arr else None) if words]
    return " and ".join(pieces) or None


def evaluate(
    condition: BuyCondition,
    price: float | None,
    mcap_to_arr: float | None,
    weight_pct: float | None,
    ratio_missing: str | None = None,
) -> ConditionStatus:
    """Check every clause; not met if any clause fails, unknown if any lacks data, else met.

    `ratio_missing` says why `mcap_to_arr` is None (see `missing_ratio`), e.g. because the market
    cap is only a dated figure; the clause is unknown either way, never met.
    """
    clauses: list[ClauseStatus] = []
    if condition.price_below is not None:
        trigger = condition.price_below
        clauses.append(
            _threshold_clause(
                "price below", price, trigger, True, f"{fmt.plain_number(trigger)}", NO_PRICE
            )
        )
    if condition.price_above is not None:
        trigger = condition.price_above
        clauses.append(
            _threshold_clause(
                "price above", price, trigger, False, f"{fmt.plain_number(trigger)}", NO_PRICE
            )
        )
    if condition.mcap_to_arr_below is not None:
        trigger = condition.mcap_to_arr_below
        clauses.append(
            _threshold_clause(
                "mcap/ARR",
                mcap_to_arr,
                trigger,
                True,
                f"{fmt.plain_number(trigger)}×",
                ratio_missing or NO_RATIO,
            )
        )
    if condition.max_weight is not None:
        trigger = condition.max_weight
        if not fmt.finite(weight_pct):
            clauses.append(
                ClauseStatus(
                    "weight", None, trigger, ConditionState.UNKNOWN, "portfolio total unknown"
                )
            )
        else:
            state = ConditionState.MET if weight_pct < trigger else ConditionState.NOT_MET
            gap = weight_pct - trigger
            cap = f"the {fmt.plain_number(trigger)} % cap"
            words = f"at {cap}" if abs(gap) < 0.05 else f"{abs(gap):.1f} pt {'over' if gap > 0 else 'under'} {cap}"
            clauses.append(ClauseStatus("weight", weight_pct, trigger, state, words))

    states = {clause.state for clause in clauses}
    if ConditionState.NOT_MET in states:
        overall = ConditionState.NOT_MET
    elif ConditionState.UNKNOWN in states or not clauses:
        overall = ConditionState.UNKNOWN
    else:
        overall = ConditionState.MET
    return ConditionStatus(condition, overall, tuple(clauses))


def clause_rule(clause: ClauseStatus) -> str:
    """'price < 133', 'mcap/ARR < 5×', 'weight < 10 %'."""
    trigger = fmt.plain_number(clause.trigger)
    if clause.name == "price above":
        return f"price > {trigger}"
    if clause.name == "price below":
        return f"price < {trigger}"
    if clause.name == "mcap/ARR":
        return f"mcap/ARR < {trigger}×"
    return f"weight < {trigger} %"


def clause_value(clause: ClauseStatus) -> str:
    if clause.watched is None:
        return fmt.DASH
    if clause.name == "mcap/ARR":
        return fmt.ratio(clause.watched)
    if clause.name == "weight":
        return fmt.pct(clause.watched)
    return fmt.price(clause.watched)
