"""What a new version of the portfolio file changed, as the Session tells the screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from watcher.config import Config

if TYPE_CHECKING:
    from watcher.feed import Feed


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """What a new version of the portfolio file changed, for the screen to follow."""

    keys: bool = False
    key_notices: tuple[str, ...] = ()
    """What the new [keys] table gets wrong and the last version did not (to say once)."""
    theme: str | None = None
    """The file's new theme, when it names another."""
    retired_feed: Feed | None = None
    """The retired feed (to close), when the file changed where prices come from."""
    sec: bool = False
    """New symbols or SEC settings: the filings are to be loaded again."""
    refresh: bool = False
    """New symbols, a new feed or a new interval: fetch now."""


@dataclass(frozen=True, slots=True)
class Reload:
    """The outcome of reading the portfolio file again."""

    error: str | None = None
    """Why this version was not applied (the last good one stays in use)."""
    fixed: bool = False
    """The version before had an error and this one has none."""
    change: ConfigChange | None = None
    """None when the file reads as before."""


def provider_settings(config: Config) -> tuple[object, ...]:
    """What decides which provider a file asks for: a change here means a new Feed."""
    return (config.settings.provider, config.yahoo_url(), config.finnhub_url(), config.finnhub_token())
