"""neowatch without a screen: fetch once, then print or export the grid, positions and conditions."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from watcher import __version__
from watcher.domain.conditions import ConditionStatus, clause_rule
from watcher.domain.fundamentals import is_old, months_old
from watcher.domain.overview import CompanyRow, Overview
from watcher.domain.quote import Quote, QuoteBook, QuoteFailure
from watcher.fundamentals import SecResult
from watcher.session import Session

JSON_FORMAT_VERSION = 2
"""2: amounts in the base currency, positions with their listing's currency and rate."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One fetch's worth of everything neowatch shows."""

    overview: Overview
    book: QuoteBook
    sec: SecResult
    provider: str
    simulated: bool
    taken_at: datetime
    fetched: int
    """How many prices this fetch brought (the book may hold older, cached ones besides)."""
    figure_max_age_months: int = 6

    @property
    def any_quote(self) -> bool:
        return self.fetched > 0

    @property
    def buys(self) -> list[str]:
        """Symbols with a condition met on a fresh price: a stale cached one is not a signal."""
        doubtful = self.overview.stale_symbols | self.overview.suspect_symbols
        return sorted({s.condition.symbol for s in self.overview.conditions
                       if s.met and s.condition.symbol not in doubtful})


async def take_snapshot(session: Session) -> Snapshot:
    """One refresh of `session` (SEC figures and prices at once, then the closes still needed),
    through the same Session as the screen's; never raises for a provider's failure."""
    # Only this fetch's prices: a cached one is no signal for a script, and an exit code of 1
    # must come from a price fetched now.
    session.start(cached_prices=False)
    try:
        fetch = await session.refresh_once(with_sec=True)
    finally:
        await session.aclose()
    fetched = sum(1 for result in fetch.results.values() if isinstance(result, Quote))
    feed = session.feed
    return Snapshot(
        session.overview(), feed.book, session.sec, feed.name, feed.simulated, session.clock(), fetched,
        session.config.settings.figure_max_age_months,
    )


def _company(
    row: CompanyRow, failure: QuoteFailure | None, sec: SecResult, today: date, max_months: int
) -> dict[str, Any]:
    quote: Quote | None = row.quote
    company = row.company
    cap = row.market_cap
    return {
        "symbol": row.symbol,
        "name": company.name if company else (quote.name if quote else None),
        "price": quote.price if quote else None,
        "previous_close": quote.previous_close if quote else None,
        "day_change_pct": quote.day_change_pct if quote else None,
        "currency": quote.currency if quote else None,
        "source": quote.source if quote else None,
        "market_time": quote.market_time.isoformat() if quote else None,
        "age_seconds": round(row.age.total_seconds()) if row.age is not None else None,
        "stale": row.stale,
        "market_state": row.market_state.value if row.market_state else None,
        "suspect": row.suspect,
        "suspect_price": row.held.price if row.held else None,
        "error": failure.reason if failure else None,
        "market_cap": cap.value if cap else None,
        "market_cap_method": cap.method.name.lower() if cap else None,
        "market_cap_live": cap.is_live if cap else None,
        "mcap_to_arr": row.mcap_to_arr,
        "arr_end_2025": company.number("arr_end_2025") if company else None,
        "buy": row.buy,
        "sec": sec.unavailable.get(row.symbol),
        "fundamentals": {
            key: {
                "value": figure.value,
                "as_of": figure.as_of.isoformat() if figure.as_of else None,
                "age_months": months_old(figure.as_of, today),
                "old": is_old(figure, today, max_months),
                "source": figure.source,
                "note": figure.note,
            }
            for key, figure in (company.figures.items() if company else ())
        },
    }


def _condition(status: ConditionStatus) -> dict[str, Any]:
    return {
        "symbol": status.condition.symbol,
        "label": status.condition.label,
        "state": status.state.name.lower(),
        "met": status.met,
        "clauses": [
            {"rule": clause_rule(c), "value": c.watched, "distance": c.distance, "state": c.state.name.lower()}
            for c in status.clauses
        ],
    }


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    """Amounts are plain numbers (USD, shares); times ISO 8601; null where unknown."""
    overview = snapshot.overview
    valued = overview.portfolio
    document = {
        "format": JSON_FORMAT_VERSION,
        "neowatch": __version__,
        "taken_at": snapshot.taken_at.isoformat(),
        "provider": snapshot.provider,
        "simulated": snapshot.simulated,
        "base_currency": valued.base_currency,
        "buy": snapshot.buys,
        "companies": [
            _company(row, snapshot.book.failures.get(row.symbol), snapshot.sec, snapshot.taken_at.date(),
                     snapshot.figure_max_age_months)
            for row in overview.rows
        ],
        "positions": [
            {
                "symbol": p.symbol,
                "shares": p.holding.shares,
                "currency": p.currency,
                "price": p.price,
                "fx_rate": p.fx_rate,
                "fx_stale": p.rate_stale,
                "cost_basis": p.holding.cost_basis,
                "cost": p.cost,
                "market_value": p.market_value,
                "weight_pct": p.weight_pct,
                "day_change": p.day_change,
                "profit": p.profit,
                "profit_pct": p.profit_pct,
                "unknown": p.unknown,
            }
            for p in valued.positions
        ],
        "portfolio": {
            "total": valued.total,
            "complete": not valued.incomplete,
            "missing": list(valued.missing),
            "known_total": valued.known_total,
            "other_assets": valued.other_assets_total,
            "cash": valued.cash,
            "profit": valued.profit,
            "profit_on_cost_pct": valued.profit_pct,
            "day_change": valued.day_change,
        },
        "conditions": [_condition(status) for status in overview.conditions],
    }
    return finite_or_null(document)


def finite_or_null(value: Any) -> Any:
    """The document with every NaN or infinity as null: strict JSON parsers refuse them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_or_null(item) for item in value]
    return value


CSV_COLUMNS = (
    "symbol", "name", "price", "currency", "source", "day_change_pct", "stale", "error", "market_cap",
    "market_cap_method", "mcap_to_arr", "arr_end_2025", "buy", "shares", "market_value", "weight_pct",
    "profit", "profit_pct", "taken_at", "base_currency", "simulated",
)
"""market_value and profit are in base_currency; price in the listing's currency."""


def snapshot_csv(snapshot: Snapshot) -> str:
    """One row per company: the grid's figures and, where held, the position's."""
    data = snapshot_json(snapshot)
    positions = {p["symbol"]: p for p in data["positions"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    about = {key: data[key] for key in ("taken_at", "base_currency", "simulated")}
    for company in data["companies"]:
        held = {k: v for k, v in positions.get(company["symbol"], {}).items() if k not in ("price", "currency")}
        row = {**company, **held, **about}
        writer.writerow({key: _csv_value(row.get(key)) for key in CSV_COLUMNS})
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    # A spreadsheet must not read a company name as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def to_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot_json(snapshot), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
