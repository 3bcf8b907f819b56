"""The app's side of how things look: themes, remapped keys, groups and the grid's sort order."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.theme import Theme

from watcher.domain.sorting import SORT_KEYS, next_sort_column
from watcher.state import ScreenState, load_state, save_state
from watcher.themes import DEFAULT_THEME, VARIABLE_DEFAULTS, load_themes
from watcher.widgets.cells import Colours, use_colours

if TYPE_CHECKING:
    from watcher.app import NeowatchApp

    _Base = NeowatchApp
else:
    _Base = object

ALL = "All"


class ViewMixin(_Base):
    theme_name: str | None
    state_path: Path | None
    screen_state: ScreenState
    group_index: int

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Textual's own themes get neowatch's colours too.
        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def choose_theme(self) -> None:
        """Register the theme files and set the theme, before the app runs: the stylesheet is
        then read once, with the theme's colours (not once with Textual's and again with ours).
        What is wrong with a theme is said once the screen is up (setup_view)."""
        loaded = load_themes()
        for theme in loaded.themes.values():
            self.register_theme(theme)
        self._theme_problems = [f"{problem}. That theme is not available." for problem in loaded.problems]
        name, problem = self._known_theme(self.theme_name or self.config.settings.theme or DEFAULT_THEME)
        if problem:
            self._theme_problems.append(problem)
        self.theme = name
        self.stylesheet.set_variables(self.get_css_variables())
        self._on_theme_changed(self.current_theme)

    def setup_view(self) -> None:
        """Say what was wrong with a theme, follow theme changes, apply the keymap, read the saved sort."""
        for problem in self._theme_problems:
            self.notify(problem, severity="warning", timeout=12, markup=False)
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if self.config.keys:  # an empty keymap would only make the footer redraw its keys
            self.set_keymap(self.config.keys)
        if self.state_path is not None:
            self.screen_state, problem = load_state(self.state_path)
            if problem:
                self.notify(problem, severity="warning", timeout=10)

    def use_theme(self, name: str) -> None:
        name, problem = self._known_theme(name)
        if problem:
            self.notify(problem, severity="warning", timeout=12, markup=False)
        self.theme = name
        self._on_theme_changed(self.current_theme)

    def _known_theme(self, name: str) -> tuple[str, str | None]:
        """`name` if a theme is called so, else the default and why it stands in."""
        if name in self.available_themes:
            return name, None
        known = ", ".join(sorted(self.available_themes))
        return DEFAULT_THEME, f"No theme is called {name!r}; using {DEFAULT_THEME}. Themes: {known}"

    def _on_theme_changed(self, theme: Theme) -> None:
        # From the theme itself: the app's CSS variables are rebuilt only later.
        use_colours(Colours.from_theme({**VARIABLE_DEFAULTS, **theme.variables}))
        if self.overview is not None:
            self.recompute()

    # --- groups ---------------------------------------------------------------------

    @property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """The file's groups; without any, the analysis' tiers of the companies on screen."""
        if self.config.groups:
            return dict(self.config.groups)
        tiers: dict[str, list[str]] = {}
        for symbol in self.config.symbols:
            company = self.companies.get(symbol)
            if company and company.tier:
                tiers.setdefault(company.tier, []).append(symbol)
        return {tier: tuple(symbols) for tier, symbols in tiers.items()} if len(tiers) > 1 else {}

    @property
    def group_names(self) -> list[str]:
        return [ALL, *self.groups]

    @property
    def group(self) -> str:
        names = self.group_names
        return names[self.group_index % len(names)]

    def visible_symbols(self) -> tuple[str, ...]:
        if self.group == ALL:
            return self.config.symbols
        return tuple(self.groups.get(self.group, ()))

    def action_next_group(self) -> None:
        self.group_index = (self.group_index + 1) % len(self.group_names)
        self.recompute()

    def show_group(self, name: str) -> None:
        if name in self.group_names:
            self.group_index = self.group_names.index(name)
            self.recompute()

    # --- sorting --------------------------------------------------------------------

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
                self.notify(f"Could not remember the sort order: {error.strerror or error}", severity="warning")
        self.recompute()

    def action_sort(self) -> None:
        self.sort_by(next_sort_column(self.screen_state.sort_column), reverse=False)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.screen_state.sort_column, reverse=not self.screen_state.sort_reverse)
