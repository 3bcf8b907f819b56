"""History for the app: the SQLite store when it can be had, this session's memory when not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from watcher.domain.quote import Quote
from watcher.store import AlertRecord, Store, StoreUnavailable

RECENT_PRICES = 40


class Recorder:
    """Never raises: a store that fails is dropped, its reason kept in `problem`, and the
    session goes on from memory (the alert log and sparklines of this run)."""

    def __init__(self, store: Store | None, problem: str | None = None) -> None:
        self.store = store
        self.problem = problem
        self._session_alerts: list[AlertRecord] = []
        self._recent: dict[str, list[float]] = {}
        self._seen: set[tuple[str, str]] = set()

    def _fail(self, error: StoreUnavailable) -> None:
        self.problem = str(error)
        if self.store is not None:
            self.store.close()
        self.store = None

    def start(self, symbols: Sequence[str]) -> dict[str, bool]:
        """Load what the last run left: recent prices, and which alerts are armed."""
        if self.store is None:
            return {}
        try:
            self._recent = self.store.recent_prices(symbols, RECENT_PRICES)
            return self.store.alert_states()
        except StoreUnavailable as error:
            self._fail(error)
            return {}

    def recent_prices(self) -> Mapping[str, Sequence[float]]:
        return self._recent

    def record_quotes(self, quotes: Iterable[Quote]) -> None:
        fresh = [q for q in quotes if (q.symbol, q.fetched_at.isoformat()) not in self._seen]
        for quote in fresh:
            self._seen.add((quote.symbol, quote.fetched_at.isoformat()))
            prices = self._recent.setdefault(quote.symbol, [])
            prices.append(quote.price)
            del prices[:-RECENT_PRICES]
        if self.store is not None and fresh:
            try:
                self.store.record_quotes(fresh)
            except StoreUnavailable as error:
                self._fail(error)

    def record_alert(self, record: AlertRecord) -> None:
        self._session_alerts.append(record)
        if self.store is not None:
            try:
                self.store.record_alert(record)
            except StoreUnavailable as error:
                self._fail(error)

    def save_alert_states(self, states: Mapping[str, bool]) -> None:
        if self.store is not None:
            try:
                self.store.save_alert_states(states)
            except StoreUnavailable as error:
                self._fail(error)

    def alerts(self) -> list[AlertRecord]:
        """Every firing, newest first: from the store, or this session's when there is none."""
        if self.store is not None:
            try:
                return self.store.alerts()
            except StoreUnavailable as error:
                self._fail(error)
        return sorted(self._session_alerts, key=lambda r: r.fired_at, reverse=True)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
