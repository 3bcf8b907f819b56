"""neowatch without a screen: fetch once, then print or export the grid, positions and conditions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from watcher import __version__
from watcher.config import Config
from watcher.domain.conditions import ConditionStatus, clause_rule
from watcher.domain.fundamentals import is_old, months_old
from watcher.domain.overview import CompanyRow, Overview, build_overview, symbols_needing_close
from watcher.domain.quote import Quote, QuoteBook, QuoteFailure
from watcher import paths
from watcher.fundamentals import SecResult, companies_with, load_sec
from watcher.quotes.http import make_http_client
from watcher.quotes.cache import QuoteCache
from watcher.quotes.provider import QuoteProvider

JSON_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One fetch's worth of everything neowatch shows."""

    overview: Overview
    book: QuoteBook
    sec: SecResult
    provider: str
    simulated: bool
    taken_at: datetime
    figure_max_age_months: int = 6

    @property
    def any_quote(self) -> bool:
        return bool(self.book.quotes)

    @property
    def buys(self) -> list[str]:
        return sorted({s.condition.symbol for s in self.overview.conditions if s.met})


async def take_snapshot(
    config: Config,
    provider: QuoteProvider,
    cache: QuoteCache | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Snapshot:
    """Fetch every price once (and any as-of close not cached yet); never raises for a provider's failure."""
    symbols = list(config.symbols)
    client = make_http_client()
    try:
        sec = await load_sec(config, client, paths.cache_dir() / "sec", clock)
    finally:
        await client.aclose()
    companies = companies_with(config.companies, sec.companies)
    closes: dict[str, dict[str, float]] = {}
    if cache is not None:
        _, closes, _ = cache.load()
    book = QuoteBook()
    try:
        book.apply(await provider.fetch_quotes(symbols))
        for symbol, day in symbols_needing_close(symbols, companies, closes):
            close = await provider.fetch_close_on(symbol, day)
            if not isinstance(close, QuoteFailure):
                closes.setdefault(symbol, {})[day.isoformat()] = close
    finally:
        await provider.aclose()
    if cache is not None and book.quotes and not provider.simulated:
        previous, _, _ = cache.load()
        try:
            cache.save({**previous, **book.quotes}, closes)
        except OSError:
            pass  # a cache that cannot be written costs the next start its head start, nothing more
    now = clock()
    settings = config.settings
    overview = build_overview(
        symbols, config.portfolio, config.conditions, companies, book, closes, now,
        timedelta(seconds=settings.refresh_interval * settings.stale_after_refreshes),
        figure_max_age_months=settings.figure_max_age_months,
    )
    return Snapshot(overview, book, sec, provider.name, provider.simulated, now, settings.figure_max_age_months)


def _company(row: CompanyRow, failure: QuoteFailure | None, sec: SecResult, today: date, max_months: int) -> dict[str, Any]:
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
        "market_time": quote.market_time.isoformat() if quote else None,
        "age_seconds": round(row.age.total_seconds()) if row.age is not None else None,
        "stale": row.stale,
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
    return {
        "format": JSON_FORMAT_VERSION,
        "neowatch": __version__,
        "taken_at": snapshot.taken_at.isoformat(),
        "provider": snapshot.provider,
        "simulated": snapshot.simulated,
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
                "cost_basis": p.holding.cost_basis,
                "price": p.price,
                "market_value": p.market_value,
                "weight_pct": p.weight_pct,
                "day_change": p.day_change,
                "profit": p.profit,
                "profit_pct": p.profit_pct,
            }
            for p in valued.positions
        ],
        "portfolio": {
            "total": valued.total,
            "other_assets": valued.other_assets_total,
            "cash": valued.cash,
            "profit": valued.profit,
            "day_change": valued.day_change,
        },
        "conditions": [_condition(status) for status in overview.conditions],
    }


CSV_COLUMNS = (
    "symbol", "name", "price", "day_change_pct", "stale", "error", "market_cap", "market_cap_method",
    "mcap_to_arr", "arr_end_2025", "buy", "shares", "market_value", "weight_pct", "profit", "profit_pct",
)


def snapshot_csv(snapshot: Snapshot) -> str:
    """One row per company: the grid's figures and, where held, the position's."""
    data = snapshot_json(snapshot)
    positions = {p["symbol"]: p for p in data["positions"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for company in data["companies"]:
        row = {**company, **{k: v for k, v in positions.get(company["symbol"], {}).items() if k != "price"}}
        writer.writerow({key: _csv_value(row.get(key)) for key in CSV_COLUMNS})
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    # A spreadsheet must not read a company name as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def to_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot_json(snapshot), indent=2, ensure_ascii=False) + "\n"
