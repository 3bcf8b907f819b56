"""The main screen: comparison grid, portfolio, buy conditions and the status line.

It owns its view: the group shown and the grid's sort order (remembered between runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from watcher.domain.overview import Overview
from watcher.domain.sorting import SORT_KEYS, next_sort_column, sort_rows
from watcher.keys import MAIN_KEYS
from watcher.session import ALL, Session
from watcher.state import ScreenState, load_state, save_state
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
        # Tab cycles the groups rather than the focus: priority lets it win over the widgets.
        *(Binding(key.key, key.action, key.description, show=key.show, id=key.id, priority=key.key == "tab")
          for key in MAIN_KEYS),
    ]

    def __init__(self, session: Session, state_path: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.state_path = state_path
        self.screen_state = ScreenState()
        self.group_index = 0
        self._title_shown: Text | None = None

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

    def on_mount(self) -> None:
        if self.state_path is not None:
            self.screen_state, problem = load_state(self.state_path)
            if problem:
                self.notify(problem, severity="warning", timeout=10, markup=False)
        self._title()
        self.watch(self.app, "overview", self.show, init=True)
        self.watch(self.app, "file_error", self.show_file_error, init=True)

    # --- groups and sorting ----------------------------------------------------------------

    @property
    def group_names(self) -> list[str]:
        return [ALL, *self.session.groups()]

    @property
    def group(self) -> str:
        names = self.group_names
        return names[self.group_index % len(names)]

    def action_next_group(self) -> None:
        self.group_index = (self.group_index + 1) % len(self.group_names)
        self.show(self.watcher.overview)

    def show_group(self, name: str) -> None:
        if name in self.group_names:
            self.group_index = self.group_names.index(name)
            self.show(self.watcher.overview)

    def sort_by(self, column: str | None, reverse: bool | None = None) -> None:
        """Sort the grid by `column`; the same column again flips the direction."""
        if column is not None and column not in SORT_KEYS:
            return
        current = self.screen_state
        if reverse is None:
            reverse = not current.sort_reverse if column == current.sort_column else False
        self.screen_state = ScreenState(column, reverse)
        if self.state_path is not None:
            try:
                save_state(self.state_path, self.screen_state)
            except OSError as error:
                self.notify(f"Could not remember the sort order: {error.strerror or error}", severity="warning",
                            markup=False)
        self.show(self.watcher.overview)

    def action_sort(self) -> None:
        self.sort_by(next_sort_column(self.screen_state.sort_column), reverse=False)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.screen_state.sort_column, reverse=not self.screen_state.sort_reverse)

    # --- showing ------------------------------------------------------------------------------

    def _title(self) -> None:
        session = self.session
        title = Text("neowatch", style="bold")
        if session.feed.simulated:
            title.append("  ")
            title.append(" SIMULATED PRICES ", style=colours().buy)
        # What the user chose (group, sort) first: a narrow terminal cuts the end of the line.
        if len(self.group_names) > 1:
            title.append("  ·  group: ", style="dim")
            title.append(self.group, style="bold")
        state = self.screen_state
        if state.sort_column:
            header = {key: label for key, label, _ in GRID_COLUMNS}.get(state.sort_column, state.sort_column)
            title.append("  ·  sorted by ", style="dim")
            title.append(f"{header} {'▼' if state.sort_reverse else '▲'}", style="bold")
        title.append(f"  ·  {session.config.path}", style="dim")
        overview = self.watcher.overview
        if overview and any(row.old_figures for row in overview.rows):
            months = session.config.settings.figure_max_age_months
            title.append(f"  ·  * figure older than {months} months (Enter: dates and sources)", style="dim")
        if title != self._title_shown:
            self._title_shown = title
            self.query_one("#title", Static).update(title, layout=False)

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
        state = self.screen_state
        visible = set(self.session.group_symbols(self.group))
        rows = sort_rows([r for r in overview.rows if r.symbol in visible], state.sort_column, state.sort_reverse)
        with self.app.batch_update():
            self.query_one(CompanyGrid).show(rows)
            self._title()
            self.query_one(PortfolioPanel).show(overview)
            self.query_one(ConditionsPanel).show(overview)
            self.show_status()

    def show_status(self) -> None:
        self.watcher.show_status(self.query_one(StatusLine))

    def on_company_grid_header_clicked(self, event: CompanyGrid.HeaderClicked) -> None:
        """A click on a grid header sorts by that column; again, the other way round."""
        event.stop()
        self.sort_by(event.column)

    # --- the detail -----------------------------------------------------------------------------

    def open_detail(self, symbol: str) -> None:
        # Imported here: the chart library costs start-up time the first screen does not need.
        from watcher.screens.detail import DetailScreen

        if isinstance(self.app.screen, DetailScreen):  # from the palette inside a detail: no second one
            self.app.screen.show_company(symbol)
            return
        order = tuple(self.query_one(CompanyGrid).symbols)
        self.app.push_screen(DetailScreen(self.session, symbol, self.watcher.local_tz, order=order), self.follow)

    def follow(self, symbol: str | None) -> None:
        """Back from a detail where ] and [ moved on: the grid follows to that company."""
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
            self.open_detail(symbol)

    def on_company_grid_selected(self, event: CompanyGrid.Selected) -> None:
        # Enter on the focused grid, or a click on a row, arrives here; the screen binding
        # covers other focus.
        event.stop()
        self.open_detail(event.symbol)
