"""`neowatch check` and `neowatch export`: one fetch, then a table, JSON or CSV, and an exit code."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from watcher import format as fmt
from watcher.config import ConfigError
from watcher.headless import Snapshot, snapshot_csv, take_snapshot, to_json
from watcher.paths import write_atomically
from watcher.text import clean_text

EXIT_NONE_MET = 0
EXIT_BUY = 1
EXIT_ERROR = 2
EXIT_CRASH = 3
"""An unexpected failure: never 0 or 1, which a script reads as an answer."""

CHECK_EPILOG = """\
exit codes:
  0  no buy condition is met
  1  at least one buy condition is met (the JSON's "buy" lists the symbols)
  2  an error: a bad portfolio file, or not a single price could be fetched
  3  an unexpected failure (a bug): the message says what

examples:
  neowatch check                      the table, on your portfolio file
  neowatch check --json | jq .buy     for a status bar
  neowatch check || notify-send "neowatch: BUY"   in a cron job
"""

EXPORT_EPILOG = """\
examples:
  neowatch export --csv > neocloud.csv
  neowatch export ~/p.toml --json -o snapshot.json
"""


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check",
        help="fetch once, print the grid and the conditions, exit 1 if a buy condition is met",
        description="Fetch every price once and print the grid and the buy conditions.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("portfolio", nargs="?", type=Path, help="portfolio file (default: yours)")
    check.add_argument("--json", action="store_true", help="JSON instead of a table (fields: see the README)")
    check.add_argument("--demo", action="store_true", help="simulated prices")
    export = subparsers.add_parser(
        "export",
        help="fetch once and write the grid and the positions as CSV or JSON",
        description="Fetch every price once and write the grid and the positions.",
        epilog=EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("portfolio", nargs="?", type=Path, help="portfolio file (default: yours)")
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--csv", action="store_true", help="one row per company")
    kind.add_argument("--json", action="store_true", help="the same document as check --json")
    export.add_argument("-o", "--output", type=Path, help="write to this file (default: standard output)")
    export.add_argument("--demo", action="store_true", help="simulated prices")


def run_snapshot(args: argparse.Namespace) -> Snapshot | int:
    """Load, fetch once; an exit code (and a message on stderr) when that is not possible."""
    from watcher.config import load_config
    from watcher.startup import check_environment, make_provider, make_session, resolve_portfolio

    try:
        path, notices = resolve_portfolio(args.portfolio)
        for notice in notices:
            print(notice, file=sys.stderr)
        config = load_config(path)
        check_environment(config)
        provider = make_provider(config, args.demo, backoff=False)
    except (ConfigError, OSError) as error:
        print(f"neowatch: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        snapshot = asyncio.run(take_snapshot(make_session(config, provider)))
    except Exception as error:  # noqa: BLE001 - a crash must exit 3, never 1 ("a buy condition is met")
        print(f"neowatch: the fetch failed unexpectedly: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_CRASH
    if not snapshot.any_quote:
        reasons = sorted({f.reason for f in snapshot.book.failures.values()})
        print("neowatch: not a single price could be fetched: " + "; ".join(reasons), file=sys.stderr)
        return EXIT_ERROR
    return snapshot


def check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    snapshot = run_snapshot(args)
    if isinstance(snapshot, int):
        return snapshot
    if args.json:
        out.write(to_json(snapshot))
    else:
        print_tables(snapshot, out)
    return EXIT_BUY if snapshot.buys else EXIT_NONE_MET


def export(args: argparse.Namespace, out: TextIO | None = None) -> int:
    snapshot = run_snapshot(args)
    if isinstance(snapshot, int):
        return snapshot
    text = snapshot_csv(snapshot) if args.csv else to_json(snapshot)
    if args.output is None:
        (out or sys.stdout).write(text)
        return EXIT_NONE_MET
    try:
        write_atomically(args.output.expanduser(), text)
    except OSError as error:
        print(f"neowatch: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_NONE_MET


def print_tables(snapshot: Snapshot, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=False, width=max(100, Console(file=out).width))
    grid = Table(title=f"neowatch · {snapshot.provider}" + (" · SIMULATED" if snapshot.simulated else ""))
    for header in ("Symbol", "Buy", "Name", "Price", "Day", "Source", "Mcap", "from", "×ARR", "Note"):
        grid.add_column(header, justify="right" if header in ("Price", "Day", "Mcap", "×ARR") else "left")
    for row in snapshot.overview.rows:
        quote, cap = row.quote, row.market_cap
        failure = snapshot.book.failures.get(row.symbol)
        note = "STALE" if row.stale else ""
        if failure:
            note = clean_text(failure.reason, 60) or ""
        grid.add_row(
            row.symbol,
            "BUY" if row.buy else "",
            Text(clean_text(row.company.name if row.company else (quote.name if quote else None), 24) or "—"),
            fmt.price(quote.price) if quote else "—",
            fmt.signed_pct(quote.day_change_pct) if quote else "—",
            Text(clean_text(quote.source, 10) or "—") if quote else "—",
            fmt.big_money(cap.value if cap else None),
            cap.method.value if cap else "—",
            fmt.ratio(row.mcap_to_arr),
            Text(note),
        )
    console.print(grid)
    conditions = Table(title="Buy conditions")
    for header in ("Symbol", "State", "Condition", "Distance"):
        conditions.add_column(header)
    for status in snapshot.overview.conditions:
        conditions.add_row(
            status.condition.symbol,
            "BUY" if status.met else status.state.value,
            Text(status.condition.label),
            "; ".join(c.distance for c in status.clauses),
        )
    console.print(conditions)
