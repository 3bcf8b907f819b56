"""Idle: CPU as a share of one core and resident memory, neowatch (sample portfolio) beside the bare app."""

from __future__ import annotations

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
    cpu_seconds,
    neowatch_command,
    pss_kib,
    sample_portfolio,
    shell_command,
    status_kib,
    thread_wakeups,
    wait_for_text,
)

SETTLE_SECONDS = 3.0
FIRST_START = "neowatch, first start"


@dataclass
class Thread:
    label: str
    wakeups_per_s: float
    cpu_ms: float


@dataclass
class Idle:
    app: str
    seconds: float
    cpu_pct: float
    rss_mib: float
    hwm_mib: float
    pss_mib: float
    threads: list[Thread] = field(default_factory=list)
    quote_requests: int = 0
    """Quote requests the loopback Yahoo answered during the window (a refresh is 4)."""


def _mib(kib: int | None) -> float:
    return (kib or 0) / 1024


def watch(tmux: Tmux, app: str, command: str, seconds: float, yahoo: YahooServer | None, log=print) -> Idle:  # noqa: ANN001
    name = f"idle-{app}"
    tmux.new(name, command)
    pid = tmux.pane_pid(name)
    try:
        if pid is None or wait_for_text(tmux, name, PRICE_MARK, 30, every=0.05) is None:
            raise SystemExit(f"bench: {app} never showed {PRICE_MARK}; the pane said:\n{tmux.capture(name)}")
        if yahoo is not None:  # the first refresh must be over: idle is what follows it
            deadline = time.monotonic() + 30
            while yahoo.ask("count") < 4 and time.monotonic() < deadline:
                time.sleep(0.1)
        time.sleep(SETTLE_SECONDS)
        asked = yahoo.ask("count") if yahoo else 0
        before_cpu, before_threads, started = cpu_seconds(pid), thread_wakeups(pid), time.monotonic()
        log(f"  idle {app}: watching {seconds:.0f} s …")
        time.sleep(seconds)
        after_cpu, after_threads, elapsed = cpu_seconds(pid), thread_wakeups(pid), time.monotonic() - started
        if before_cpu is None or after_cpu is None:
            raise SystemExit(f"bench: {app} exited while idle; the pane said:\n{tmux.capture(name)}")
        threads = []
        for tid, (switches, cpu) in sorted(after_threads.items()):
            first = before_threads.get(tid, (0, 0.0))
            label = "main (event loop)" if tid == pid else f"thread {tid}"
            threads.append(Thread(label, (switches - first[0]) / elapsed, (cpu - first[1]) * 1000))
        result = Idle(
            app=app,
            seconds=elapsed,
            cpu_pct=(after_cpu - before_cpu) / elapsed * 100,
            rss_mib=_mib(status_kib(pid, "VmRSS")),
            hwm_mib=_mib(status_kib(pid, "VmHWM")),
            pss_mib=_mib(pss_kib(pid)),
            threads=threads,
            quote_requests=(yahoo.ask("count") - asked) if yahoo else 0,
        )
    finally:
        tmux.kill(name, pid)
    log(f"  idle {app}: {result.cpu_pct:.3f} % of a core, RSS {result.rss_mib:.1f} MiB")
    return result


def measure(tmux: Tmux, workdir: Path, seconds: float, log=print) -> list[Idle]:  # noqa: ANN001
    portfolio = sample_portfolio(workdir / "idle" / "portfolio.toml")
    out = []
    # A Yahoo that answers in 50 ms, like the real one on a good day; the sample's 60 s interval.
    with YahooServer(delay=0.05) as yahoo:
        env = app_environment(workdir / "idle", yahoo.base_url)
        neowatch = shell_command([*neowatch_command(), str(portfolio)], env, workdir)
        # The very first start checks the portfolio, theme and fundamentals files (pydantic); every
        # later one finds them checked. The figures that count are a later start's, as every day.
        out.append(watch(tmux, FIRST_START, neowatch, min(seconds, 10.0), yahoo, log))
        out.append(watch(tmux, "neowatch", neowatch, seconds, yahoo, log))
        bare = shell_command([str(PYTHON), str(BENCH / "bare_app.py")], env, workdir)
        out.append(watch(tmux, "bare Textual app", bare, seconds, None, log))
    return out
