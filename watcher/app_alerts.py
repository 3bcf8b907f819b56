"""The app's side of alerts: which conditions fire now, and every channel they are sent to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

if TYPE_CHECKING:
    from watcher.alerting import Alert
    from watcher.app import NeowatchApp

    _Base = NeowatchApp
else:
    _Base = object


class AlertsMixin(_Base):
    """Toast and bell on screen; the store; desktop and the user's command off the UI's path."""

    def alert_on_crossings(self) -> None:
        # Imported at the first fetch, not before the first frame.
        from watcher.alerting import alert_for
        from watcher.store import AlertRecord

        overview = self.overview
        if overview is None:
            return
        before = self.arming.states
        settings = self.config.alerts
        for status in self.arming.update(overview.conditions, overview.stale_symbols):
            alert = alert_for(status, self.book.price(status.condition.symbol), self.clock())
            if settings.toast:
                self.notify(alert.message, title=alert.title, severity="warning", timeout=15, markup=False)
            if settings.bell:
                self.bell()
            self.recorder.record_alert(
                AlertRecord(alert.symbol, status.condition.key, alert.label, alert.price, alert.fired_at)
            )
            if settings.desktop or settings.command:
                self.send_alert(alert)
        if self.arming.states != before:
            self.recorder.save_alert_states(self.arming.states)
        self.report_store_problem()

    @work(group="alerts", exit_on_error=False)
    async def send_alert(self, alert: Alert) -> None:
        """The channels that leave the screen: a desktop notice, the user's command."""
        from watcher.alerting import expand_command, run_command, send_desktop_notification

        settings = self.config.alerts
        problems = []
        if settings.desktop:
            problems.append(await send_desktop_notification(alert.title, alert.message))
        if settings.command:
            problems.append(await run_command(expand_command(settings.command, alert.values())))
        for problem in filter(None, problems):
            self.notify(problem, severity="warning", timeout=10, markup=False)

    def report_store_problem(self) -> None:
        problem = self.recorder.problem
        if problem and problem != self._store_problem_shown:
            self._store_problem_shown = problem
            self.notify(problem, severity="warning", timeout=12, markup=False)
