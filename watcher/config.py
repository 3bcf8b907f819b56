"""The portfolio file as neowatch uses it: Config, and load_config(path) with errors in words.

What the file may hold is checked by the pydantic models of watcher.schemas; this module builds
the app's objects from the checked data. A text checked before is not checked again (see
watcher.validated), so a start with an unchanged file imports no pydantic at all.

The imports go one way: watcher.toml_errors (ConfigError and its words) ← watcher.schemas ←
watcher.config. This module imports the schemas only when a text is to be checked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from watcher.domain.conditions import BuyCondition
from watcher.domain.fundamentals import Company, Figure
from watcher.domain.portfolio import CashAmount, Holding, Lot, OtherAsset, Portfolio
from watcher.keys import check_keymap
from watcher.toml_errors import ConfigError  # defined beside the messages it carries; imported from here

USER_FIGURE_SOURCE = "your portfolio file"
YAHOO_URL_ENV = "NEOWATCH_YAHOO_URL"
FINNHUB_URL_ENV = "NEOWATCH_FINNHUB_URL"
FINNHUB_TOKEN_ENV = "NEOWATCH_FINNHUB_TOKEN"

# The defaults and limits of every setting are the schema's (watcher.schemas.SettingsModel and
# AlertSettingsModel); these hold what a checked file says.


@dataclass(frozen=True, slots=True)
class Settings:
    base_currency: str
    refresh_interval: float
    stale_after_refreshes: int
    provider: tuple[str, ...]
    yahoo_url: str | None
    finnhub_url: str | None
    figure_max_age_months: int
    sec_contact: str | None
    sec_url: str | None
    theme: str | None
    finnhub_token: str | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class AlertSettings:
    toast: bool
    bell: bool
    desktop: bool
    command: tuple[str, ...] | None
    hysteresis_pct: float


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    portfolio: Portfolio
    watchlist: tuple[str, ...]
    conditions: tuple[BuyCondition, ...]
    companies: dict[str, Company]
    """The user's own figures and companies, to merge over the bundled ones."""
    settings: Settings
    alerts: AlertSettings
    keys: dict[str, str]
    """The [keys] table as it can be used (see watcher.keys.check_keymap)."""
    groups: dict[str, tuple[str, ...]]
    key_notices: tuple[str, ...] = ()
    """What of the [keys] table is not used, and why: shown at the start."""

    @property
    def symbols(self) -> tuple[str, ...]:
        """Every symbol on screen: holdings, the watchlist, then any other condition's or group's."""
        ordered = [h.symbol for h in self.portfolio.holdings]
        ordered += list(self.watchlist) + [c.symbol for c in self.conditions]
        ordered += [symbol for members in self.groups.values() for symbol in members]
        return tuple(dict.fromkeys(ordered))

    def yahoo_url(self, environ: dict[str, str] | None = None) -> str | None:
        env = os.environ if environ is None else environ
        return env.get(YAHOO_URL_ENV) or self.settings.yahoo_url

    def finnhub_url(self, environ: dict[str, str] | None = None) -> str | None:
        env = os.environ if environ is None else environ
        return env.get(FINNHUB_URL_ENV) or self.settings.finnhub_url

    def finnhub_token(self, environ: dict[str, str] | None = None) -> str | None:
        env = os.environ if environ is None else environ
        return (env.get(FINNHUB_TOKEN_ENV) or "").strip() or self.settings.finnhub_token


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def company_from_data(
    symbol: str, data: Mapping[str, Any], default_as_of: date | None, default_source: str
) -> Company:
    """A company from its checked table; its name is empty when not given, so a merge keeps the bundled one."""
    figures = {
        key: Figure(
            value=figure["value"],
            as_of=_day(figure["as_of"]) or default_as_of,
            source=figure["source"] or default_source,
            note=figure["note"],
        )
        for key, figure in data["figures"].items()
        if figure is not None
    }
    return Company(
        symbol=symbol,
        name=data["name"] or "",
        tier=data["tier"],
        view=data["view"],
        notes=data["notes"],
        figures=figures,
    )


def _holding(data: Mapping[str, Any]) -> Holding:
    if data["lots"]:
        lots = tuple(Lot(lot["shares"], lot["cost_per_share"]) for lot in data["lots"])
    else:
        lots = (Lot(data["shares"], data["cost_per_share"]),)
    return Holding(data["symbol"], lots, data["currency"])


def build_config(path: Path, data: Mapping[str, Any]) -> Config:
    """The Config of a file whose contents were checked (watcher.schemas.check_portfolio)."""
    settings = dict(data["settings"])
    settings["provider"] = tuple(settings["provider"])
    alerts = dict(data["alerts"])
    alerts["command"] = None if alerts["command"] is None else tuple(alerts["command"])
    keys, key_notices = check_keymap(data["keys"])
    return Config(
        path=path,
        portfolio=Portfolio(
            holdings=tuple(_holding(h) for h in data["holdings"]),
            other_assets=tuple(OtherAsset(a["name"], a["value"], a["currency"]) for a in data["other_assets"]),
            cash=float(sum(table["amount"] for table in data["cash"] if table["currency"] is None)),
            foreign_cash=tuple(CashAmount(t["amount"], t["currency"]) for t in data["cash"] if t["currency"]),
        ),
        watchlist=tuple(dict.fromkeys(data["watchlist"])),
        conditions=tuple(BuyCondition(**condition) for condition in data["conditions"]),
        companies={
            symbol: company_from_data(symbol, company, None, USER_FIGURE_SOURCE)
            for symbol, company in data["companies"].items()
        },
        settings=Settings(**settings),
        alerts=AlertSettings(**alerts),
        keys=keys,
        groups={name: tuple(dict.fromkeys(symbols)) for name, symbols in data["groups"].items()},
        key_notices=key_notices,
    )


def _keeps_no_secret(data: Mapping[str, Any]) -> bool:
    # The key stays in the user's own file: it is not copied into the cache folder.
    return data["settings"]["finnhub_token"] is None


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _check_regular_file(path: Path) -> None:
    """A ConfigError unless `path` is a regular file (or a link to one), judged by stat alone:
    opening a named pipe to read it would wait for a writer forever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise ConfigError(f"{path}: a symbolic link to {os.readlink(path)}, which does not exist") from None
        raise ConfigError(f"{path}: no such file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(mode):
        kind = next((word for test, word in _KINDS if test(mode)), "not a file")
        raise ConfigError(f"{path}: not a regular file ({kind}); give the path of a portfolio .toml file")


def load_config(path: Path) -> Config:
    """Read a portfolio file and check it, unless the same text was checked before."""
    from watcher.validated import validated_cache

    _check_regular_file(path)
    try:
        # utf-8-sig: a file saved by an editor that writes a byte-order mark reads the same.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file (it is not valid UTF-8)") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None

    def check(text: str) -> dict[str, Any]:
        from watcher.schemas import check_portfolio

        return check_portfolio(text, path)

    return validated_cache().load(
        "portfolio", text, check, lambda data: build_config(path, data), keep=_keeps_no_secret
    )
