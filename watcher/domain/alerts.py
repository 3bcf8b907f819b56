"""When to alert: once when a condition goes from not met to met, not at every refresh."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from watcher.domain.conditions import ConditionState, ConditionStatus


class CrossingDetector:
    """Remembers which conditions were met, and tells which became met just now.

    An unknown state (missing or stale data) neither fires nor re-arms: a
    condition that was met, lost its data and came back met has not crossed.
    """

    def __init__(self) -> None:
        self._met: set[str] = set()

    def crossings(
        self, statuses: Iterable[ConditionStatus], stale_symbols: Collection[str] = ()
    ) -> list[ConditionStatus]:
        """The statuses that are met now, on fresh data, and were not met before."""
        fired = []
        for status in statuses:
            key = status.condition.key
            state = status.state
            if status.condition.symbol in stale_symbols:
                state = ConditionState.UNKNOWN
            if state is ConditionState.MET:
                if key not in self._met:
                    self._met.add(key)
                    fired.append(status)
            elif state is ConditionState.NOT_MET:
                self._met.discard(key)
        return fired
