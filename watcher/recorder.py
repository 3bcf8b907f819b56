"""The history store as the session uses it: real prices and alerts kept, a failing store dropped."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from watcher.domain.quote import Quote
from watcher.store import AlertRecord, Store, StoreUnavailable, read_alert_states

HELD_ELSEWHERE = "Another neowatch holds the history: this one shows prices but does not alert."


class Recorder:
    """Never raises: a store that fails is dropped, its reason kept in `problem`, and the
    session goes on from memory (this run's alert log). It is given real prices only: the
    session never hands it a simulated one.

    Without a store, the arming still outlives the run where it can, so an alert already
    fired does not fire again: `held_by_other` is a store another neowatch holds (its arming
    is read from it, and the alerting is left to that neowatch); `arming_file` is a small
    JSON file that keeps the arming when the store cannot be written at all.
    """

    def __init__(
        self,
        store: Store | None,
        problem: str | None = None,
        *,
        held_by_other: Path | None = None,
        arming_file: Path | None = None,
    ) -> None:
        self.store = store
        self.problem = problem
        self.held_by_other = held_by_other
        self.arming_file = arming_file
        self._session_alerts: list[AlertRecord] = []

    @property
    def alerts_here(self) -> bool:
        """Whether this neowatch announces alerts: not when another one holds the store."""
        return self.held_by_other is None

    @property
    def warning(self) -> str | None:
        """What the store said when it opened (a file set aside), or why this neowatch does not
        alert, for the user."""
        if self.store is not None:
            return self.store.warning
        return HELD_ELSEWHERE if self.held_by_other is not None else None

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
        """Which conditions were armed when the last run stopped (or, when another neowatch
        holds the store, as that one last saved them)."""
        if self.held_by_other is not None:
            try:
                return read_alert_states(self.held_by_other)
            except StoreUnavailable:
                return {}
        if self.store is None:
            return self._read_arming_file()
        try:
            return self.store.alert_states()
        except StoreUnavailable as error:
            self._fail(error)
            return self._read_arming_file()

    def _read_arming_file(self) -> dict[str, bool]:
        if self.arming_file is None:
            return {}
        try:
            saved = json.loads(self.arming_file.read_text("utf-8"))
        except (FileNotFoundError, ValueError):  # none yet, or garbled: every alert armed
            return {}
        except OSError as error:
            self._lose_arming(error)
            return {}
        armed = saved.get("armed") if isinstance(saved, dict) else None
        if not isinstance(armed, dict):
            return {}
        return {str(key): value for key, value in armed.items() if isinstance(value, bool)}

    def keep_arming(self) -> None:
        """Make sure the arming file can be written, now rather than at the first alert: when it
        cannot, `problem` says at once that an alert may fire again after a restart."""
        self._save_arming_file({})

    def _save_arming_file(self, states: Mapping[str, bool]) -> None:
        from watcher.paths import write_atomically

        if self.arming_file is None:
            return
        # Conditions not given keep their saved state, as in the store.
        merged = {**self._read_arming_file(), **{key: bool(armed) for key, armed in states.items()}}
        try:
            write_atomically(self.arming_file, json.dumps({"armed": merged}, sort_keys=True))
        except OSError as error:
            self._lose_arming(error)

    def _lose_arming(self, error: OSError) -> None:
        lost = (
            f"Alert arming cannot be kept in {self.arming_file} ({error.strerror or type(error).__name__}):"
            " an alert may fire again after a restart."
        )
        if self.problem is None or lost not in self.problem:
            self.problem = f"{self.problem} {lost}" if self.problem else lost

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
        if self.held_by_other is not None:
            return  # the arming is the other neowatch's to keep
        if self.store is not None:
            try:
                self.store.save_alert_states(states)
                return
            except StoreUnavailable as error:
                self._fail(error)
        self._save_arming_file(states)

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
