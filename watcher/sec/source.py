"""The SEC source as one call: symbols in, each company's figures or the reason there are none out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx

from watcher.domain.fundamentals import Figure
from watcher.sec.cache import SecCache, utc_now
from watcher.sec.client import SecClient, Throttle
from watcher.sec.facts import SecFigures, SecUnavailable, parse_cik, pick_figures
from watcher.sec_contact import (  # noqa: F401 - part of this module's interface
    BAD_CONTACT_REASON,
    NO_CONTACT_REASON,
    SEC_CONTACT_ENV,
    SEC_URL_ENV,
    contact_problem,
    sec_base_url,
    sec_contact,
)


def parse_tickers(body: object) -> dict[str, int]:
    """company_tickers.json as ticker → CIK; the rank keys mean nothing and are dropped."""
    tickers: dict[str, int] = {}
    if not isinstance(body, dict):
        return tickers
    for row in body.values():
        if not isinstance(row, dict) or not isinstance(row.get("ticker"), str):
            continue
        cik = parse_cik(row.get("cik_str"))
        if cik is not None:
            tickers.setdefault(normal_ticker(row["ticker"]), cik)
    return tickers


def normal_ticker(symbol: str) -> str:
    # The SEC writes share classes with a hyphen (BRK-B) where many users type a dot.
    return symbol.strip().upper().replace(".", "-")


async def sec_figures(
    symbols: Iterable[str],
    contact: str | None,
    client: httpx.AsyncClient,
    cache_dir: Path,
    base_url: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    *,
    throttle: Throttle | None = None,
    cache: SecCache | None = None,
) -> dict[str, SecFigures | SecUnavailable]:
    """Figures per symbol from the cache or the SEC; never raises, each failure says why."""
    unique = list(dict.fromkeys(s for s in symbols if s.strip()))
    problem = contact_problem(contact)
    if problem is not None or contact is None:
        return {s: SecUnavailable(problem or NO_CONTACT_REASON, "no_contact") for s in unique}
    cache = cache or SecCache(cache_dir, clock)
    sec = SecClient(client, contact.strip(), base_url, throttle)
    try:
        tickers = await _tickers(sec, cache)
    except Exception:  # noqa: BLE001 - the source promises failures as values, never exceptions
        tickers = SecUnavailable("could not read the SEC's ticker list", "bad_response")
    if isinstance(tickers, SecUnavailable):
        return {s: tickers for s in unique}
    ciks = {s: tickers.get(normal_ticker(s)) for s in unique}
    # GOOG and GOOGL are one company: one request serves both.
    wanted = list(dict.fromkeys(cik for cik in ciks.values() if cik is not None))
    found = await asyncio.gather(*(_company(sec, cache, cik) for cik in wanted))
    by_cik = dict(zip(wanted, found, strict=True))
    return {
        s: by_cik[cik] if cik is not None else SecUnavailable(
            f"the SEC's ticker list has no {s}: it lists only current tickers of SEC filers",
            "unknown_ticker")
        for s, cik in ciks.items()
    }


async def _tickers(sec: SecClient, cache: SecCache) -> dict[str, int] | SecUnavailable:
    cached = cache.load_tickers()
    if cached is not None and cached.fresh and (known := parse_tickers(cached.body)):
        return known
    body = await sec.tickers()
    if not isinstance(body, SecUnavailable):
        known = parse_tickers(body)
        if not known:
            return SecUnavailable("the SEC's ticker list had no tickers in it", "bad_response")
        cache.save_tickers(body)
        return known
    # A week-old list still maps tickers to CIKs correctly but for the newest listings.
    stale = parse_tickers(cached.body) if cached is not None else {}
    return stale or body


async def _company(sec: SecClient, cache: SecCache, cik: int) -> SecFigures | SecUnavailable:
    try:
        cached = cache.load_facts(cik)
        if cached is not None and cached.fresh:
            figures = pick_figures(cached.body)
            if isinstance(figures, SecFigures):
                return figures
        body = await sec.company_facts(cik)
        if isinstance(body, SecUnavailable):
            if cached is None:
                return body
            figures = pick_figures(cached.body)
            when = cached.fetched_at.date().isoformat()
            stale = f"{body.reason}; these figures were fetched on {when}"
            return replace(figures, stale=stale) if isinstance(figures, SecFigures) else body
        figures = pick_figures(body)
        if isinstance(figures, SecFigures):  # a body the rules cannot use is not worth keeping
            cache.save_facts(cik, body)
        return figures
    except Exception:  # noqa: BLE001 - one odd company must not sink the others
        return SecUnavailable(f"could not read the SEC's company facts for CIK {cik:010d}", "bad_response")


def _source(form: str, filed: object) -> str:
    return f"SEC {form} filed {filed}"


def _amount(value: float, currency: str | None) -> float | str:
    # Figures in USD feed valuations; another currency is shown, never silently taken for dollars.
    return value if currency in (None, "USD") else f"{value:,.0f} {currency}"


def _note(*parts: str | None) -> str | None:
    return "; ".join(p for p in parts if p) or None


def to_figures(sec: SecFigures) -> dict[str, Figure]:
    """The SEC figures as neowatch figures, each with its period end and its filing."""
    figures: dict[str, Figure] = {}
    cur = sec.currency
    in_cur = f"in {cur}, as reported; not converted" if cur not in (None, "USD") else None
    if (s := sec.shares) is not None:
        figures["shares_outstanding"] = Figure(
            s.value, s.as_of, _source(s.form, s.filed), _note(f"{s.tag} ({s.basis})", sec.stale))
    if (a := sec.annual_revenue) is not None:
        only = f"annual only, as of {a.end}" if sec.annual_only else None
        figures["revenue_annual"] = Figure(
            _amount(a.value, cur), a.end, _source(a.form, a.filed),
            _note(f"fiscal year {a.start} to {a.end}", only, in_cur, sec.stale))
        if sec.annual_only:
            why = f"a {a.form.removesuffix('/A')} filer reports no quarters"
            for key in ("revenue_quarter", "revenue_ttm"):
                figures[key] = Figure(f"annual only, as of {a.end}", a.end, _source(a.form, a.filed),
                                      _note(why, sec.stale))
    if (q := sec.quarter_revenue) is not None:
        figures["revenue_quarter"] = Figure(
            _amount(q.value, cur), q.end, _source(q.form, q.filed),
            _note(f"{q.start} to {q.end}", q.derived, in_cur, sec.stale))
    if (t := sec.ttm_revenue) is not None:
        figures["revenue_ttm"] = Figure(
            _amount(t.value, cur), t.end, _source(t.form, t.filed), _note(t.how, in_cur, sec.stale))
    return figures
