"""The bundled analysis' fundamentals, read from package data and merged with the user's figures."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watcher import paths
from watcher.config import Config, company_from_data
from watcher.domain.fundamentals import Company, merge_companies

if TYPE_CHECKING:
    import httpx


def _companies_from_data(data: Mapping[str, Any]) -> dict[str, Company]:
    defaults = data["defaults"]
    as_of = date.fromisoformat(defaults["as_of"]) if defaults["as_of"] else None
    return {
        symbol: company_from_data(symbol, company, as_of, defaults["source"])
        for symbol, company in data["companies"].items()
    }


@cache
def bundled_companies() -> dict[str, Company]:
    """The four companies of the analysis, every figure with its as-of date and source."""
    from watcher.validated import validated_cache

    def check(text: str) -> dict[str, Any]:
        from watcher.schemas import check_fundamentals

        return check_fundamentals(text)

    text = paths.bundled("data/fundamentals.toml").read_text("utf-8")
    return validated_cache().load("fundamentals", text, check, _companies_from_data)


@dataclass(frozen=True, slots=True)
class SecResult:
    """What the SEC gave, as companies to merge, and per symbol why it gave nothing."""

    companies: dict[str, Company]
    unavailable: dict[str, str]
    warnings: tuple[str, ...] = ()


def sec_settings(config: Config, environ: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """The contact and base URL, the environment winning over the file."""
    from watcher.sec_contact import sec_base_url, sec_contact

    env = os.environ if environ is None else environ
    return sec_contact(config.settings.sec_contact, env), sec_base_url(config.settings.sec_url, env)


async def load_sec(
    config: Config,
    client: httpx.AsyncClient,
    cache_dir: Path,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    environ: Mapping[str, str] | None = None,
    symbols: Sequence[str] | None = None,
) -> SecResult:
    """SEC figures for `symbols` (default: every symbol on screen); never raises."""
    from watcher.sec.cache import SecCache
    from watcher.sec.source import SecUnavailable, sec_figures, to_figures

    contact, base_url = sec_settings(config, environ)
    cache = SecCache(cache_dir, clock)
    wanted = config.symbols if symbols is None else symbols
    found = await sec_figures(wanted, contact, client, cache_dir, base_url, clock, cache=cache)
    companies: dict[str, Company] = {}
    unavailable: dict[str, str] = {}
    for symbol, result in found.items():
        if isinstance(result, SecUnavailable):
            unavailable[symbol] = result.reason
        else:
            companies[symbol] = Company(symbol=symbol, name="", figures=to_figures(result))
    return SecResult(companies, unavailable, tuple(cache.warnings))


async def fetch_sec(
    config: Config,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    symbols: Sequence[str] | None = None,
) -> SecResult:
    """The SEC's figures with a client of their own, or, without a contact, why there are none
    (nothing is asked). The one way every caller loads them; never raises."""
    wanted = config.symbols if symbols is None else symbols
    if sec_settings(config)[0] is None:
        from watcher.sec_contact import NO_CONTACT_REASON

        return SecResult({}, dict.fromkeys(wanted, NO_CONTACT_REASON))
    from watcher.quotes.http import make_http_client

    client = make_http_client()
    try:
        return await load_sec(config, client, paths.cache_dir() / "sec", clock, symbols=wanted)
    finally:
        await client.aclose()


def companies_with(user: dict[str, Company], sec: dict[str, Company] | None = None) -> dict[str, Company]:
    """The bundled analysis, then the SEC's filings over it, then the user's own figures over both."""
    return merge_companies(merge_companies(bundled_companies(), sec or {}), user)
