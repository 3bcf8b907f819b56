"""docs/BENCHMARKS.md from the figures of one run: what was measured, how, on which machine."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.common import median
from bench.first_paint import FirstPaint
from bench.idle import Idle
from bench.imports import ImportProfile, StartupCall
from bench.refresh import Cycle
from bench.ui_update import UiUpdate

COMMAND = "python bench/run.py"


@dataclass
class Figures:
    machine: dict[str, str]
    mode: str
    started: str
    load_before: str
    load_after: str = ""
    wall_s: float = 0.0
    first_paint: FirstPaint | None = None
    refresh: list[Cycle] = field(default_factory=list)
    ui: list[UiUpdate] = field(default_factory=list)
    idle: list[Idle] = field(default_factory=list)
    imports: tuple[ImportProfile, ImportProfile] | None = None
    startup: tuple[float, list[StartupCall]] | None = None


def _versus(value: float, target: float, lower_is_better: bool = True) -> str:
    good = value <= target if lower_is_better else value >= target
    return "within" if good else "**over**"


def _ms(values: list[float]) -> str:
    return f"{median(values):.0f}"


def summary(f: Figures) -> list[str]:
    rows = ["| measure | this run | target | |", "|---|---|---|---|"]
    if f.first_paint and f.first_paint.neowatch_ms and f.first_paint.bare_ms:
        fp = f.first_paint
        rows.append(f"| first paint, neowatch ÷ bare Textual app (medians) | {fp.ratio:.2f}× "
                    f"({_ms(fp.neowatch_ms)} ms ÷ {_ms(fp.bare_ms)} ms) | ≤ 1.3× | {_versus(fp.ratio, 1.3)} |")
    for cycle in f.refresh:
        if cycle.symbols in (100, 500) and cycle.concurrency == 4:
            rows.append(f"| refresh cycle, {cycle.symbols} symbols, concurrency 4 (shipped) | {cycle.ratio:.2f}× ideal "
                        f"({_ms(cycle.wall_ms)} ms ÷ {cycle.ideal_ms:.0f} ms) | ≤ 1.2× | {_versus(cycle.ratio, 1.2)} |")
    for ui in f.ui:
        if ui.rows == 500 and ui.variant == "shipped":
            step = ui.steps["all prices changed"]
            ui_ms = median([h + p for h, p in zip(step.handler_ms, step.paint_ms, strict=True)])
            rows.append(f"| UI thread, one update of 500 rows (all prices changed) | {ui_ms:.0f} ms | < 50 ms "
                        f"| {_versus(ui_ms, 50)} |")
    for idle in f.idle:
        if idle.app == "neowatch":
            rows.append(f"| idle CPU over {idle.seconds:.0f} s, default interval (60 s) "
                        f"| {idle.cpu_pct:.2f} % of a core | ≤ 0.5 % | {_versus(idle.cpu_pct, 0.5)} |")
            rows.append(f"| resident memory, sample portfolio | {idle.rss_mib:.1f} MiB | ≤ 60 MiB "
                        f"| {_versus(idle.rss_mib, 60)} |")
    return rows


def render(f: Figures) -> str:
    m = f.machine
    out = [
        "# Benchmarks",
        "",
        "Figures from one run of the benchmark, written by it; targets are reported, never asserted",
        "in the tests. The benchmark is not part of `pytest`. Run it from the repository root, in the",
        "environment where neowatch is installed (it needs tmux and Linux's `/proc`):",
        "",
        "```sh",
        f"{COMMAND}            # the full run, about 6 minutes; rewrites this file",
        f"{COMMAND} --quick    # fewer repetitions and a 20 s idle window, about 3 minutes",
        "```",
        "",
        "It uses its own tmux server (`tmux -L neowatch-bench-<pid>`), temporary XDG folders and a loopback",
        "Yahoo on 127.0.0.1 in a separate process (`bench/server.py`, serving the shapes of",
        "`tests/loopback.py`); it never touches the network or your own neowatch files.",
        "",
        "## Machine",
        "",
        f"- {m['cpu']}, nproc {m['nproc']}, {m['os']}",
        f"- Python {m['python']}, Textual {m['textual']}, Rich {m['rich']}, httpx {m['httpx']}, {m['tmux']}",
        f"- neowatch {m['neowatch']} at {m['commit']}",
        f"- Run: {f.started}, mode {f.mode}, {f.wall_s:.0f} s; "
        f"load average {f.load_before} before, {f.load_after} after",
        "  (other work on the machine shows up as noise, above all in first paint)",
        "",
        "## Summary",
        "",
        *summary(f),
        "",
    ]
    out += _first_paint(f) + _refresh(f) + _ui(f) + _idle(f) + _imports(f)
    return "\n".join(out).rstrip() + "\n"


def _first_paint(f: Figures) -> list[str]:
    fp = f.first_paint
    if fp is None:
        return []
    lines = [
        "## 1. First paint",
        "",
        "From spawning the process (`tmux new-session -d -x 160 -y 50 …`, the pane's process execs",
        "the app) until `tmux capture-pane` shows `128.40`, polled every 5 ms. neowatch runs the",
        "sample portfolio with a warm quote cache (made by one earlier run against a quick loopback",
        "Yahoo) while the loopback Yahoo answers only after 8 s and at other prices, so the price",
        "painted is the cache's. The yardstick is `bench/bare_app.py`, one 4×12 DataTable showing the",
        "same price. One untimed start of each first, then starts alternated (ABBA…), so drift in",
        "the machine's load hits both alike. Times include Python's own start-up and tmux's round trip.",
        "Both apps run with Python's default bytecode cache, as a user's do (see the notes).",
        "",
        "| | runs (ms) | median (ms) |",
        "|---|---|---|",
        f"| neowatch | {', '.join(f'{v:.0f}' for v in fp.neowatch_ms)} | {_ms(fp.neowatch_ms)} |",
        f"| bare Textual app | {', '.join(f'{v:.0f}' for v in fp.bare_ms)} | {_ms(fp.bare_ms)} |",
        "",
        f"Ratio of medians: **{fp.ratio:.2f}×** (target ≤ 1.3×).",
        "",
    ]
    lines += [f"- {note}" for note in fp.notes]
    return lines + ([""] if fp.notes else [])


def _refresh(f: Figures) -> list[str]:
    if not f.refresh:
        return []
    lines = [
        "## 2a. Refresh cycle",
        "",
        "The real `YahooProvider.fetch_quotes` with the app's own HTTP client (`make_http_client`),",
        "against the loopback Yahoo answering each quote after 50 ms. The ideal is requests ÷",
        "concurrency × 50 ms. Connections are opened by one untimed fetch first, as in a running app.",
        "*pool* is httpx's connection limit, 8 in `watcher/quotes/http.py`; rows with a larger pool",
        "show what a higher limit would give (the client was built with the limit patched). *CPU* is",
        "this process's CPU per request — in the app it is spent on the UI thread's event loop.",
        "",
        "| symbols | concurrency | pool | wall (ms, median) | ideal (ms) | wall ÷ ideal | CPU per request (ms) "
        "| most in flight | failures |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in f.refresh:
        lines.append(f"| {c.symbols} | {c.concurrency} | {c.pool} | {_ms(c.wall_ms)} | {c.ideal_ms:.0f} "
                     f"| {c.ratio:.2f}× | {c.cpu_per_request_ms:.2f} | {c.max_in_flight} | {c.failures} |")
    return [*lines, ""]


def _ui(f: Figures) -> list[str]:
    if not f.ui:
        return []
    lines = [
        "## 2b. UI thread: applying one update",
        "",
        "The real app in-process (`App.run_test(size=(160, 50))`) with a fixed provider, the sample",
        "portfolio plus synthetic symbols. *handler* is the UI thread's CPU (`time.thread_time`) in",
        "`on_prices_fetched` or `recompute` (build the overview, every panel's `show`, the grid's diff",
        "and the changed cells written); *paint* is its CPU in the `pilot.pause()` that follows (Textual's idle",
        "work: layout, rendering the strips). Headless, so writing the escape codes to",
        "the terminal is not included. Medians; the parts are wall time inside the handler. The app runs",
        "as `neowatch` runs it: the collector off until the first frame, then start-up frozen out of its sight.",
        "",
        "| rows | variant | update | grid rows redrawn | handler (ms) | paint (ms) | UI thread total (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for ui in f.ui:
        variant = ui.variant if ui.variant == "shipped" else f"what-if: {ui.variant}"
        for name, step in ui.steps.items():
            total = [h + p for h, p in zip(step.handler_ms, step.paint_ms, strict=True)]
            lines.append(f"| {ui.rows} | {variant} | {name} | {median(step.cells):.0f} | {_ms(step.handler_ms)} | "
                         f"{_ms(step.paint_ms)} | **{_ms(total)}** |")
    lines.append("")
    for ui in f.ui:
        if ui.variant == "shipped" and ui.rows == 500:
            lines += [
                f"First fill of {ui.rows} rows (start to the first fetch painted): {ui.first_fill_ms:.0f} ms wall.", ""
            ]
            step = ui.steps["all prices changed"]
            lines += ["Inside the handler, 500 rows, all prices changed (wall, ms): " + ", ".join(
                f"{label} {median(values):.1f}" for label, values in step.parts_ms.items()) + ".", ""]
    for ui in f.ui:
        if ui.rows != 500:
            continue
        for name in ("all prices changed", "age tick (no new prices)"):
            rows = ui.profiles.get(name, [])[:10]
            if not rows:
                continue
            title = ui.variant if ui.variant == "shipped" else f"what-if {ui.variant}"
            lines += [f"<details><summary>cProfile, 500 rows, {title}, {name}: top functions by own time</summary>", "",
                      "| function | own (ms) | cumulative (ms) | calls |", "|---|---|---|---|"]
            lines += [f"| `{fn}` | {own:.1f} | {cum:.1f} | {calls} |" for fn, own, cum, calls in rows]
            lines += ["", "</details>", ""]
    return lines


def _idle(f: Figures) -> list[str]:
    if not f.idle:
        return []
    lines = [
        "## 3. Idle",
        "",
        "Each app in a 160×50 tmux pane; neowatch with the sample portfolio (refresh every 60 s)",
        "against the loopback Yahoo answering in 50 ms. The window starts 3 s after the first",
        "refresh has been answered; CPU is utime + stime of the process (all threads) from",
        "`/proc/<pid>/stat` (10 ms ticks), memory from `/proc/<pid>/status` and `smaps_rollup` at its end.",
        "neowatch is started twice on fresh folders: its very first start checks the portfolio, theme and",
        "fundamentals files with pydantic (and keeps the result); the second, like every later start,",
        "finds them checked and never imports pydantic. The summary takes the second.",
        "",
        "| app | window (s) | CPU (% of a core) | VmRSS (MiB) | VmHWM (MiB) | PSS (MiB) "
        "| quote requests in the window |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in f.idle:
        lines.append(f"| {i.app} | {i.seconds:.0f} | {i.cpu_pct:.3f} | {i.rss_mib:.1f} | {i.hwm_mib:.1f} "
                     f"| {i.pss_mib:.1f} | {i.quote_requests if i.app.startswith('neowatch') else '—'} |")
    lines += ["", "Wake-ups per thread (context switches per second) and CPU in the window:", "",
              "| app | thread | wake-ups/s | CPU (ms) |", "|---|---|---|---|"]
    for i in f.idle:
        for t in i.threads:
            lines.append(f"| {i.app} | {t.label} | {t.wakeups_per_s:.2f} | {t.cpu_ms:.0f} |")
    lines += ["", "Thread ids are not names: about 10/s is Textual's input thread (`select` with a 0.1 s",
              "timeout, in the bare app too), about 1/s neowatch's portfolio-file watcher (`stat` every second).", ""]
    return lines


def _imports(f: Figures) -> list[str]:
    lines = []
    if f.imports is not None:
        neowatch, bare = f.imports
        lines += [
            "## 4. Where start-up time goes",
            "",
            "`python -X importtime` over a whole headless start to the first screen (a Textual driver,",
            "`bench/exit_driver.py`, quits 1.5 s after start), medians per module over the runs. The",
            "timings include `-X importtime`'s own overhead. Modules loaded through",
            "`importlib.import_module` (Textual's lazy `textual.widgets` names, such as DataTable) are",
            "invisible to it; their own imports are counted under whoever asked for the widget.",
            "The 1.5 s include the first fetch's start, after the first frame: httpx shows up here,",
            "imported by the first request, not before the first frame.",
            "",
            f"Total import time: neowatch **{neowatch.total_ms:.0f} ms**, the bare app {bare.total_ms:.0f} ms.",
            "",
            "The ten most expensive imports by their own time:",
            "",
            "| module | own (ms) | cumulative (ms) | imported by | chain to the top |",
            "|---|---|---|---|---|",
        ]
        for mod in neowatch.top_self(10):
            chain = " ← ".join(neowatch.chain(mod.name)[1:5])
            lines.append(f"| `{mod.name}` | {mod.self_us / 1000:.1f} | {mod.cumulative_us / 1000:.1f} "
                         f"| `{mod.parent or '—'}` | {chain or 'top level'} |")
        lines += ["", "What neowatch's own modules pull in (the dependency as first imported by a `watcher` module, "
                  "cumulative):", "", "| dependency | cumulative (ms) | first imported by |", "|---|---|---|"]
        for mod in neowatch.entry_points(10):
            lines.append(f"| `{mod.name}` | {mod.cumulative_us / 1000:.1f} | `{mod.parent}` |")
        bare_packages = bare.by_package()
        lines += ["", "Own time by top-level package, neowatch beside the bare app (ms):", "",
                  "| package | neowatch | bare app |", "|---|---|---|"]
        for name, ms in list(neowatch.by_package().items())[:12]:
            lines.append(f"| `{name}` | {ms:.1f} | {bare_packages.get(name, 0.0):.1f} |")
        watcher = neowatch.watcher_modules()
        lines += ["", f"`watcher` modules imported by the time of the first screen ({len(watcher)}): "
                  + ", ".join(f"`{m.name.removeprefix('watcher.')}`" for m in watcher if m.name != "watcher") + ".", ""]
    if f.startup is not None:
        total, calls = f.startup
        lines += [
            "Start-up under cProfile (main thread, one headless start of neowatch to 0.5 s after the",
            f"driver starts; {total:.0f} ms in all, inflated by the profiler): the `watcher` functions",
            "that cost most, cumulative:",
            "",
            "| function | cumulative (ms) | calls |",
            "|---|---|---|",
        ]
        lines += [f"| `{c.function}` | {c.cumulative_ms:.1f} | {c.calls} |" for c in calls]
        lines.append("")
    return lines
