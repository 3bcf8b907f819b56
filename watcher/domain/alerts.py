"""When to alert: once when a condition goes from not met to met, re-armed only past a margin."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from watcher.domain.conditions import ConditionState, ConditionStatus

DEFAULT_HYSTERESIS_PCT = 0.5


def clearly_not_met(status: ConditionStatus, margin_pct: float) -> bool:
    """Some clause misses its trigger by more than margin_pct % of the trigger.

    A price hovering at $133.10 against "below 133" is not met, but not clearly: it
    must rise past 133 × 1.005 before a new fall below 133 counts as a new crossing.
    """
    for clause in status.clauses:
        if clause.watched is None or clause.state is not ConditionState.NOT_MET:
            continue
        band = abs(clause.trigger) * margin_pct / 100.0
        if clause.below and clause.watched > clause.trigger + band:
            return True
        if not clause.below and clause.watched < clause.trigger - band:
            return True
    return False


class AlertArming:
    """Which conditions may fire; a condition fires once, then waits to be re-armed.

    A condition is armed until it fires. It is re-armed only once it is clearly not
    met (past the hysteresis margin). Unknown or stale data neither fires nor re-arms.
    The states can be saved and given back at the next start, so a condition still
    met after a restart does not fire again.
    """

    def __init__(
        self, armed: Mapping[str, bool] | None = None, margin_pct: float = DEFAULT_HYSTERESIS_PCT
    ) -> None:
        self._armed: dict[str, bool] = dict(armed or {})
        self.margin_pct = margin_pct

    @property
    def states(self) -> dict[str, bool]:
        """Condition key → armed, for the store."""
        return dict(self._armed)

    def is_armed(self, key: str) -> bool:
        return self._armed.get(key, True)

    def update(
        self, statuses: Iterable[ConditionStatus], stale_symbols: Collection[str] = ()
    ) -> list[ConditionStatus]:
        """The conditions that fire now; arming states move as the data says."""
        fired = []
        for status in statuses:
            if status.condition.symbol in stale_symbols:
                continue
            key = status.condition.key
            if status.state is ConditionState.MET:
                if self.is_armed(key):
                    self._armed[key] = False
                    fired.append(status)
            elif status.state is ConditionState.NOT_MET and (
                clearly_not_met(status, self.margin_pct) or key not in self._armed
            ):
                # Re-armed once clearly missed; a condition first seen unmet starts armed.
                self._armed[key] = True
        return fired
