"""Where start-up time goes: `python -X importtime` over a whole start, neowatch and the bare app alike."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import BENCH, PYTHON, ROOT, YahooServer, app_environment, clean_environ, median, sample_portfolio

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)\s*$")


@dataclass
class Module:
    name: str
    self_us: float
    cumulative_us: float
    parent: str | None
    """The module whose import pulled this one in (None at the top level)."""


@dataclass
class ImportProfile:
    modules: dict[str, Module] = field(default_factory=dict)

    @property
    def total_ms(self) -> float:
        return sum(m.self_us for m in self.modules.values()) / 1000

    def top_self(self, count: int = 10) -> list[Module]:
        return sorted(self.modules.values(), key=lambda m: m.self_us, reverse=True)[:count]

    def by_package(self) -> dict[str, float]:
        """Self time summed by top-level package, in ms: order-independent, unlike cumulative times."""
        sums: dict[str, float] = defaultdict(float)
        for module in self.modules.values():
            sums[module.name.split(".")[0]] += module.self_us / 1000
        return dict(sorted(sums.items(), key=lambda kv: kv[1], reverse=True))

    def entry_points(self, count: int = 10) -> list[Module]:
        """Third-party or stdlib packages as first pulled in by a watcher module, by cumulative time."""
        found = [
            m for m in self.modules.values()
            if m.parent and m.parent.startswith("watcher") and not m.name.startswith("watcher")
        ]
        return sorted(found, key=lambda m: m.cumulative_us, reverse=True)[:count]

    def chain(self, name: str) -> list[str]:
        """`name`, the module that imported it, and so on up to the top level."""
        out: list[str] = []
        while name in self.modules and name not in out and len(out) < 50:
            out.append(name)
            name = self.modules[name].parent or ""
        return out

    def watcher_modules(self) -> list[Module]:
        return sorted((m for m in self.modules.values() if m.name.startswith("watcher")), key=lambda m: m.name)


def parse(text: str) -> ImportProfile:
    """`-X importtime` lists children before their parent; read backwards to know who imported whom."""
    rows = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            rows.append((int(match[1]), int(match[2]), len(match[3]) // 2, match[4]))
    profile = ImportProfile()
    stack: list[str] = []
    for self_us, cumulative_us, level, name in reversed(rows):
        del stack[level:]
        parent = stack[level - 1] if level and len(stack) >= level else None
        stack.append(name)
        known = profile.modules.get(name)
        if known is None:
            profile.modules[name] = Module(name, self_us, cumulative_us, parent)
        else:
            # `import a.b` names a.b again after a's own import of it: one module, its times added,
            # the outer line's parent kept (keeping both would make a cycle a → a.b → a).
            known.self_us += self_us
            known.cumulative_us = max(known.cumulative_us, cumulative_us)
    return profile


def merged(profiles: list[ImportProfile]) -> ImportProfile:
    """Per module, the median over runs (a module missing from a run counts as absent there)."""
    out = ImportProfile()
    names = {name for p in profiles for name in p.modules}
    for name in names:
        seen = [p.modules[name] for p in profiles if name in p.modules]
        out.modules[name] = Module(
            name, median([m.self_us for m in seen]), median([m.cumulative_us for m in seen]), seen[0].parent
        )
    return out


def run_once(argv: list[str], env: dict[str, str]) -> ImportProfile:
    full_env = {**clean_environ(), **env, "TEXTUAL_DRIVER": "bench.exit_driver:ExitDriver", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [str(PYTHON), "-X", "importtime", *argv], env=full_env, cwd=ROOT,
        capture_output=True, text=True, timeout=60,
    )
    return parse(done.stderr)


def measure(workdir: Path, runs: int) -> tuple[ImportProfile, ImportProfile]:
    """(neowatch, bare app): each started `runs` times to its first screen, medians per module."""
    portfolio = sample_portfolio(workdir / "imports" / "portfolio.toml")
    # A loopback Yahoo that answers slowly: the start-up seen is the one a user sees before any answer.
    with YahooServer(delay=5.0) as yahoo:
        env = app_environment(workdir / "imports", yahoo.base_url)
        # The first start of each is dropped: it creates the history store and compiles bytecode.
        neowatch = [run_once(["-m", "watcher", str(portfolio)], env) for _ in range(runs + 1)][1:]
        bare = [run_once([str(BENCH / "bare_app.py")], env) for _ in range(runs + 1)][1:]
    return merged(neowatch), merged(bare)


@dataclass
class StartupCall:
    function: str
    cumulative_ms: float
    calls: int


def startup_profile(workdir: Path, count: int = 16) -> tuple[float, list[StartupCall]]:
    """cProfile of one headless start (the main thread, to 0.5 s after the driver starts): the
    watcher functions that cost most, cumulative; and the profile's total, for scale."""
    import pstats

    portfolio = sample_portfolio(workdir / "imports" / "portfolio.toml")
    out = workdir / "imports" / "startup.prof"
    with YahooServer(delay=5.0) as yahoo:
        env = {
            **clean_environ(), **app_environment(workdir / "imports", yahoo.base_url),
            "TEXTUAL_DRIVER": "bench.exit_driver:ExitDriver", "PYTHONPATH": str(ROOT), "BENCH_EXIT_AFTER": "0.5",
        }
        for _ in range(2):  # the first start creates the store and compiles bytecode: profile the second
            subprocess.run(
                [str(PYTHON), "-m", "cProfile", "-o", str(out), "-m", "watcher", str(portfolio)],
                env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
            )
    stats = pstats.Stats(str(out))
    total = stats.total_tt * 1000  # type: ignore[attr-defined]
    calls = []
    for (filename, line, function), (count_, _prim, _own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "/watcher/" in filename and "/site-packages/" not in filename:
            where = filename.split("/watcher/", 1)[1]
            calls.append(StartupCall(f"watcher/{where}:{line} {function}", cumulative * 1000, count_))
    calls.sort(key=lambda c: c.cumulative_ms, reverse=True)
    return total, calls[:count]
