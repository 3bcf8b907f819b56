"""The main screen: comparison grid, portfolio, buy conditions and the status line."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from watcher.domain.overview import Overview
from watcher.domain.sorting import sort_rows
from watcher.widgets.cells import colours
from watcher.widgets.company_grid import COLUMNS as GRID_COLUMNS
from watcher.widgets.company_grid import CompanyGrid
from watcher.widgets.conditions_panel import ConditionsPanel
from watcher.widgets.portfolio_panel import PortfolioPanel
from watcher.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from watcher.app import NeowatchApp


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_detail", "Detail", id="open_detail"),
        Binding("j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="cursor_up"),
    ]

    @property
    def watcher(self) -> NeowatchApp:
        return cast("NeowatchApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="file-error")
        with VerticalScroll(id="body", can_focus=False):
            yield CompanyGrid(id="grid")
            yield PortfolioPanel(id="portfolio")
            yield ConditionsPanel(id="conditions")
        yield StatusLine(id="status")
        yield Footer()

    _title_shown: Text | None = None

    def _title(self) -> None:
        app = self.watcher
        title = Text("neowatch", style="bold")
        if app.provider.simulated:
            title.append("  ")
            title.append(" SIMULATED PRICES ", style=colours().buy)
        # What the user chose (group, sort) first: a narrow terminal cuts the end of the line.
        if len(app.group_names) > 1:
            title.append("  ·  group: ", style="dim")
            title.append(app.group, style="bold")
        state = app.screen_state
        if state.sort_column:
            header = dict((key, label) for key, label, _ in GRID_COLUMNS).get(state.sort_column, state.sort_column)
            title.append("  ·  sorted by ", style="dim")
            title.append(f"{header} {'▼' if state.sort_reverse else '▲'}", style="bold")
        title.append(f"  ·  {app.config.path}", style="dim")
        if app.overview and any(row.old_figures for row in app.overview.rows):
            months = app.config.settings.figure_max_age_months
            title.append(f"  ·  * figure older than {months} months (Enter: dates and sources)", style="dim")
        if title != self._title_shown:
            self._title_shown = title
            self.query_one("#title", Static).update(title, layout=False)

    def on_mount(self) -> None:
        self._title()
        self.watch(self.app, "overview", self.show, init=True)
        self.watch(self.app, "file_error", self.show_file_error, init=True)

    def show_file_error(self, error: str | None) -> None:
        """A bad save stays on screen, with its line and field, until the file is fixed."""
        banner = self.query_one("#file-error", Static)
        banner.display = error is not None
        if error is not None:
            text = Text("This save of the portfolio file was not applied: the last good version "
                        "stays in use until the file is fixed and saved again.\n", style="bold")
            text.append(error)
            banner.update(text)

    def show(self, overview: Overview | None) -> None:
        if overview is None:
            return
        app = self.watcher
        state = app.screen_state
        visible = set(app.visible_symbols())
        rows = sort_rows([r for r in overview.rows if r.symbol in visible], state.sort_column, state.sort_reverse)
        with self.app.batch_update():
            self.query_one(CompanyGrid).show(rows)
            self._title()
            self.query_one(PortfolioPanel).show(overview)
            self.query_one(ConditionsPanel).show(overview)
            self.watcher.show_status(self.query_one(StatusLine))

    def on_company_grid_header_clicked(self, event: CompanyGrid.HeaderClicked) -> None:
        """A click on a grid header sorts by that column; again, the other way round."""
        event.stop()
        self.watcher.sort_by(event.column)

    def on_screen_resume(self) -> None:
        # Back from a detail where ] and [ moved on: the grid follows to that company.
        symbol = self.watcher.last_detail
        grid = self.query_one(CompanyGrid)
        if symbol and symbol in grid.symbols:
            grid.move_cursor(row=grid.get_row_index(symbol))

    def action_cursor_down(self) -> None:
        self.query_one(CompanyGrid).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(CompanyGrid).action_cursor_up()

    def action_open_detail(self) -> None:
        symbol = self.query_one(CompanyGrid).selected_symbol
        if symbol:
            self.watcher.open_detail(symbol)

    def on_company_grid_selected(self, event: CompanyGrid.Selected) -> None:
        # Enter on the focused grid, or a click on a row, arrives here; the screen binding
        # covers other focus.
        event.stop()
        self.watcher.open_detail(event.symbol)
