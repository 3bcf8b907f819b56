"""Recently fetched price histories kept in memory, each for as long as its range stays fresh."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from watcher.quotes.provider import ChartRange, PriceHistory

# A day's 5-minute chart changes every few minutes; a year of daily closes changes once a day,
# so an hour is plenty and spares Yahoo a request each time the user flips between ranges.
DEFAULT_TTL = timedelta(hours=1)
HISTORY_TTL: dict[ChartRange, timedelta] = {
    ChartRange.ONE_DAY: timedelta(seconds=60),
    ChartRange.FIVE_DAYS: timedelta(minutes=5),
}


def ttl_of(chart_range: ChartRange, ttls: Mapping[ChartRange, timedelta] = HISTORY_TTL) -> timedelta:
    """How long a history over `chart_range` may be shown without fetching it again."""
    return ttls.get(chart_range, DEFAULT_TTL)


class HistoryCache:
    """Histories by (symbol, range), each forgotten once older than its range's time-to-live."""

    def __init__(
        self,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ttls: Mapping[ChartRange, timedelta] = HISTORY_TTL,
    ) -> None:
        self._clock = clock
        self._ttls = dict(ttls)
        self._entries: dict[tuple[str, ChartRange], tuple[datetime, PriceHistory]] = {}

    def get(self, symbol: str, chart_range: ChartRange) -> PriceHistory | None:
        """The stored history while it is fresh, else None (and it is dropped)."""
        key = (symbol, chart_range)
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, history = entry
        age = self._clock() - stored_at
        # A clock that went backwards (a corrected system time) cannot vouch for freshness either.
        if age < timedelta(0) or age >= ttl_of(chart_range, self._ttls):
            del self._entries[key]
            return None
        return history

    def put(self, history: PriceHistory) -> None:
        """Keep `history`, replacing any older one of the same symbol and range."""
        self._entries[(history.symbol, history.range)] = (self._clock(), history)

    def clear(self) -> None:
        """Forget everything, e.g. after the provider changed."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
