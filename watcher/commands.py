"""The command palette's entries: refresh, open a ticker, theme, alert log, feed, edit, group, sort."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from watcher.domain.sorting import SORT_KEYS

if TYPE_CHECKING:
    from watcher.app import NeowatchApp

# The grid's headers, for "Sort by …".
SORT_NAMES = {
    "symbol": "symbol", "signal": "BUY first", "name": "name", "price": "price", "day": "day change",
    "age": "age", "mcap": "market cap", "ratio": "market cap ÷ ARR", "arr": "ARR end-2025",
    "power_now": "power now", "power_2026": "power end-2026", "pue": "PUE", "power_price": "power price",
    "clustermax": "ClusterMAX rating",
}

Command = tuple[str, str, Callable[[], object]]


class NeowatchCommands(Provider):
    @property
    def watcher(self) -> NeowatchApp:
        return cast("NeowatchApp", self.app)

    def commands(self) -> Iterator[Command]:
        app = self.watcher
        session, main = app.session, app.main_screen
        yield "Refresh now", "Fetch every price again", app.action_refresh
        for symbol in session.config.symbols:
            company = session.companies.get(symbol)
            name = f" — {company.name}" if company else ""
            yield f"Open {symbol}{name}", f"The detail of {symbol}", partial(app.open_detail, symbol)
        for theme in sorted(app.available_themes):
            yield f"Theme: {theme}", "Switch the colours", partial(app.choose_theme, theme)
        yield "Alert log", "Every alert fired, newest first", app.action_alert_log
        yield "Feed problems", "Every failing, stale or suspect symbol, why and since when", app.action_feed_problems
        yield "Edit portfolio file", f"Open {session.config.path} in $VISUAL or $EDITOR", app.action_edit_portfolio
        for group in main.group_names:
            yield f"Group: {group}", "Show only this group in the grid", partial(main.show_group, group)
        for column in SORT_KEYS:
            yield f"Sort by {SORT_NAMES.get(column, column)}", "Order the grid", partial(main.sort_by, column, False)
        yield "Sort as in the file", "The grid in the portfolio file's order", partial(main.sort_by, None, False)

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
