"""One pure function turns the portfolio, fundamentals and quotes into what every panel shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from watcher.domain.conditions import BuyCondition, ConditionStatus, evaluate, missing_ratio
from watcher.domain.currency import Rates, listing
from watcher.domain.fundamentals import Company, is_old
from watcher.domain.market import MarketState, market_state
from watcher.domain.portfolio import Portfolio, PortfolioValue, value_portfolio
from watcher.domain.quote import Quote, QuoteBook, QuoteFailure
from watcher.domain.trade_age import suspect_time, trade_age
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
    """The last good quote: a suspect price held back is never here (see `held`)."""
    failure: QuoteFailure | None
    age: timedelta | None
    """Since the quote's last trade (its market time), not since the fetch; None without a quote
    or when the market time is ahead of the clock beyond the skew (then `suspect` says so)."""
    stale: bool
    """The feed stopped: the last good quote was fetched longer ago than stale_after. A closed
    market's old trade is not stale; a fetch that no longer comes is."""
    market_cap: MarketCap | None
    mcap_to_arr: float | None
    buy: bool
    """At least one of the symbol's buy conditions is met."""
    recent: tuple[float, ...] = ()
    """The last prices recorded, oldest first: the sparkline."""
    old_figures: frozenset[str] = frozenset()
    """Keys of the company's figures older than the threshold (marked old on screen)."""
    market_state: MarketState | None = None
    """The session the quote's market is in now; None when its sessions are unknown."""
    suspect: str | None = None
    """Why the quote is not to be believed, in words (a market time ahead of the clock, no trade
    for days while the market trades, a price held back); None when nothing is suspect."""
    held: Quote | None = None
    """The suspect quote held back from every valuation and alert until a second read confirms it."""


@dataclass(frozen=True, slots=True)
class Overview:
    rows: tuple[CompanyRow, ...]
    portfolio: PortfolioValue
    conditions: tuple[ConditionStatus, ...]

    def row(self, symbol: str) -> CompanyRow | None:
        return next((r for r in self.rows if r.symbol == symbol), None)

    @property
    def stale_symbols(self) -> frozenset[str]:
        """The feed stopped for these: their last good quote was fetched too long ago."""
        return frozenset(r.symbol for r in self.rows if r.stale)

    @property
    def suspect_symbols(self) -> frozenset[str]:
        """Their quote's time or a new price is not to be believed (see CompanyRow.suspect)."""
        return frozenset(r.symbol for r in self.rows if r.suspect)


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


def _suspect(quote: Quote | None, state: MarketState | None, held: str | None, now: datetime) -> str | None:
    """Every reason the row's numbers are not to be believed, in one phrase that names what is
    suspect: "suspect price: …" (a price held back), "suspect quote: …" (its market time)."""
    reasons = []
    if held is not None:
        reasons.append(f"suspect price: {held}")
    time_reason = suspect_time(quote.market_time, state, now) if quote else None
    if time_reason is not None:
        reasons.append(f"suspect quote: {time_reason}")
    return "; ".join(reasons) or None


def trigger_price(quote: Quote | None) -> float | None:
    """The price a condition's trigger is compared with: in the listing's major currency, as a
    person says it (a London quote of 7000 pence is 70 pounds against "below 75")."""
    if quote is None:
        return None
    read = listing(quote.currency)
    return read.to_major(quote.price) if read is not None else quote.price


def trigger_currency(quote: Quote | None) -> str | None:
    """The currency a condition on this listing is written in ("GBP" for a quote in pence)."""
    read = listing(quote.currency) if quote is not None else None
    return read.major if read is not None else None


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
    rates: Rates | None = None,
) -> Overview:
    """Value, weigh and check everything against the last good quotes."""
    valued = value_portfolio(portfolio, book.quotes, rates)

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
            trigger_price(book.quotes.get(condition.symbol)),
            ratios.get(condition.symbol),
            valued.weight_pct(condition.symbol),
            missing_ratio(caps.get(condition.symbol), companies.get(condition.symbol), book.price(condition.symbol)),
        )
        for condition in conditions
    )
    buying = {s.condition.symbol for s in statuses if s.met}

    rows = []
    for symbol in symbols:
        quote = book.quotes.get(symbol)
        state = market_state(quote.trading_periods, now) if quote else None
        held = book.held.get(symbol)
        rows.append(
            CompanyRow(
                symbol=symbol,
                company=companies.get(symbol),
                quote=quote,
                failure=book.failures.get(symbol),
                age=trade_age(quote.market_time, now) if quote else None,
                stale=quote is not None and now - quote.fetched_at > stale_after,
                market_cap=caps[symbol],
                mcap_to_arr=mcap_to_arr(caps[symbol], companies.get(symbol)),
                buy=symbol in buying,
                recent=tuple((recent or {}).get(symbol, ())),
                old_figures=_old_figures(companies.get(symbol), now.date(), figure_max_age_months),
                market_state=state,
                suspect=_suspect(quote, state, held[1] if held else None, now),
                held=held[0] if held else None,
            )
        )
    return Overview(rows=tuple(rows), portfolio=valued, conditions=statuses)
