"""Theme files (TOML) → Textual themes: the bundled ones, and the user's in the config folder."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
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


def _colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour (write e.g. \"#4EA1FF\" or \"red\")") from None
    return value


class ThemeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    """Defaults to the file's name without .toml."""
    dark: bool = True
    primary: str
    secondary: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator(
        "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
        "success", "warning", "error",
    )
    @classmethod
    def _is_colour(cls, value: str | None) -> str | None:
        return None if value is None else _colour(value)

    @field_validator("variables")
    @classmethod
    def _variables_are_colours(cls, variables: dict[str, str]) -> dict[str, str]:
        for value in variables.values():
            _colour(value)
        return variables


@dataclass(frozen=True, slots=True)
class LoadedThemes:
    themes: dict[str, Theme]
    problems: tuple[str, ...]
    """One sentence per theme file that could not be used."""


def theme_from_file(path: Path) -> Theme:
    """Read one theme file; raise ValueError with a sentence naming the file on any problem."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
        model = ThemeFile.model_validate(raw)
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"theme file {path} cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"theme file {path} is not valid TOML: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ValueError(f"theme file {path}: {where}: {message}") from None
    return Theme(
        name=model.name or path.stem,
        primary=model.primary,
        secondary=model.secondary,
        accent=model.accent,
        foreground=model.foreground,
        background=model.background,
        surface=model.surface,
        panel=model.panel,
        success=model.success,
        warning=model.warning,
        error=model.error,
        dark=model.dark,
        variables={**VARIABLE_DEFAULTS, **model.variables},
    )


def theme_folders() -> list[Path]:
    """The bundled themes (in the package, or beside it in a checkout), then the user's."""
    folders = []
    packaged = resources.files("watcher").joinpath("themes")
    if packaged.is_dir():
        folders.append(Path(str(packaged)))
    else:
        folders.append(Path(__file__).resolve().parent.parent / "themes")
    folders.append(paths.config_dir() / "themes")
    return folders


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
