"""Which exchange rates a portfolio needs, and what the feed's FX quotes say they are."""

from __future__ import annotations

from datetime import datetime, timedelta

from watcher.config import Config
from watcher.domain.currency import Rates, fx_pair, fx_symbol, listing
from watcher.domain.quote import QuoteBook


def fx_symbols_needed(config: Config, book: QuoteBook) -> tuple[str, ...]:
    """The rates as symbols fetched with the quotes ("GBPUSD=X"): one per currency a held
    listing is quoted in, or that the file names, other than the base."""
    base = config.settings.base_currency
    codes = set(config.portfolio.currencies())
    for holding in config.portfolio.holdings:
        quote = book.quotes.get(holding.symbol)
        if quote is not None and quote.currency:
            codes.add(quote.currency)
    majors = {read.major for read in map(listing, codes) if read is not None}
    return tuple(sorted(fx_symbol(major, base) for major in majors if major != base))


def rates_in(book: QuoteBook, base: str, now: datetime, stale_after: timedelta) -> Rates:
    """The last good rate of each currency into `base`; a rate not renewed in time is stale."""
    known = {}
    stale = set()
    for symbol, quote in book.quotes.items():
        pair = fx_pair(symbol)
        if pair is not None and pair[1] == base:
            known[pair[0]] = quote.price
            if now - quote.fetched_at > stale_after:
                stale.add(pair[0])
    return Rates(base, known, frozenset(stale))
