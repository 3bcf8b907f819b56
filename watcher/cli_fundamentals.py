"""`neowatch fundamentals`: every figure of a company with its value, unit, source, as-of date and age."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from watcher import format as fmt
from watcher.config import Config, ConfigError
from watcher.domain.fundamentals import FIGURE_KIND_BY_KEY, FIGURE_KINDS, Company, is_old, months_old
from watcher.fundamentals import SecResult
from watcher.text import clean_text

if TYPE_CHECKING:
    from watcher.session import Session

EPILOG = """\
Sources, the later winning: the bundled analysis (2025-09-25), SEC filings (with a contact:
NEOWATCH_SEC_CONTACT or settings.sec_contact, your e-mail, which the SEC requires), your file.

examples:
  neowatch fundamentals                 every company on your screen
  neowatch fundamentals NBIS --json     amounts as plain numbers (USD, shares)
"""


def add_command(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser(
        "fundamentals",
        help="every figure of a company: value, unit, source, as-of date and age",
        description="Every fundamental of a company with its value, unit, source, as-of date and age.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("symbol", nargs="?", help="one company (default: every company on screen)")
    command.add_argument("-p", "--portfolio", type=Path, help="portfolio file (default: yours)")
    command.add_argument("--json", action="store_true", help="JSON, amounts as plain numbers")


def origin(key: str, symbol: str, user: dict[str, Company], sec: dict[str, Company]) -> str:
    if symbol in user and key in user[symbol].figures:
        return "user"
    if symbol in sec and key in sec[symbol].figures:
        return "sec"
    return "analysis"


def describe(session: Session, symbols: list[str], today: date) -> list[dict[str, Any]]:
    config, sec, merged = session.config, session.sec, session.companies
    max_months = config.settings.figure_max_age_months
    out = []
    for symbol in symbols:
        company = merged.get(symbol)
        figures = []
        for kind in FIGURE_KINDS:
            figure = company.figure(kind.key) if company else None
            if figure is None:
                continue
            figures.append({
                "key": kind.key,
                "label": kind.label,
                "value": figure.value,
                "unit": kind.unit.value,
                "origin": origin(kind.key, symbol, config.companies, sec.companies),
                "source": figure.source,
                "as_of": figure.as_of.isoformat() if figure.as_of else None,
                "age_months": months_old(figure.as_of, today),
                "old": is_old(figure, today, max_months),
                "note": figure.note,
            })
        out.append({
            "symbol": symbol,
            "name": (company.name if company else None) or symbol,
            "sec": {"available": symbol in sec.companies, "reason": sec.unavailable.get(symbol)},
            "figures": figures,
        })
    return out


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from watcher.config import load_config
    from watcher.quotes.demo import DemoProvider
    from watcher.startup import make_session, resolve_portfolio

    out = out or sys.stdout
    try:
        path, notices = resolve_portfolio(args.portfolio)
        for notice in notices:
            print(notice, file=sys.stderr)
        config = load_config(path)
    except (ConfigError, OSError) as error:
        print(f"neowatch: {error}", file=sys.stderr)
        return 2
    symbols = list(config.symbols)
    if args.symbol:
        wanted = args.symbol.strip().upper()
        if not wanted.replace(".", "").replace("-", "").isalnum() or len(wanted) > 20:
            print(f"neowatch: {args.symbol!r} is not a ticker symbol", file=sys.stderr)
            return 2
        symbols = [wanted]
        config = _with_symbol(config, wanted)
    # The figures alone: the session's feed is never asked for a price.
    session = make_session(config, DemoProvider())

    async def fetch() -> None:
        try:
            session.apply_sec(await session.fetch_sec(symbols))
        finally:
            await session.aclose()

    asyncio.run(fetch())
    sec = session.sec
    companies = describe(session, symbols, datetime.now(UTC).date())
    if args.json:
        out.write(json.dumps({"companies": companies, "warnings": list(sec.warnings)}, indent=2,
                             ensure_ascii=False) + "\n")
    else:
        print_figures(companies, sec, out)
    return 0


def _with_symbol(config: Config, symbol: str) -> Config:
    from dataclasses import replace

    return config if symbol in config.symbols else replace(config, watchlist=(*config.watchlist, symbol))


def print_figures(companies: list[dict[str, Any]], sec: SecResult, out: TextIO) -> None:
    probe = Console(file=out)
    console = Console(file=out, highlight=False, width=probe.width if probe.is_terminal else 160)
    for company in companies:
        table = Table(title=f"{company['symbol']} · {clean_text(company['name'], 40)}", title_justify="left")
        for header in ("Figure", "Value", "Source", "As of", "Age", "Note"):
            table.add_column(header)
        for figure in company["figures"]:
            unit = FIGURE_KIND_BY_KEY[figure["key"]].unit.value
            age = f"{figure['age_months']} mo" if figure["age_months"] is not None else "—"
            table.add_row(
                figure["label"],
                Text(clean_text(fmt.figure_value(figure["value"], unit), 40) or ""),
                Text(clean_text(figure["source"], 56) or ""),
                figure["as_of"] or "not given",
                Text(age + (" OLD" if figure["old"] else ""), style="bold" if figure["old"] else ""),
                Text(clean_text(figure["note"], 50) or ""),
            )
        if company["figures"]:
            console.print(table)
        else:
            console.print(Text(f"{company['symbol']}: no figures from the analysis, the SEC or your file."))
        reason = company["sec"]["reason"]
        if reason:
            console.print(Text(f"SEC filings: {reason}", style="italic"))
        console.print()
    for warning in sec.warnings:
        console.print(Text(warning, style="italic"))
