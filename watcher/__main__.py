"""The neowatch command: parse arguments, load the portfolio file, run the app."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from watcher import __version__, paths

# watcher.config (and the domain under it) is imported in the functions: main() turns the
# cyclic collector off first (see there).

EXIT_OK = 0
EXIT_BAD_INPUT = 2

EPILOG = """\
commands:
  neowatch check [PATH] [--json]           fetch once, print; exit 1 when a buy condition is met
  neowatch export [PATH] --csv|--json [-o FILE]   the grid and the positions
  neowatch fundamentals [SYMBOL] [--json]  every figure with its source, as-of date and age

examples:
  neowatch                       your portfolio file (created from the sample on first run)
  neowatch ~/my/portfolio.toml   another portfolio file
  neowatch --demo                simulated prices: try every feature without a network
  neowatch --theme neowatch-light
  neowatch check --json          for scripts and status bars (see neowatch check --help)

environment:
  NEOWATCH_YAHOO_URL      base URL of Yahoo's chart API (a proxy or a test server)
  NEOWATCH_FINNHUB_URL    base URL of Finnhub's API
  NEOWATCH_FINNHUB_TOKEN  Finnhub's key (never shown, never logged)
  NEOWATCH_SEC_CONTACT    your e-mail for SEC filings' figures (the SEC requires one)
  NEOWATCH_SEC_URL        replaces both SEC hosts (a proxy or a test server)
  XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_HOME, XDG_STATE_HOME are honoured.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neowatch",
        description="GPU-cloud stocks in the terminal: the analysis' fundamentals beside live "
        "quotes, your portfolio's weights, and buy conditions flagged when met.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "portfolio",
        nargs="?",
        type=Path,
        help=f"portfolio file (default: {paths.default_portfolio_path()})",
    )
    parser.add_argument("--demo", action="store_true", help="use simulated prices")
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="colours: neowatch-dark (default), neowatch-light, neowatch-high-contrast, "
        "one of Textual's, or a theme file of yours in the config folder's themes/",
    )
    parser.add_argument("--version", action="version", version=f"neowatch {__version__}")
    return parser


COMMANDS = ("check", "export", "fundamentals")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        from watcher import cli_commands, cli_fundamentals

        parser = argparse.ArgumentParser(prog="neowatch")
        subparsers = parser.add_subparsers(dest="command", required=True)
        cli_commands.add_commands(subparsers)
        cli_fundamentals.add_command(subparsers)
        args = parser.parse_args(argv)
        if args.command == "fundamentals":
            return cli_fundamentals.run(args)
        return cli_commands.check(args) if args.command == "check" else cli_commands.export(args)
    args = build_parser().parse_args(argv)
    # Start-up makes hundreds of thousands of objects that live as long as the app; the cyclic
    # collector would walk them all several times (about a fifth of the time to the first
    # frame) and find little. It is off until the first frame is painted.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return run_app(args)
    finally:
        if was_enabled:
            gc.enable()


def settle_collector() -> None:
    """After the first frame: collect start-up's garbage once, then freeze what is left (Textual,
    the screen, the portfolio: it lives as long as the app) out of the collector's sight, so the
    collections a refresh causes walk only what refreshes make. Then turn the collector on."""
    gc.collect()
    gc.freeze()
    gc.enable()


def has_terminal() -> bool:
    """The app reads keys from stdin and draws for stdout's terminal: with either one a file, a
    pipe or /dev/null (cron, systemd) it could only spin."""
    streams = (sys.__stdin__, sys.__stdout__)
    return all(stream is not None and stream.isatty() for stream in streams)


NO_TERMINAL = (
    "neowatch: the app needs a terminal (stdin and stdout are not one).\n"
    "For cron, systemd or a script use `neowatch check` (see neowatch check --help)."
)


def run_app(args: argparse.Namespace) -> int:
    """The app on the portfolio file; the collector is turned back on after its first frame."""
    from watcher.startup import check_environment, make_provider, make_session, open_recorder, resolve_portfolio

    try:
        path, notices = resolve_portfolio(args.portfolio)
    except OSError as error:
        print(f"neowatch: cannot create the portfolio file: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for notice in notices:
        print(notice, file=sys.stderr)
    from watcher.config import ConfigError, load_config

    try:
        config = load_config(path)
        check_environment(config)
        provider = make_provider(config, args.demo)
    except ConfigError as error:
        print(f"neowatch: {error}\nFix the file and start neowatch again.", file=sys.stderr)
        return EXIT_BAD_INPUT
    # After the file's check (its errors are worth saying anywhere), before the session opens its store.
    if not has_terminal():
        print(NO_TERMINAL, file=sys.stderr)
        return EXIT_BAD_INPUT

    from watcher.app import NeowatchApp

    session = make_session(
        config,
        provider,
        # --demo is for trying neowatch: its session keeps nothing, whatever the file says later.
        recorder=open_recorder(args.demo),
        provider_factory=lambda new: make_provider(new, args.demo),
    )
    app = NeowatchApp(
        session,
        notices=notices,
        theme_name=args.theme,
        state_path=paths.state_path(),
        after_first_frame=settle_collector,
    )
    app.run()
    return app.return_code or EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
