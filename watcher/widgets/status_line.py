"""The status line: provider, last refresh, and what is stale or failing, in words."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from watcher.domain.health import FeedHealth
from watcher.widgets.cells import colours


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; }
    """

    _shown: Text = Text()

    def show(
        self, provider: str, simulated: bool, refresh: str, interval: float, health: FeedHealth
    ) -> None:
        # One line, cut with an ellipsis: the detail screen gives each symbol's reason in full.
        text = Text(no_wrap=True, overflow="ellipsis")
        if simulated:
            text.append(" SIMULATED ", style=colours().buy)
            text.append(" ")
        text.append(f"{provider} · {refresh} · every {interval:g} s")
        if len(health.sources) > 1 or (health.sources and health.sources[0][0] != provider):
            # A chain: say which of it gave the prices shown ("prices from Nasdaq 4").
            text.append(" · prices from " + ", ".join(f"{name} {count}" for name, count in health.sources))
        if health.headline:
            text.append(" │ ")
            text.append(health.headline.upper(), style="bold " + colours().stale)
        if health.stale:
            text.append(" │ ")
            text.append(f"STALE: {', '.join(health.stale)}", style=colours().stale)
        if health.suspect:
            text.append(" │ ")
            text.append(f"SUSPECT: {', '.join(health.suspect)}", style=colours().stale)
        if health.retry_in is not None:
            # Before the reasons, which the ellipsis may cut: the countdown is what changes.
            text.append(" │ ")
            text.append(f"retrying in {health.retry_in} s", style=colours().stale)
        if health.problems:
            text.append(" │ ")
            text.append("; ".join(health.problems), style=colours().stale)
        # One line, always: an unchanged text costs nothing, a new one no layout pass.
        if text != self._shown or str(text.style) != str(self._shown.style):
            self._shown = text
            self.update(text, layout=False)
