"""The status line: provider, last refresh, and what is stale or failing, in words."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from watcher.domain.health import FeedHealth
from watcher.widgets.cells import BUY, STALE


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; }
    """

    def show(
        self, provider: str, simulated: bool, refresh: str, interval: float, health: FeedHealth
    ) -> None:
        # One line, cut with an ellipsis: the detail screen gives each symbol's reason in full.
        text = Text(no_wrap=True, overflow="ellipsis")
        if simulated:
            text.append(" SIMULATED ", style=BUY)
            text.append(" ")
        text.append(f"{provider} · {refresh} · every {interval:g} s")
        if health.headline:
            text.append(" │ ")
            text.append(health.headline.upper(), style="bold " + STALE)
        if health.stale:
            text.append(" │ ")
            text.append(f"STALE: {', '.join(health.stale)}", style=STALE)
        if health.problems:
            text.append(" │ ")
            text.append("; ".join(health.problems), style=STALE)
        self.update(text)
