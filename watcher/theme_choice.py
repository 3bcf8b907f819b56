"""Which theme the app shows: the theme files registered, and one place that decides a name is unknown."""

from __future__ import annotations

from typing import Any

from textual.app import App

from watcher.themes import DEFAULT_THEME, load_themes


def register_theme_files(app: App[Any]) -> list[str]:
    """Register the bundled and the user's theme files; one sentence per file that is unusable."""
    loaded = load_themes()
    for theme in loaded.themes.values():
        app.register_theme(theme)
    return [f"{problem}. That theme is not available." for problem in loaded.problems]


def known_theme(app: App[Any], name: str) -> tuple[str, str | None]:
    """`name` if a theme is called so, else the default and why it stands in."""
    if name in app.available_themes:
        return name, None
    known = ", ".join(sorted(app.available_themes))
    return DEFAULT_THEME, f"No theme is called {name!r}; using {DEFAULT_THEME}. Themes: {known}"
