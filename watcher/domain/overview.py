"""One pure function turns the portfolio, fundamentals and quotes into what every panel shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from watcher.domain.conditions import BuyCondition, ConditionStatus, evaluate
from watcher.domain.fundamentals import Company, is_old
from watcher.domain.portfolio import Portfolio, PortfolioValue, value_portfolio
from watcher.domain.quote import Quote, QuoteBook, QuoteFailure
from watcher.domain.valuation import (
    MarketCap,
    live_market_cap,
    market_cap_as_of_date,
    mcap_to_arr,
)


@dataclass(frozen=True, slots=True)
class CompanyRow:
    """One line of the comparison grid."""

    symbol: str
    company: Company | None
    quote: Quote | None
    failure: QuoteFailure | None
    age: timedelta | None
    stale: bool
    market_cap: MarketCap | None
    mcap_to_arr: float | None
    buy: bool
    """At least one of the symbol's buy conditions is met."""
    recent: tuple[float, ...] = ()
    """The last prices recorded, oldest first: the sparkline."""
    old_figures: frozenset[str] = frozenset()
    """Keys of the company's figures older than the threshold (marked old on screen)."""


@dataclass(frozen=True, slots=True)
class Overview:
    rows: tuple[CompanyRow, ...]
    portfolio: PortfolioValue
    conditions: tuple[ConditionStatus, ...]

    def row(self, symbol: str) -> CompanyRow | None:
        return next((r for r in self.rows if r.symbol == symbol), None)

    @property
    def stale_symbols(self) -> frozenset[str]:
        return frozenset(r.symbol for r in self.rows if r.stale)


def close_on(closes: Mapping[str, Mapping[str, float]], symbol: str, day: date | None) -> float | None:
    if day is None:
        return None
    return closes.get(symbol, {}).get(day.isoformat())


def symbols_needing_close(
    symbols: Sequence[str],
    companies: Mapping[str, Company],
    closes: Mapping[str, Mapping[str, float]],
) -> list[tuple[str, date]]:
    """The (symbol, day) pairs whose close is needed to scale an as-of market cap and not known yet."""
    needed = []
    for symbol in symbols:
        day = market_cap_as_of_date(companies.get(symbol))
        if day is not None and close_on(closes, symbol, day) is None:
            needed.append((symbol, day))
    return needed


def _old_figures(company: Company | None, today: date, max_months: int) -> frozenset[str]:
    if company is None:
        return frozenset()
    return frozenset(key for key, figure in company.figures.items() if is_old(figure, today, max_months))


def build_overview(
    symbols: Sequence[str],
    portfolio: Portfolio,
    conditions: Sequence[BuyCondition],
    companies: Mapping[str, Company],
    book: QuoteBook,
    closes: Mapping[str, Mapping[str, float]],
    now: datetime,
    stale_after: timedelta,
    recent: Mapping[str, Sequence[float]] | None = None,
    figure_max_age_months: int = 6,
) -> Overview:
    """Value, weigh and check everything against the last good quotes."""
    valued = value_portfolio(portfolio, book.quotes)

    caps: dict[str, MarketCap | None] = {}
    ratios: dict[str, float | None] = {}
    for symbol in symbols:
        company = companies.get(symbol)
        quote = book.quotes.get(symbol)
        cap = live_market_cap(
            company,
            quote.price if quote else None,
            close_on(closes, symbol, market_cap_as_of_date(company)),
        )
        # A cap that is not live must not pass for a live valuation in a condition.
        caps[symbol] = cap
        ratios[symbol] = mcap_to_arr(cap, company) if cap and cap.is_live else None

    statuses = tuple(
        evaluate(
            condition,
            book.price(condition.symbol),
            ratios.get(condition.symbol),
            valued.weight_pct(condition.symbol),
        )
        for condition in conditions
    )
    buying = {s.condition.symbol for s in statuses if s.met}

    rows = []
    for symbol in symbols:
        quote = book.quotes.get(symbol)
        age = now - quote.fetched_at if quote else None
        rows.append(
            CompanyRow(
                symbol=symbol,
                company=companies.get(symbol),
                quote=quote,
                failure=book.failures.get(symbol),
                age=age,
                stale=age is not None and age > stale_after,
                market_cap=caps[symbol],
                mcap_to_arr=mcap_to_arr(caps[symbol], companies.get(symbol)),
                buy=symbol in buying,
                recent=tuple((recent or {}).get(symbol, ())),
                old_figures=_old_figures(companies.get(symbol), now.date(), figure_max_age_months),
            )
        )
    return Overview(rows=tuple(rows), portfolio=valued, conditions=statuses)
