"""Everything learnt from one quote provider: its prices, day-closes, histories and waits.

A Feed is replaced as a whole when the provider changes, so nothing one source taught is
ever shown, saved or recorded as another's. Its price and close fetches touch none of its
state: they return a result that is applied afterwards (on the UI loop, or right away in a
headless run). A fetched history goes straight into its cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from watcher.domain.quote import FailureKind, Quote, QuoteBook, QuoteFailure, QuoteResult
from watcher.quotes.history import HistoryCache
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider

# How many recent prices a row's sparkline draws.
RECENT_PRICES = 40
# A close that is not there (no bar that week, an unknown symbol) will not appear later.
LASTING_CLOSE_FAILURES = frozenset({FailureKind.NO_DATA, FailureKind.NOT_FOUND, FailureKind.DELISTED,
                                    FailureKind.WRONG_SYMBOL})
# A close that failed for a passing reason (429, 5xx, the network) is asked again after this
# wait, doubled at each failure up to the cap: not at every refresh.
CLOSE_RETRY_FIRST = timedelta(minutes=1)
CLOSE_RETRY_CAP = timedelta(hours=1)
CLOSE_RETRY_DOUBLINGS = 6

CloseKey = tuple[str, date]


@dataclass(frozen=True, slots=True)
class PriceFetch:
    """One refresh's prices, as the provider answered them."""

    feed: Feed
    results: dict[str, QuoteResult]
    finished_at: datetime
    whole: bool = True
    """A refresh of every symbol; False for a follow-up of a few (the rates just learnt),
    which must not pass for the last refresh nor lift its Retry-After."""


@dataclass(frozen=True, slots=True)
class CloseFetch:
    """Day-closes looked up for as-of market caps: a close or a failure per (symbol, day)."""

    feed: Feed
    results: dict[CloseKey, float | QuoteFailure]
    finished_at: datetime


@dataclass(slots=True)
class _CloseAttempts:
    failures: int = 0
    retry_at: datetime | None = None
    """None while a lookup runs or after a lasting failure (never asked again)."""


@dataclass(slots=True)
class Feed:
    """One provider and what it taught: the quote book, day-closes, histories, Retry-After."""

    provider: QuoteProvider
    clock: Callable[[], datetime]
    book: QuoteBook = field(default_factory=QuoteBook)
    closes: dict[str, dict[str, float]] = field(default_factory=dict)
    recent: dict[str, list[float]] = field(default_factory=dict)
    """The last prices per symbol, oldest first: the sparklines."""
    last_refresh: datetime | None = None
    """When the last fetch finished, whatever it brought."""
    last_good: datetime | None = None
    """When a fetch last brought at least one price."""
    not_before: datetime | None = None
    """The provider asked (Retry-After) not to be asked again before this."""
    failing_since: dict[str, datetime] = field(default_factory=dict)
    """Symbol → when its failures began: the end of the first fetch of an unbroken run of them."""
    histories: HistoryCache = field(init=False)
    _closes_tried: dict[CloseKey, _CloseAttempts] = field(default_factory=dict)
    _last_seen: dict[str, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.histories = HistoryCache(self.clock)

    @property
    def name(self) -> str:
        return self.provider.name

    @property
    def simulated(self) -> bool:
        return self.provider.simulated

    # --- prices ---------------------------------------------------------------

    async def fetch_prices(self, symbols: Sequence[str], whole: bool = True) -> PriceFetch:
        results = await self.provider.fetch_quotes(list(symbols))
        name = self.provider.name
        stamped = {
            symbol: replace(r, source=name) if isinstance(r, Quote) and r.source is None else r
            for symbol, r in results.items()
        }
        return PriceFetch(self, stamped, self.clock(), whole)

    def apply_prices(self, fetch: PriceFetch) -> list[Quote]:
        """Take a fetch's answers; the quotes accepted that were not seen before (a price held
        back as implausible is neither drawn in a sparkline nor recorded)."""
        accepted = self.book.apply(fetch.results)
        for symbol, result in fetch.results.items():
            if isinstance(result, QuoteFailure):
                self.failing_since.setdefault(symbol, fetch.finished_at)
            else:
                self.failing_since.pop(symbol, None)
        if fetch.whole:
            self.last_refresh = fetch.finished_at
            if any(isinstance(r, Quote) for r in fetch.results.values()):
                self.last_good = fetch.finished_at
            waits = [r.retry_after for r in fetch.results.values() if isinstance(r, QuoteFailure) and r.retry_after]
            self.not_before = fetch.finished_at + timedelta(seconds=min(max(waits), 3600)) if waits else None
        new = [q for q in accepted if self._last_seen.get(q.symbol) != q.fetched_at]
        for quote in new:
            self._last_seen[quote.symbol] = quote.fetched_at
            prices = self.recent.setdefault(quote.symbol, [])
            prices.append(quote.price)
            del prices[:-RECENT_PRICES]
        return new

    def forget_all_but(self, symbols: Iterable[str]) -> None:
        """Drop what is known of symbols the portfolio file no longer names (a removed symbol's
        failure would stay in the status line for good)."""
        keep = set(symbols)
        book = self.book
        for known in (book.quotes, book.failures, book.held, self.recent, self.failing_since):
            for symbol in set(known) - keep:
                del known[symbol]

    def seconds_to_wait(self) -> float:
        if self.not_before is None:
            return 0.0
        return max(0.0, (self.not_before - self.clock()).total_seconds())

    # --- day-closes -------------------------------------------------------------

    def closes_due(self, needed: Iterable[CloseKey]) -> list[CloseKey]:
        """Of the closes needed, those to ask for now; they count as asked until applied."""
        now = self.clock()
        due = []
        for key in needed:
            if key[1].isoformat() in self.closes.get(key[0], {}):
                continue
            attempts = self._closes_tried.get(key)
            if attempts is not None and (attempts.retry_at is None or attempts.retry_at > now):
                continue
            self._closes_tried.setdefault(key, _CloseAttempts()).retry_at = None
            due.append(key)
        return due

    async def fetch_closes(self, due: Sequence[CloseKey]) -> CloseFetch:
        """Every due close at once: a slow lookup holds up no other, and no price. A lookup that
        raises counts as a passing failure (backed off like a 5xx), never as an answer."""
        answers = await asyncio.gather(
            *(self.provider.fetch_close_on(symbol, day) for symbol, day in due), return_exceptions=True
        )
        results: dict[CloseKey, float | QuoteFailure] = {}
        for (symbol, day), answer in zip(due, answers, strict=True):
            if isinstance(answer, asyncio.CancelledError):
                raise answer
            if isinstance(answer, BaseException):
                why = f"the close lookup failed ({type(answer).__name__})"
                answer = QuoteFailure(symbol, FailureKind.BAD_RESPONSE, why)
            results[(symbol, day)] = answer
        return CloseFetch(self, results, self.clock())

    def apply_closes(self, fetch: CloseFetch) -> bool:
        """Take the closes learnt; True when one was."""
        learnt = False
        for (symbol, day), answer in fetch.results.items():
            attempts = self._closes_tried.setdefault((symbol, day), _CloseAttempts())
            if isinstance(answer, QuoteFailure):
                attempts.failures += 1
                if answer.kind not in LASTING_CLOSE_FAILURES:
                    # The exponent is capped: the wait is at the cap long before, and 2**n grows
                    # past what a timedelta holds after enough failures.
                    doublings = min(attempts.failures - 1, CLOSE_RETRY_DOUBLINGS)
                    wait = min(CLOSE_RETRY_CAP, CLOSE_RETRY_FIRST * 2**doublings)
                    wait = max(wait, timedelta(seconds=min(answer.retry_after or 0.0, CLOSE_RETRY_CAP.total_seconds())))
                    attempts.retry_at = fetch.finished_at + wait
            else:
                self.closes.setdefault(symbol, {})[day.isoformat()] = answer
                learnt = True
        return learnt

    def abandon_closes(self, due: Iterable[CloseKey]) -> None:
        """Lookups that never answered (cancelled): due again at once."""
        for key in due:
            attempts = self._closes_tried.get(key)
            if attempts is not None and attempts.retry_at is None:
                attempts.retry_at = self.clock()

    # --- price histories (the detail's chart) ----------------------------------------

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        result = await self.provider.fetch_history(symbol, chart_range)
        if isinstance(result, PriceHistory):
            self.histories.put(result)
        return result

    # --- seeding and closing -----------------------------------------------------

    def seed(
        self,
        quotes: Mapping[str, Quote],
        closes: Mapping[str, Mapping[str, float]],
        recent: Mapping[str, Sequence[float]],
    ) -> None:
        """What a real provider's last run left on disk; a simulated feed takes none of it."""
        if self.simulated:
            return
        self.book.quotes.update(quotes)
        for symbol, by_day in closes.items():
            self.closes.setdefault(symbol, {}).update(by_day)
        for symbol, prices in recent.items():
            self.recent[symbol] = list(prices)[-RECENT_PRICES:]

    async def aclose(self) -> None:
        await self.provider.aclose()
