"""Theme files (TOML) → Textual themes: the bundled ones, and the user's in the config folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from watcher import paths

DEFAULT_THEME = "neowatch-dark"
# The app's own colours; every theme gets them, a theme file may set its own.
VARIABLE_DEFAULTS = {
    "gain": "#3FB950",
    "loss": "#F85149",
    "alert": "#3FB950",
    "alert-text": "#0E1117",
    "stale": "#D29922",
}


@dataclass(frozen=True, slots=True)
class LoadedThemes:
    themes: dict[str, Theme]
    problems: tuple[str, ...]
    """One sentence per theme file that could not be used."""


def theme_from_file(path: Path) -> Theme:
    """Read one theme file; raise ValueError with a sentence naming the file on any problem.

    A text checked before (watcher.validated) is not checked again.
    """
    from watcher.validated import validated_cache

    def check(text: str) -> dict[str, Any]:
        from watcher.schemas import check_theme

        return check_theme(text, path, _is_colour)

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"theme file {path} cannot be read ({error})") from None
    return validated_cache().load("theme", text, check, lambda data: _theme(data, path.stem))


def _is_colour(value: str) -> bool:
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True


def _theme(data: Mapping[str, Any], default_name: str) -> Theme:
    colours = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
               "success", "warning", "error")
    return Theme(
        name=data["name"] or default_name,
        dark=data["dark"],
        variables={**VARIABLE_DEFAULTS, **data["variables"]},
        **{name: data[name] for name in colours},
    )


def theme_folders() -> list[Path]:
    """The bundled themes (in the package, or beside it in a checkout), then the user's."""
    return [paths.bundled("themes"), paths.config_dir() / "themes"]


def load_themes(folders: list[Path] | None = None) -> LoadedThemes:
    """Every *.toml theme found; a broken file is skipped and named in `problems`."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in theme_folders() if folders is None else folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except ValueError as error:
                problems.append(str(error))
                continue
            themes[theme.name] = theme
    return LoadedThemes(themes, tuple(problems))
