"""First paint: process start to a cached price on a 160×50 tmux pane, neowatch against a bare Textual app."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    BENCH,
    PRICE_MARK,
    PYTHON,
    Tmux,
    YahooServer,
    app_environment,
    median,
    neowatch_command,
    sample_portfolio,
    shell_command,
    wait_for_text,
)

# Long enough that no quote answer arrives before the first paint: the price painted is the cache's.
SLOW_ANSWER_SECONDS = 8.0
PAINT_LIMIT_SECONDS = 30.0


@dataclass
class FirstPaint:
    neowatch_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return median(self.neowatch_ms) / median(self.bare_ms)


def warm_cache(tmux: Tmux, workdir: Path, portfolio: Path) -> Path:
    """Run neowatch once against a quick loopback Yahoo until it has saved its quote cache."""
    cache = workdir / "cache" / "neowatch" / "quotes.json"
    with YahooServer(delay=0.0) as yahoo:
        environment = app_environment(workdir, yahoo.base_url)
        command = shell_command([*neowatch_command(), str(portfolio)], environment, workdir)
        tmux.new("warm", command)
        pid = tmux.pane_pid("warm")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if yahoo.ask("count") >= 4 and cache.exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)  # the cache is written by a thread; let it finish
        tmux.kill("warm", pid)
    try:
        quotes = json.loads(cache.read_text())["quotes"]
    except (OSError, ValueError, KeyError) as error:
        raise SystemExit(f"bench: neowatch did not leave a quote cache ({error})") from None
    if f"{quotes.get('CRWV', {}).get('price', 0):.2f}" != PRICE_MARK:
        raise SystemExit(f"bench: the warm cache holds {quotes.get('CRWV')}, not CRWV at {PRICE_MARK}")
    return cache


def bytecode_note() -> str:
    """Whether neowatch started from compiled modules, as a user's does, or compiled them each time."""
    import importlib.util

    import watcher.app

    compiled = Path(importlib.util.cache_from_source(watcher.app.__file__))
    if compiled.exists():
        return "neowatch's modules started from their compiled bytecode, as after `pip install .`."
    return ("neowatch's bytecode could not be written, so each start compiled its modules: "
            "these times are slower than a user's.")


def one_start(tmux: Tmux, name: str, command: str) -> float | None:
    """Milliseconds from spawning the pane's process to PRICE_MARK on screen."""
    started = time.perf_counter()
    tmux.new(name, command)
    seen = wait_for_text(tmux, name, PRICE_MARK, PAINT_LIMIT_SECONDS)
    elapsed = (time.perf_counter() - started) * 1000 if seen is not None else None
    tmux.kill(name, tmux.pane_pid(name))
    return elapsed


def measure(tmux: Tmux, workdir: Path, runs: int, log=print) -> FirstPaint:  # noqa: ANN001 - a print-like
    result = FirstPaint()
    portfolio = sample_portfolio(workdir / "portfolio.toml")
    warm_cache(tmux, workdir, portfolio)
    # Prices 10 % off the cache's, answered after 8 s: a 128.40 on screen can only come from the cache.
    with YahooServer(delay=SLOW_ANSWER_SECONDS, shift=-0.10) as yahoo:
        env = app_environment(workdir, yahoo.base_url)
        commands = {
            "neowatch": shell_command([*neowatch_command(), str(portfolio)], env, workdir),
            "bare": shell_command([str(PYTHON), str(BENCH / "bare_app.py")], env, workdir),
        }
        # One untimed start of each: bytecode compiled, files in the page cache.
        for name, command in commands.items():
            if one_start(tmux, f"fp-{name}-warmup", command) is None:
                raise SystemExit(f"bench: {name} never showed {PRICE_MARK} on the pane")
        result.notes.append(bytecode_note())
        for round_ in range(runs):
            # Alternate which goes first, so a drift in the machine's load hits both alike.
            order = ("neowatch", "bare") if round_ % 2 == 0 else ("bare", "neowatch")
            for name in order:
                ms = one_start(tmux, f"fp-{name}-{round_}", commands[name])
                result.order.append(name)
                if ms is None:
                    result.notes.append(f"{name} run {round_ + 1}: no price within {PAINT_LIMIT_SECONDS:.0f} s")
                    continue
                (result.neowatch_ms if name == "neowatch" else result.bare_ms).append(ms)
                log(f"  first paint {name:8s} run {round_ + 1}: {ms:7.1f} ms")
        if yahoo.ask("count") == 0:
            result.notes.append("Not one quote request had reached the loopback Yahoo when the panes were closed: "
                                "every price painted came from the cache.")
    return result
