"""neowatch's benchmark: first paint, refresh, UI update, idle, start-up imports → docs/BENCHMARKS.md.

    python bench/run.py [--quick] [--runs N] [--idle-seconds S] [--only NAME ...] [--no-write]

Run from the repository root in the environment where neowatch is installed; needs tmux and
Linux's /proc. Not part of the test run: it reports figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import first_paint, idle, imports, refresh, report, ui_update
from bench.common import ROOT, Tmux, machine, median, scrub_environ

PARTS = ("imports", "first-paint", "refresh", "ui", "idle")
OUTPUT = ROOT / "docs" / "BENCHMARKS.md"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, a 20 s idle window")
    parser.add_argument("--runs", type=int, help="first-paint starts of each app (default 5, quick 3)")
    parser.add_argument("--idle-seconds", type=float, help="idle window (default 60, quick 20)")
    parser.add_argument("--only", nargs="+", choices=PARTS, help="run only these parts")
    parser.add_argument("--no-write", action="store_true", help=f"print only; leave {OUTPUT.relative_to(ROOT)} alone")
    return parser


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if shutil.which("tmux") is None:
        print("bench: needs tmux", file=sys.stderr)
        return 2
    scrub_environ()
    parts = set(args.only or PARTS)
    runs = args.runs or (3 if args.quick else 5)
    idle_seconds = args.idle_seconds or (20.0 if args.quick else 60.0)
    figures = report.Figures(
        machine=machine(),
        mode="quick" if args.quick else "full",
        started=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        load_before=load(),
    )
    began = time.monotonic()
    tmux = Tmux(f"neowatch-bench-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="neowatch-bench-") as folder:
        workdir = Path(folder)
        try:
            if "imports" in parts:
                print("Start-up imports (-X importtime) …", flush=True)
                figures.imports = imports.measure(workdir, 1 if args.quick else 3)
                figures.startup = imports.startup_profile(workdir)
            if parts & {"first-paint", "idle"}:
                tmux.start_server()
            if "first-paint" in parts:
                print(f"First paint, {runs} starts of each …", flush=True)
                figures.first_paint = first_paint.measure(tmux, workdir / "first-paint", runs)
            if "idle" in parts:
                print(f"Idle, {idle_seconds:.0f} s of each …", flush=True)
                figures.idle = idle.measure(tmux, workdir, idle_seconds)
        finally:
            tmux.stop_server()
        if "refresh" in parts:
            print("Refresh cycle against the loopback Yahoo (50 ms) …", flush=True)
            figures.refresh = refresh.measure(args.quick)
        if "ui" in parts:
            print("UI thread per update (in-process, run_test) …", flush=True)
            plan = [(500, "shipped"), (4, "shipped")]
            for rows, variant in plan:
                result = ui_update.measure(args.quick, rows=rows, variant=variant)
                figures.ui.append(result)
                for name, step in result.steps.items():
                    total = median([h + p for h, p in zip(step.handler_ms, step.paint_ms, strict=True)])
                    print(f"  {rows:3d} rows, {variant:15s} {name:26s} {total:7.1f} ms UI thread", flush=True)
    figures.load_after = load()
    figures.wall_s = time.monotonic() - began
    print()
    print("\n".join(report.summary(figures)))
    if not args.no_write:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(report.render(figures), "utf-8")
        print(f"\nWritten to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
