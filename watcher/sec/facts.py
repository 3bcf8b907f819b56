"""The fact-picking rules for SEC companyfacts bodies: shares, quarterly, TTM and annual revenue."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

Number = int | float

# Forms whose XBRL is the company's own financial statements; 8-K, DEF 14A and 424B2 facts
# repeat or approximate them and can even carry the frame (notes, pitfall 5).
PERIODIC_FORMS = frozenset({"10-K", "10-Q", "10-KT", "10-QT", "20-F", "40-F"})
ANNUAL_ONLY_FORMS = frozenset({"20-F", "40-F"})

QUARTER_DAYS = range(80, 101)
YEAR_DAYS = range(350, 381)  # 52/53-week fiscal years included
NINE_MONTH_DAYS = range(250, 291)
# How far a fiscal period's edges may drift between years (52/53-week calendars).
EDGE_SLACK = timedelta(days=7)
# A share figure this much older than another tag's is a leftover, not the current count.
STALE_SHARES = timedelta(days=365)

SHARE_TAGS: tuple[tuple[str, str, str], ...] = (
    ("dei", "EntityCommonStockSharesOutstanding", "cover page"),
    ("us-gaap", "CommonStockSharesOutstanding", "balance sheet"),
    ("ifrs-full", "NumberOfSharesOutstanding", "balance sheet"),
    ("us-gaap", "WeightedAverageNumberOfSharesOutstandingBasic", "weighted average, basic"),
    ("ifrs-full", "WeightedAverageShares", "weighted average"),
)
REVENUE_TAGS: tuple[tuple[str, str], ...] = (
    ("us-gaap", "RevenueFromContractWithCustomerExcludingAssessedTax"),
    ("us-gaap", "Revenues"),
    ("us-gaap", "RevenueFromContractWithCustomerIncludingAssessedTax"),
    ("us-gaap", "SalesRevenueNet"),
    ("ifrs-full", "Revenue"),
    ("ifrs-full", "RevenueFromContractsWithCustomers"),
)
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Fact:
    start: date | None
    end: date
    value: Number
    form: str
    filed: date

    @property
    def days(self) -> int | None:
        return (self.end - self.start).days if self.start else None


@dataclass(frozen=True, slots=True)
class SharesFigure:
    value: Number
    as_of: date
    tag: str
    basis: str
    """Where the count comes from in words: "cover page", "balance sheet", "weighted average, basic"."""
    form: str
    filed: date


@dataclass(frozen=True, slots=True)
class QuarterRevenue:
    value: Number
    start: date
    end: date
    form: str
    filed: date
    tag: str
    derived: str | None = None
    """How a fiscal Q4 was computed, since no filing reports it; None when reported."""


@dataclass(frozen=True, slots=True)
class TtmRevenue:
    value: Number
    end: date
    how: str
    form: str
    filed: date


@dataclass(frozen=True, slots=True)
class AnnualRevenue:
    value: Number
    start: date
    end: date
    form: str
    filed: date
    unit: str
    tag: str


@dataclass(frozen=True, slots=True)
class SecFigures:
    """What neowatch takes from one company's facts; every part may be missing."""

    cik: int
    name: str
    shares: SharesFigure | None
    quarter_revenue: QuarterRevenue | None
    ttm_revenue: TtmRevenue | None
    annual_revenue: AnnualRevenue | None
    annual_only: bool
    """A 20-F/40-F filer: no quarters, no TTM, only the fiscal year."""
    currency: str | None
    """The one currency every revenue figure is in."""
    other_currencies: tuple[str, ...] = ()
    """Currencies the company also reports some facts in; never mixed into the figures."""
    stale: str | None = None
    """Why these figures come from an expired cache, when the SEC could not be asked."""


@dataclass(frozen=True, slots=True)
class SecUnavailable:
    reason: str
    kind: str = "error"
    """no_contact, unknown_ticker, refused, not_found, overloaded, network or bad_response."""


def parse_cik(value: object) -> int | None:
    """A CIK given as an int or a zero-padded string (notes, pitfall 6)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip()) or None
    return None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _fact(raw: object) -> Fact | None:
    if not isinstance(raw, dict):
        return None
    value, end, filed = raw.get("val"), _day(raw.get("end")), _day(raw.get("filed"))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    if end is None or filed is None:
        return None
    start = _day(raw.get("start"))
    if "start" in raw and (start is None or start > end):
        return None
    form = raw.get("form")
    return Fact(start, end, value, form if isinstance(form, str) else "", filed)


def units_of(body: dict, taxonomy: str, tag: str) -> dict[str, list[Fact]]:
    """One tag's facts by unit; an absent tag, `units: {}` or odd entries give nothing."""
    facts = body.get("facts")
    node = facts.get(taxonomy, {}).get(tag) if isinstance(facts, dict) else None
    units = node.get("units") if isinstance(node, dict) else None
    if not isinstance(node, dict) or not isinstance(units, dict):
        return {}
    parsed = {unit: [f for raw in rows if (f := _fact(raw))] for unit, rows in units.items()
              if isinstance(rows, list)}
    return {unit: rows for unit, rows in parsed.items() if rows}


def is_periodic(form: str) -> bool:
    return form.upper().removesuffix("/A") in PERIODIC_FORMS


def latest_by_period(facts: list[Fact]) -> list[Fact]:
    """One fact per (start, end), the most recently filed: restated values win. Sorted by end."""
    kept: dict[tuple[date | None, date], Fact] = {}
    for fact in facts:
        key = (fact.start, fact.end)
        if key not in kept or fact.filed >= kept[key].filed:
            kept[key] = fact
    return sorted(kept.values(), key=lambda f: (f.end, f.start or f.end))


def pick_shares(body: dict) -> SharesFigure | None:
    """The latest share count, cover page first, then the fallbacks for several share classes."""
    candidates: list[tuple[Fact, str, str]] = []
    for taxonomy, tag, basis in SHARE_TAGS:
        facts = units_of(body, taxonomy, tag).get("shares", [])
        if taxonomy != "dei":  # the cover-page count is right whatever filing carries it
            facts = [f for f in facts if is_periodic(f.form)]
        if facts:
            # Latest end, then latest filed; for averages the shortest span ending then.
            best = max(facts, key=lambda f: (f.end, f.filed, -(f.days or 0)))
            candidates.append((best, f"{taxonomy}:{tag}", basis))
    if not candidates:
        return None
    newest = max(fact.end for fact, _, _ in candidates)
    for fact, tag, basis in candidates:
        if fact.end >= newest - STALE_SHARES:
            return SharesFigure(fact.value, fact.end, tag, basis, fact.form, fact.filed)
    return None  # unreachable: the newest candidate is never stale


def _all_units(body: dict) -> Iterator[tuple[str, list]]:
    """Every (unit, raw facts) of every tag, skipping whatever is not shaped like companyfacts."""
    facts = body.get("facts")
    for tags in facts.values() if isinstance(facts, dict) else ():
        for node in tags.values() if isinstance(tags, dict) else ():
            units = node.get("units") if isinstance(node, dict) else None
            for unit, rows in units.items() if isinstance(units, dict) else ():
                if isinstance(rows, list):
                    yield unit, rows


def currency_counts(body: dict) -> Counter[str]:
    """How many facts each currency unit holds, across every tag."""
    counts: Counter[str] = Counter()
    for unit, rows in _all_units(body):
        if _CURRENCY.fullmatch(unit):
            counts[unit] += len(rows)
    return counts


def reporting_currency(body: dict) -> str | None:
    """The currency most facts are in: the one the statements are presented in."""
    counts = currency_counts(body)
    # Ties go to USD, then alphabetically, so the choice never depends on dict order.
    return min(counts, key=lambda c: (-counts[c], c != "USD", c)) if counts else None


def _revenue_facts(body: dict, currency: str | None) -> tuple[str, str, list[Fact]] | None:
    """(tag, unit, periodic facts) of the revenue tag whose newest period ends latest."""
    best: tuple[str, str, list[Fact]] | None = None
    for taxonomy, tag in REVENUE_TAGS:
        units = {u: rows for u, rows in units_of(body, taxonomy, tag).items() if _CURRENCY.fullmatch(u)}
        if not units:
            continue
        unit = currency if currency in units else max(units, key=lambda u: (len(units[u]), u))
        facts = [f for f in units[unit] if is_periodic(f.form) and f.days is not None and f.days <= 380]
        if facts and (best is None or max(f.end for f in facts) > max(f.end for f in best[2])):
            best = (f"{taxonomy}:{tag}", unit, facts)
    return best


def _latest_periodic_form(body: dict) -> str | None:
    """The form of the company's most recent periodic filing with any XBRL fact."""
    latest: tuple[date, str] | None = None
    for _, rows in _all_units(body):
        for raw in rows:
            form = raw.get("form") if isinstance(raw, dict) else None
            if (
                isinstance(form, str) and is_periodic(form) and (filed := _day(raw.get("filed")))
                and (latest is None or filed > latest[0])
            ):
                latest = (filed, form)
    return latest[1] if latest else None


def _months(days: int) -> str:
    return f"{round(days / 30.44)} months"


def _ytd_pair(periods: list[Fact], year: Fact, ytd_end: date) -> tuple[Fact, Fact] | None:
    """This year's year-to-date to `ytd_end` and last year's same span, both after/within `year`."""
    if year.start is None:
        return None
    current = [f for f in periods if f.end == ytd_end and f.start is not None
               and timedelta(days=1) <= f.start - year.end <= EDGE_SLACK]
    if not current:
        return None
    now = max(current, key=lambda f: f.days or 0)
    before = [f for f in periods if f.start is not None and f.end < year.end
              and abs(f.start - year.start) <= EDGE_SLACK and abs((f.days or 0) - (now.days or 0)) <= 7]
    return (now, max(before, key=lambda f: f.end)) if before else None


def _fiscal_q4(periods: list[Fact], year: Fact, tag: str) -> QuarterRevenue | None:
    if year.start is None:
        return None
    nine = [f for f in periods if f.start is not None and abs(f.start - year.start) <= EDGE_SLACK
            and f.days in NINE_MONTH_DAYS and f.end < year.end]
    if not nine:
        return None
    ytd = max(nine, key=lambda f: f.end)
    how = f"fiscal year {year.value:,.0f} − nine months to {ytd.end} {ytd.value:,.0f}"
    return QuarterRevenue(year.value - ytd.value, ytd.end + timedelta(days=1), year.end,
                          year.form, year.filed, tag, derived=how)


def pick_revenue(body: dict, currency: str | None, annual_only: bool
                 ) -> tuple[QuarterRevenue | None, TtmRevenue | None, AnnualRevenue | None, str | None]:
    """Latest quarter (a fiscal Q4 derived), TTM and fiscal year, all in one tag and one unit."""
    chosen = _revenue_facts(body, currency)
    if chosen is None:
        return None, None, None, currency
    tag, unit, facts = chosen
    periods = latest_by_period(facts)
    years = [f for f in periods if f.days in YEAR_DAYS]
    year = years[-1] if years else None
    annual = AnnualRevenue(year.value, year.start, year.end, year.form, year.filed, unit, tag) \
        if year and year.start else None
    if annual_only:
        return None, None, annual, unit
    quarters = [f for f in periods if f.days in QUARTER_DAYS]
    quarter = None
    if quarters:
        q = quarters[-1]
        quarter = QuarterRevenue(q.value, q.start or q.end, q.end, q.form, q.filed, tag)
    if year is not None and year.start is not None and (quarter is None or year.end > quarter.end):
        quarter = _fiscal_q4(periods, year, tag) or quarter
    return quarter, _ttm(periods, year), annual, unit


def _ttm(periods: list[Fact], year: Fact | None) -> TtmRevenue | None:
    if year is None or year.start is None:
        return None
    latest = periods[-1]
    if latest.end == year.end:
        return TtmRevenue(year.value, year.end, f"the fiscal year to {year.end}", year.form, year.filed)
    if latest.end - year.end > timedelta(days=380):
        return None  # the last annual figure is more than a year behind: no honest TTM
    pair = _ytd_pair(periods, year, latest.end)
    if pair is None:
        return None
    now, before = pair
    how = (f"fiscal year to {year.end} {year.value:,.0f} + {_months(now.days or 0)} to {now.end} "
           f"{now.value:,.0f} − {_months(before.days or 0)} to {before.end} {before.value:,.0f}")
    return TtmRevenue(year.value + now.value - before.value, now.end, how, now.form, now.filed)


def pick_figures(body: object, symbol: str = "") -> SecFigures | SecUnavailable:
    """Every figure neowatch takes from one companyfacts body; pure, never raises on odd data."""
    if not isinstance(body, dict) or not isinstance(body.get("facts"), dict):
        return SecUnavailable(f"the SEC's company facts for {symbol or 'this company'} hold no facts table",
                              "bad_response")
    cik = parse_cik(body.get("cik")) or 0
    entity = body.get("entityName")
    name = entity if isinstance(entity, str) else symbol
    latest_form = _latest_periodic_form(body)
    annual_only = latest_form is not None and latest_form.upper().removesuffix("/A") in ANNUAL_ONLY_FORMS
    quarter, ttm, annual, unit = pick_revenue(body, reporting_currency(body), annual_only)
    others = tuple(sorted(c for c in currency_counts(body) if c != unit))
    return SecFigures(cik, name, pick_shares(body), quarter, ttm, annual, annual_only, unit, others)
