"""UI-thread time to apply one update: the real app in-process (App.run_test), a fixed provider, 500 rows.

Each step is timed with perf_counter around the handler (recompute, the screens' show, the grid's
diff and the rows redrawn) and then around `pilot.pause()`, which waits until Textual has laid out and
rendered what changed. Headless, so the last step (turning the compositor's strips into escape
codes for the terminal) is not included; it is small beside rendering the strips.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import inspect
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import ROOT, SAMPLE_PREVIOUS, SAMPLE_PRICES, sample_portfolio, synthetic_symbols

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Prices:
    """A quote for every symbol; `move(fraction)` changes that share of the prices."""

    symbols: list[str]
    clock: Clock
    level: dict[str, float] = field(default_factory=dict)
    moves: int = 0

    def __post_init__(self) -> None:
        for i, symbol in enumerate(self.symbols):
            self.level[symbol] = SAMPLE_PRICES.get(symbol, 10.0 + i % 190)

    def move(self, fraction: float) -> None:
        self.moves += 1
        step = max(1, round(1 / fraction)) if fraction else 0
        for i, symbol in enumerate(self.symbols):
            if step and (i + self.moves) % step == 0:
                self.level[symbol] = round(self.level[symbol] * 1.003, 2)

    def results(self) -> dict[str, Any]:
        from watcher.domain.quote import Quote

        now = self.clock()
        return {
            s: Quote(s, p, SAMPLE_PREVIOUS.get(s, round(p * 0.99, 2)), now, now, "USD")
            for s, p in self.level.items()
        }


class FixedProvider:
    name = "Yahoo"
    simulated = False

    def __init__(self, prices: Prices) -> None:
        self.prices = prices

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, Any]:
        results = self.prices.results()
        return {s: results[s] for s in symbols if s in results}

    async def fetch_close_on(self, symbol: str, day: date) -> float:
        return SAMPLE_PRICES.get(symbol, 10.0)

    async def fetch_history(self, symbol: str, chart_range: object) -> Any:
        from watcher.domain.quote import FailureKind, QuoteFailure

        return QuoteFailure(symbol, FailureKind.NO_DATA, "not in the benchmark")

    async def aclose(self) -> None:
        pass


@dataclass
class Step:
    handler_ms: list[float] = field(default_factory=list)
    """CPU of the UI thread in the handler (recompute, show, diff, cells written)."""
    paint_ms: list[float] = field(default_factory=list)
    """CPU of the UI thread in the pause that follows: Textual's idle work, layout, rendering."""
    paint_wall_ms: list[float] = field(default_factory=list)
    parts_ms: dict[str, list[float]] = field(default_factory=dict)
    cells: list[int] = field(default_factory=list)

    @property
    def total_ms(self) -> list[float]:
        return [h + p for h, p in zip(self.handler_ms, self.paint_ms, strict=True)]


@dataclass
class UiUpdate:
    rows: int
    first_fill_ms: float
    steps: dict[str, Step]
    profiles: dict[str, list[tuple[str, float, float, int]]]
    variant: str = "shipped"
    """Per kind of update, its top functions under cProfile: (function, own ms, cumulative ms, calls)."""


class _Timers:
    """Wrap functions to add their time to the current step's parts."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.cells = 0

    def wrap(self, owner: Any, name: str, label: str, count_cells: bool = False) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                result = original(*args, **kwargs)
            finally:
                self.current[label] += (time.perf_counter() - start) * 1000
            if count_cells and isinstance(result, int):
                self.cells += result
            return result

        setattr(owner, name, timed)

    def take(self) -> tuple[dict[str, float], int]:
        parts, cells = dict(self.current), self.cells
        self.current.clear()
        self.cells = 0
        return parts, cells


VARIANTS = {
    "shipped": "as shipped",
}


async def _run(rows: int, reps: int, workdir: Path, variant: str = "shipped") -> UiUpdate:
    import watcher.app as app_module
    import watcher.session as session_module
    import watcher.widgets.company_grid as grid_module
    from watcher.config import load_config
    from watcher.feed import PriceFetch
    from watcher.messages import PricesFetched
    from watcher.recorder import Recorder
    from watcher.screens.main import MainScreen

    timers = _Timers()
    timers.wrap(session_module, "build_overview", "build_overview (domain)")
    timers.wrap(MainScreen, "show", "MainScreen.show (all panels)")
    timers.wrap(grid_module.CompanyGrid, "show", "CompanyGrid.show", count_cells=True)
    timers.wrap(grid_module, "row_cells", "row_cells (format 16 cells)")
    timers.wrap(grid_module.CompanyGrid, "_measure", "column widths")

    symbols = list(SAMPLE_PRICES) + synthetic_symbols(rows)
    config = load_config(sample_portfolio(workdir / "portfolio.toml", synthetic_symbols(rows)))
    clock = Clock()
    prices = Prices(list(config.symbols), clock)
    kwargs: dict[str, Any] = {"clock": clock, "recorder": Recorder(None), "local_tz": UTC}
    from watcher.fundamentals import SecResult

    async def no_sec(_config: object) -> SecResult:
        return SecResult({}, {})

    kwargs["sec_loader"] = no_sec  # never the network
    if "after_first_frame" in inspect.signature(app_module.NeowatchApp.__init__).parameters:
        # As `neowatch` runs it: the collector off until the first frame, then settled.
        import gc

        from watcher.__main__ import settle_collector

        gc.disable()
        kwargs["after_first_frame"] = settle_collector
    app = app_module.make_app(config, FixedProvider(prices), **kwargs)
    names = ("all prices changed", "5 % of prices changed", "age tick (no new prices)", "nothing changed")
    steps = {name: Step() for name in names}
    async with app.run_test(size=(160, 50)) as pilot:
        # The first fetch: the grid goes from cached (none here) to 500 rows at once.
        start = time.perf_counter()
        await app.workers.wait_for_complete()
        await pilot.pause()
        first_fill = (time.perf_counter() - start) * 1000
        timers.take()
        assert len(symbols) == len(config.symbols) == rows, (len(symbols), len(config.symbols))

        async def step(name: str, before: Callable[[], None], handler: Callable[[], None]) -> None:
            before()
            # thread_time: CPU of this (the UI) thread only; pause() also sleeps, which is not UI work.
            start = time.thread_time()
            handler()
            handled, handled_wall = time.thread_time(), time.perf_counter()
            await pilot.pause()
            done, done_wall = time.thread_time(), time.perf_counter()
            parts, cells = timers.take()
            record = steps[name]
            record.handler_ms.append((handled - start) * 1000)
            record.paint_ms.append((done - handled) * 1000)
            record.paint_wall_ms.append((done_wall - handled_wall) * 1000)
            record.cells.append(cells)
            for label, ms in parts.items():
                record.parts_ms.setdefault(label, []).append(ms)

        def quotes_arrive(fraction: float) -> Callable[[], None]:
            def before() -> None:
                clock.now += timedelta(seconds=60)
                prices.move(fraction)
            return before

        def handle_quotes() -> None:
            app.on_prices_fetched(PricesFetched(PriceFetch(app.session.feed, prices.results(), clock())))

        def tick() -> None:
            clock.now += timedelta(seconds=10)

        for _ in range(reps):
            await step("all prices changed", quotes_arrive(1.0), handle_quotes)
            await step("5 % of prices changed", quotes_arrive(0.05), handle_quotes)
            await step("age tick (no new prices)", tick, app.recompute)
            await step("nothing changed", lambda: None, app.recompute)

        # Where the time goes, for one update of each kind.
        profiles = {}
        for name, before, handler in (
            ("all prices changed", quotes_arrive(1.0), handle_quotes),
            ("age tick (no new prices)", tick, app.recompute),
            ("nothing changed", lambda: None, app.recompute),
        ):
            profiler = cProfile.Profile()
            before()
            profiler.enable()
            handler()
            await pilot.pause()
            profiler.disable()
            timers.take()
            profiles[name] = _top(profiler)
    return UiUpdate(rows, first_fill, steps, profiles, variant)


def _top(profiler: cProfile.Profile, count: int = 14) -> list[tuple[str, float, float, int]]:
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, function), (calls, _prim, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.split("site-packages/")[-1].split("/main/")[-1]
        rows.append((f"{where}:{line} {function}", own * 1000, cumulative * 1000, calls))
    return sorted(rows, key=lambda r: r[1], reverse=True)[:count]


def _in_this_process(rows: int, reps: int, variant: str) -> UiUpdate:
    with tempfile.TemporaryDirectory(prefix="neowatch-bench-ui-") as folder:
        # No reading of the real user's themes or state.
        for key in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            os.environ[key] = str(Path(folder) / key.lower())
        return asyncio.run(_run(rows, reps, Path(folder), variant))


def measure(quick: bool, rows: int = 500, variant: str = "shipped") -> UiUpdate:
    """In a child process: the wrappers and the what-if's patch must not outlive one variant."""
    argv = [sys.executable, "-m", "bench.ui_update", "--rows", str(rows), "--reps", str(5 if quick else 15)]
    done = subprocess.run([*argv, "--variant", variant], cwd=ROOT, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"bench: the UI benchmark failed:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout)
    steps = {}
    for name, raw in data["steps"].items():
        step = Step(raw["handler_ms"], raw["paint_ms"], raw["paint_wall_ms"], raw["parts_ms"], raw["cells"])
        steps[name] = step
    profiles = {name: [tuple(row) for row in rows_] for name, rows_ in data["profiles"].items()}
    return UiUpdate(data["rows"], data["first_fill_ms"], steps, profiles, data["variant"])  # type: ignore[arg-type]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="One variant of the UI-update benchmark; prints JSON.")
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument(
        "--variant", choices=list(VARIANTS), default="shipped", help="the app as shipped, or a prototyped fix"
    )
    cli = parser.parse_args()
    print(json.dumps(dataclasses.asdict(_in_this_process(cli.rows, cli.reps, cli.variant))))
