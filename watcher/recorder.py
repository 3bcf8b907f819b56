"""The history store as the session uses it: real prices and alerts kept, a failing store dropped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from watcher.domain.quote import Quote
from watcher.store import AlertRecord, Store, StoreUnavailable


class Recorder:
    """Never raises: a store that fails is dropped, its reason kept in `problem`, and the
    session goes on from memory (this run's alert log). It is given real prices only: the
    session never hands it a simulated one."""

    def __init__(self, store: Store | None, problem: str | None = None) -> None:
        self.store = store
        self.problem = problem
        self._session_alerts: list[AlertRecord] = []

    @property
    def warning(self) -> str | None:
        """What the store said when it opened (a file set aside), for the user."""
        return self.store.warning if self.store is not None else None

    def _fail(self, error: StoreUnavailable) -> None:
        self.problem = str(error)
        if self.store is not None:
            self.store.close()
        self.store = None

    def recent_prices(self, symbols: Sequence[str], limit: int) -> dict[str, list[float]]:
        """The last `limit` prices recorded per symbol, oldest first."""
        if self.store is None:
            return {}
        try:
            return self.store.recent_prices(symbols, limit)
        except StoreUnavailable as error:
            self._fail(error)
            return {}

    def alert_states(self) -> dict[str, bool]:
        """Which conditions were armed when the last run stopped."""
        if self.store is None:
            return {}
        try:
            return self.store.alert_states()
        except StoreUnavailable as error:
            self._fail(error)
            return {}

    def record_quotes(self, quotes: Iterable[Quote]) -> None:
        quotes = list(quotes)
        if self.store is not None and quotes:
            try:
                self.store.record_quotes(quotes)
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
