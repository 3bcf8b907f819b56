"""Soak neowatch in tmux against a misbehaving loopback Yahoo; report crashes, memory, CPU and key latency."""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The loopback server lives with the tests; the soak reuses it rather than growing a second one.
sys.path.insert(0, str(ROOT))

from bench.common import Tmux as SharedTmux  # noqa: E402 - after the path is set
from bench.common import alive, cpu_seconds, stat_fields, status_kib  # noqa: E402
from tests.loopback import YAHOO_NOT_FOUND_BODY, LoopbackServer, RecordedRequest, Reply, yahoo_chart_body  # noqa: E402

SYMBOLS = {"CRWV": 128.40, "NBIS": 100.00, "IREN": 40.00, "CIFR": 14.00}
PREVIOUS_CLOSES = {"CRWV": 130.00, "NBIS": 98.00, "IREN": 41.00, "CIFR": 13.50}
CRWV_TRIGGER = 133.0
# neowatch's httpx read timeout (watcher/quotes/http.py); a "slow" answer must outlast it.
CLIENT_TIMEOUT = 10.0
JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html"}
# Text only the keys screen shows: the footer's "? Keys" must not count as the list being open.
KEYS_MARK = "Escape closes this list"
STATUS_MARK = "Yahoo ·"
SESSION = "soak"

# Relative weights of what the server answers. Mostly good, and every fault of tests/ui/test_faults.py.
# 429s are rarer than the rest: each one sends neowatch into a 30 s+ backoff with no requests at all.
MIX = {
    "good": 63.0,
    "no bars (price in meta)": 3.0,
    "slow (past the timeout)": 3.0,
    "5xx": 3.0,
    "429 with Retry-After": 1.0,
    "429 without Retry-After": 1.0,
    "HTML with 200": 3.0,
    "truncated JSON": 3.0,
    "connection cut mid-body": 2.5,
    "connection dropped": 2.5,
    "404 unknown symbol": 2.5,
    "delisted": 2.5,
    "another symbol": 3.0,
    "NaN price": 2.5,
    "negative price": 2.5,
    "zero price": 2.5,
    # The hardening faults: a body dripped a byte at a time (past the request's deadline), a
    # redirect to another host (never followed), a Retry-After far beyond any sensible wait.
    "drip (past the deadline)": 1.5,
    "redirect to another host": 2.0,
    "429 with a huge Retry-After": 0.5,
    # 64 MiB of zeros in 64 KiB of gzip: refused at the body cap, without inflating it.
    "gzip bomb": 1.0,
}


@functools.cache
def gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(64)) + packer.flush()


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError("size is COLUMNSxLINES, e.g. 160x50")
    return int(match[1]), int(match[2])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Run neowatch in a detached tmux session against a loopback Yahoo that mixes good "
        "answers with every known fault; sample memory, CPU and key latency; count crashes.",
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to soak (default 10)")
    parser.add_argument(
        "--interval", type=int, default=5, help="neowatch refresh_interval in s, at least 5 (default 5)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the prices and the fault mix (default 1)")
    parser.add_argument(
        "--size", type=parse_size, default=(160, 50), help="terminal size COLUMNSxLINES (default 160x50)"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "SOAK.md", help="report file, overwritten (default docs/SOAK.md)"
    )
    parser.add_argument(
        "--neowatch", type=Path, default=None, help="the neowatch command (default: next to this Python, else on PATH)"
    )
    return parser


# --- the misbehaving Yahoo ---------------------------------------------------------------


@dataclass
class Market:
    """Seeded prices and faults; called from the server's threads, hence the lock."""

    seed: int
    rng: random.Random = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)
    log_prices: dict[str, float] = field(default_factory=dict)
    recent: dict[str, collections.deque] = field(default_factory=dict)
    served: collections.Counter = field(default_factory=collections.Counter)
    kinds: collections.Counter = field(default_factory=collections.Counter)
    by_what: collections.Counter = field(default_factory=collections.Counter)
    good_prices: dict[str, set[str]] = field(default_factory=lambda: collections.defaultdict(set))
    crwv_crossings: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        for symbol, base in SYMBOLS.items():
            self.log_prices[symbol] = math.log(base)
            self.recent[symbol] = collections.deque([base] * 12, maxlen=12)

    def _step(self, symbol: str) -> float:
        # Mean-reverting walk in log price: it wanders about 3 % around the base, so CRWV
        # goes back and forth over its 133 trigger (+3.6 %) now and then, never off to nowhere.
        base = math.log(SYMBOLS[symbol])
        x = self.log_prices[symbol]
        x += 0.05 * (base - x) + self.rng.gauss(0.0, 0.01)
        self.log_prices[symbol] = x
        price = round(math.exp(x), 2)
        before = self.recent[symbol][-1]
        if symbol == "CRWV" and (before < CRWV_TRIGGER) != (price < CRWV_TRIGGER):
            self.crwv_crossings += 1
        self.recent[symbol].append(price)
        return price

    def reply(self, request: RecordedRequest) -> Reply:
        symbol = request.path.rsplit("/", 1)[-1].upper()
        if symbol not in SYMBOLS:
            return Reply(404, JSON, YAHOO_NOT_FOUND_BODY)
        query = {k: v[0] for k, v in request.query.items() if v}
        if "period1" in query:
            what = "close"
        elif query.get("range") == "1d" and query.get("interval") == "5m":
            what = "quote"
        else:
            what = "history"
        with self.lock:
            kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
            self.served[kind] += 1
            self.kinds[what] += 1
            self.by_what[what, kind] += 1
            moves = kind in ("good", "no bars (price in meta)", "slow (past the timeout)")
            price = self._step(symbol) if moves else self.recent[symbol][-1]
            if kind in ("good", "no bars (price in meta)"):
                self.good_prices[symbol].add(f"{price:.2f}")
            bars = list(self.recent[symbol])
            return self._fault(kind, what, symbol, price, bars, query)

    def _good_body(self, what: str, symbol: str, price: float, bars: list[float], query: dict[str, str]) -> bytes:
        now = int(time.time())
        if what == "quote":
            stamps = [now - 300 * (len(bars) - 1 - i) for i in range(len(bars))]
            return yahoo_chart_body(symbol, price, PREVIOUS_CLOSES[symbol], stamps, bars, market_time=now)
        if what == "close":
            # Daily bars over the asked window, closing at the base price: caps scale from there.
            start, end = int(query.get("period1", now - 86400)), int(query.get("period2", now))
            days = [t for t in range(start + 20 * 3600, end, 86400)][:40]
            return yahoo_chart_body(symbol, SYMBOLS[symbol], None, days, [SYMBOLS[symbol]] * len(days))
        days = [now - 86400 * (59 - i) for i in range(60)]
        closes = [round(SYMBOLS[symbol] * (1 + 0.05 * math.sin(i / 7)), 2) for i in range(60)]
        return yahoo_chart_body(symbol, price, None, days, closes, market_time=now)

    def _fault(
        self, kind: str, what: str, symbol: str, price: float, bars: list[float], query: dict[str, str]
    ) -> Reply:
        good = self._good_body(what, symbol, price, bars, query)
        rng = self.rng
        if kind == "good":
            return Reply(200, JSON, good)
        if kind == "no bars (price in meta)":
            body = yahoo_chart_body(symbol, price, PREVIOUS_CLOSES[symbol], market_time=int(time.time()))
            return Reply(200, JSON, body)
        if kind == "slow (past the timeout)":
            # Past the client's 10 s, yet bounded: the server also cuts it short when it stops.
            return Reply(200, JSON, good, delay=CLIENT_TIMEOUT + rng.uniform(1.0, 3.0))
        if kind == "drip (past the deadline)":
            # A byte every 2 s: the read timeout restarts with each one; only a deadline ends it.
            return Reply(200, JSON, good, drip=2.0)
        if kind == "gzip bomb":
            return Reply(200, {**JSON, "Content-Encoding": "gzip"}, gzip_bomb())
        if kind == "redirect to another host":
            # Port 9 (discard) on loopback: nothing should ever be sent there.
            return Reply(302, {"Location": f"http://127.0.0.2:9/v8/finance/chart/{symbol}"}, b"")
        if kind == "429 with a huge Retry-After" and what == "close":
            # Only on a day-close lookup: on a quote it would rightly silence the feed for the
            # hour it is capped at, and the soak would measure an idle app.
            return Reply(429, {"Retry-After": rng.choice(["1e15", "999999", "Fri, 01 Jan 2099 00:00:00 GMT"])},
                         b"Too Many Requests")
        if kind == "5xx":
            status = rng.choice([500, 502, 503, 504])
            return Reply(status, HTML, f"<html><body>{status} Service Unavailable</body></html>".encode())
        if kind == "429 with Retry-After":
            headers = {"Retry-After": str(rng.randint(5, 40)), "Content-Type": "text/plain"}
            return Reply(429, headers, b"Too Many Requests")
        if kind == "429 without Retry-After":
            body = rng.choice([b"Too Many Requests", b"Edge: Too Many Requests"])
            return Reply(429, {"Content-Type": "text/plain"}, body)
        if kind == "HTML with 200":
            return Reply(200, HTML, b"<!DOCTYPE html><html><body>Before you continue: consent</body></html>")
        if kind == "truncated JSON":
            return Reply(200, JSON, good[: rng.randint(1, max(1, len(good) - 1))])
        if kind == "connection cut mid-body":
            return Reply(200, JSON, good, truncate_at=rng.randint(0, len(good) - 1))
        if kind == "connection dropped":
            return Reply(drop=True)
        if kind == "404 unknown symbol":
            return Reply(404, JSON, YAHOO_NOT_FOUND_BODY)
        if kind == "delisted":
            return Reply(200, JSON, yahoo_chart_body(symbol, None))
        if kind == "another symbol":
            other = rng.choice(["AAPL", *[s for s in SYMBOLS if s != symbol]])
            return Reply(200, JSON, yahoo_chart_body(other, 227.55, market_time=int(time.time())))
        if kind == "429 with a huge Retry-After":
            return Reply(200, JSON, good)
        bad = {"NaN price": math.nan, "negative price": -abs(price), "zero price": 0.0}[kind]
        # json.dumps writes NaN as the bare token NaN, as a broken upstream would.
        return Reply(200, JSON, yahoo_chart_body(symbol, bad, PREVIOUS_CLOSES[symbol], market_time=int(time.time())))


# --- tmux and /proc ----------------------------------------------------------------------


class Tmux(SharedTmux):
    """The benchmark's private tmux server, bound to the soak's one session."""

    def capture(self) -> str:  # type: ignore[override]
        return super().capture(SESSION)

    def pane_pid(self) -> int | None:  # type: ignore[override]
        return super().pane_pid(SESSION)


def find_app_pid(pane_pid: int) -> int | None:
    """The neowatch process under the pane's shell (env execs it, so it is a direct child)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat_fields(f"/proc/{entry}/stat")
            if fields:
                children[int(fields[1])].append(int(entry))
    todo, seen = list(children[pane_pid]), set()
    while todo and len(seen) < 1000:
        pid = todo.pop()
        seen.add(pid)
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        program = Path(argv[0].decode(errors="replace")).name if argv else ""
        if argv and program not in ("sh", "bash", "env", "sleep") and any(b"neowatch" in a for a in argv):
            return pid
        todo.extend(children[pid])
    return None


def rss_kib(pid: int) -> int | None:
    return status_kib(pid, "VmRSS")


# --- the soak ----------------------------------------------------------------------------


@dataclass
class Run:
    """What one soak saw."""

    started: float = 0.0
    memory: list[tuple[float, int, int]] = field(default_factory=list)  # (t, incarnation, KiB)
    cpu: list[tuple[float, int, float]] = field(default_factory=list)  # (t, incarnation, s)
    open_ms: list[tuple[float, float]] = field(default_factory=list)
    close_ms: list[float] = field(default_factory=list)
    key_timeouts: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    screen_notes: list[str] = field(default_factory=list)
    first_paint_ms: float | None = None
    last_screen: str = ""
    captures: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    crwv_rows: collections.Counter = field(default_factory=collections.Counter)  # (BUY shown, price < 133)
    capture_ms: list[float] = field(default_factory=list)


class Soak:
    def __init__(self, args: argparse.Namespace, market: Market, base_url: str, workdir: Path) -> None:
        self.args = args
        self.market = market
        self.tmux = Tmux(f"neowatch-soak-{os.getpid()}")
        self.run_data = Run()
        self.incarnation = 0
        self.pid: int | None = None
        portfolio = workdir / "portfolio.toml"
        sample = (ROOT / "sample_portfolio.toml").read_text()
        text, count = re.subn(r"(?m)^refresh_interval = \d+", f"refresh_interval = {args.interval}", sample)
        if count != 1:
            raise SystemExit("soak: sample_portfolio.toml has no single refresh_interval line to set")
        portfolio.write_text(text)
        env = {
            "NEOWATCH_YAHOO_URL": base_url,
            "XDG_CONFIG_HOME": str(workdir / "config"),
            "XDG_CACHE_HOME": str(workdir / "cache"),
            "XDG_DATA_HOME": str(workdir / "data"),
            # Loopback only: no proxy may see (or swallow) these requests.
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "LANG": "C.UTF-8",
        }
        proxies = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
        unset = " ".join(f"-u {v}" for v in proxies)
        assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # The echo makes an exit (a crash, or q) visible on the pane; the sleep keeps the pane to read it.
        self.command = (
            f"cd {shlex.quote(str(workdir))} && env {unset} {assigns} "
            f"{shlex.quote(str(args.neowatch))} {shlex.quote(str(portfolio))}; echo EXIT=$?; sleep 3600"
        )
        self.workdir = workdir

    # -- lifecycle --

    def start(self) -> None:
        width, height = self.args.size
        started = time.monotonic()
        self.tmux.run("new-session", "-d", "-s", SESSION, "-x", str(width), "-y", str(height), self.command)
        self._attach(started, first=True)

    def restart(self) -> None:
        started = time.monotonic()
        self.tmux.run("respawn-pane", "-k", "-t", SESSION, self.command)
        self._attach(started, first=False)

    def _attach(self, started: float, first: bool) -> None:
        self.incarnation += 1
        self.pid = None
        deadline = started + 30
        while time.monotonic() < deadline:
            pane = self.tmux.pane_pid()
            if self.pid is None and pane:
                self.pid = find_app_pid(pane)
            screen = self.tmux.capture()
            if STATUS_MARK in screen and self.pid:
                if first:
                    self.run_data.first_paint_ms = (time.monotonic() - started) * 1000
                return
            if "EXIT=" in screen:
                break
            time.sleep(0.05)
        raise SystemExit(f"soak: neowatch did not come up; the screen said:\n{self.tmux.capture()}")

    def stop(self) -> tuple[int | None, str]:
        """Quit with q; the exit code as the pane's echo reports it."""
        self.tmux.run("send-keys", "-t", SESSION, "q", check=False)
        deadline = time.monotonic() + 15
        screen = ""
        while time.monotonic() < deadline:
            screen = self.tmux.capture()
            match = re.search(r"EXIT=(\d+)", screen)
            if match:
                return int(match[1]), screen
            time.sleep(0.1)
        return None, screen

    def kill(self) -> None:
        self.tmux.run("kill-server", check=False)

    # -- checks --

    def sample(self) -> None:
        if self.pid is None:
            return
        now = time.monotonic() - self.run_data.started
        kib, cpu = rss_kib(self.pid), cpu_seconds(self.pid)
        if kib is not None and cpu is not None:
            self.run_data.memory.append((now, self.incarnation, kib))
            self.run_data.cpu.append((now, self.incarnation, cpu))

    def look(self) -> str:
        """Capture the screen, count a crash if there is one, and check what the grid says."""
        screen = self.tmux.capture()
        self.run_data.captures += 1
        gone = self.pid is None or not alive(self.pid)
        if "EXIT=" in screen or "Traceback" in screen or gone:
            when = time.monotonic() - self.run_data.started
            said = "\n".join(line.rstrip() for line in screen.splitlines() if line.strip())[-3000:]
            self.run_data.crashes.append(f"at {when:.0f} s (process {'gone' if gone else 'present'}):\n{said}")
            self.restart()
            return self.tmux.capture()
        if KEYS_MARK not in screen:
            self.check_screen(screen)
        return screen

    def check_screen(self, screen: str) -> None:
        """Prices shown must be ones served as good; BUY on CRWV only under its trigger."""
        when = time.monotonic() - self.run_data.started
        status = next((line.strip(" │") for line in screen.splitlines() if STATUS_MARK in line), "")
        for word in ("RATE-LIMITED", "OFFLINE", "STALE", "fetching", "failed"):
            if word in status:
                self.run_data.statuses[word] += 1
        self.run_data.statuses["(captures with a status line)"] += bool(status)
        header = next((line for line in screen.splitlines() if "Symbol" in line and "Price" in line), None)
        if header is None:
            top = " / ".join(line.strip()[:60] for line in screen.splitlines() if line.strip())[:200]
            self.note(when, f"no grid header on screen; it began: {top}")
            return
        # The Price column spans from its header to the next one's ("Day"); values are right-aligned in it.
        price_from, price_to = header.index("Price"), header.index("Day")
        seen: set[str] = set()
        for line in screen.splitlines():
            match = re.match(r"\s*│\s*(CRWV|NBIS|IREN|CIFR)\s(.*)", line)
            if not match or match[1] in seen:
                continue  # the first row of a symbol is the grid's; later ones are the panels'
            symbol, rest = match[1], match[2]
            seen.add(symbol)
            shown = line[price_from:price_to].strip().replace(",", "")
            if shown == "—":
                continue  # no price yet: allowed, the status line says why
            if not re.fullmatch(r"-?\d+\.\d\d", shown):
                self.note(when, f"{symbol}: price cell reads {shown!r}: {line.strip()}")
                continue
            with self.market.lock:
                known = shown in self.market.good_prices[symbol]
            if not known:
                self.note(when, f"{symbol} shows {shown}, never served as a good price: {line.strip()}")
            if symbol == "CRWV":
                buy = re.match(r"\s*BUY\b", rest) is not None
                if buy and float(shown) >= CRWV_TRIGGER:
                    self.note(when, f"CRWV marked BUY at {shown} ≥ {CRWV_TRIGGER:g}: {line.strip()}")
                self.run_data.crwv_rows[("BUY" if buy else "no BUY", float(shown) < CRWV_TRIGGER)] += 1

    def note(self, when: float, text: str) -> None:
        if len(self.run_data.screen_notes) < 50:
            self.run_data.screen_notes.append(f"at {when:.0f} s: {text}")

    def wait_for(self, present: bool, limit: float) -> float | None:
        """Seconds until KEYS_MARK is (or is no longer) on screen; polled every ~10 ms, bounded."""
        sent = time.monotonic()
        while time.monotonic() - sent < limit:
            before = time.monotonic()
            screen = self.tmux.capture()
            # What one capture costs is part of every latency figure: keep it to report beside them.
            if len(self.run_data.capture_ms) < 5000:
                self.run_data.capture_ms.append((time.monotonic() - before) * 1000)
            if (KEYS_MARK in screen) == present:
                return time.monotonic() - sent
            time.sleep(0.01)
        return None

    def key_latency(self) -> None:
        when = time.monotonic() - self.run_data.started
        self.tmux.run("send-keys", "-t", SESSION, "-l", "?", check=False)
        opened = self.wait_for(True, 5.0)
        if opened is None:
            self.run_data.key_timeouts.append(f"at {when:.0f} s: ? gave no keys list within 5 s")
            return
        self.run_data.open_ms.append((when, opened * 1000))
        self.tmux.run("send-keys", "-t", SESSION, "Escape", check=False)
        closed = self.wait_for(False, 5.0)
        if closed is None:
            self.run_data.key_timeouts.append(f"at {when:.0f} s: Escape left the keys list open for 5 s")
            self.tmux.run("send-keys", "-t", SESSION, "-l", "?", check=False)  # ? closes it too
            self.wait_for(False, 5.0)
            return
        self.run_data.close_ms.append(closed * 1000)

    def soak(self) -> None:
        data = self.run_data
        data.started = time.monotonic()
        end = data.started + self.args.minutes * 60
        next_look, next_sample, next_key = data.started, data.started + 5, data.started + 10
        while (now := time.monotonic()) < end:
            if now >= next_sample:
                self.sample()
                next_sample += 30
            if now >= next_key:
                self.look()
                self.key_latency()
                next_key += 20
            if now >= next_look:
                data.last_screen = self.look()
                next_look += 2
            time.sleep(max(0.05, min(next_look, next_sample, next_key, end) - time.monotonic()))
        self.sample()
        data.last_screen = self.look()


# --- the report --------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def versions(neowatch: Path) -> dict[str, str]:
    """Versions as the Python that runs neowatch sees them (its shebang's interpreter)."""
    try:
        shebang = neowatch.read_text(errors="replace").splitlines()[0]
        python = shebang[2:].strip().split()[0] if shebang.startswith("#!") else sys.executable
    except (OSError, IndexError):
        python = sys.executable
    probe = (
        "import sys, json, importlib.metadata as m;"
        " print(json.dumps([sys.version.split()[0], m.version('textual'), m.version('neowatch')]))"
    )
    try:
        out = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=30).stdout
        py, textual, neowatch_version = json.loads(out)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        py, textual, neowatch_version = platform.python_version(), "?", "?"
    return {"python": py, "textual": textual, "neowatch": neowatch_version}


def tree_state() -> str:
    """Which code was soaked: the soak runs the working tree, which may hold uncommitted edits."""
    try:
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "watcher"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (no git)"
    changes = f" plus uncommitted changes to {len(dirty)} paths under watcher/" if dirty else ", clean"
    return f"commit {head}{changes}"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def report(
    args: argparse.Namespace, run: Run, market: Market, exit_code: int | None, wall: float, command: str, tree: str
) -> str:
    v = versions(args.neowatch)
    lines = [
        "# Soak test of neowatch",
        "",
        "`scripts/soak.py` runs neowatch for minutes in a detached tmux session against a Yahoo",
        "stand-in on 127.0.0.1 that answers mostly well and, at random (seeded), with every fault",
        "of `tests/ui/test_faults.py`. It counts crashes and measures memory, CPU and how fast the",
        "keys list opens. It is not part of `pytest`; run it by hand (needs tmux and Linux `/proc`):",
        "",
        "```sh",
        "python scripts/soak.py --minutes 10 --interval 5      # options: --seed --size 160x50 --out docs/SOAK.md",
        "```",
        "",
        "It exits 1 if neowatch crashed (the pane showed `EXIT=` or a traceback, or the process",
        "vanished; it is then restarted to keep soaking) or did not exit 0 on `q`. The other",
        "figures are measurements, not pass/fail: compare them between runs. This file is",
        "overwritten by each run; what follows is the last one.",
        "",
        "How it measures: memory is VmRSS of the neowatch process from `/proc/<pid>/status`",
        "every 30 s; CPU is utime+stime from `/proc/<pid>/stat`; key latency is the time from",
        "`tmux send-keys ?` until `tmux capture-pane` shows the keys list (polled every ~10 ms,",
        "so it includes tmux's own round trip, a few ms), then the same for Escape closing it,",
        "every 20 s. Every 2 s the screen is captured: each grid price must be one the server",
        "served as a good answer, and CRWV may show BUY only under 133.",
        "",
        f"## Last run: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        "",
        f"- Machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.system()} {platform.release()}, "
        f"Python {v['python']}, Textual {v['textual']}, neowatch {v['neowatch']}",
        f"- Code: {tree}",
        f"- Command: `{command}`",
        f"- Duration: {wall / 60:.1f} min of soak; refresh interval {args.interval} s; seed {args.seed}; "
        f"terminal {args.size[0]}x{args.size[1]}",
    ]
    lines += ["", "### Crashes", ""]
    exit_text = "no exit seen within 15 s" if exit_code is None else str(exit_code)
    lines.append(f"**{len(run.crashes)}** crashes; exit code after `q`: {exit_text}.")
    for crash in run.crashes[:5]:
        lines += ["", "```text", crash, "```"]

    total = sum(market.served.values())
    kinds = ", ".join(f"{n} {w}" for w, n in sorted(market.kinds.items()))
    lines += ["", "### Requests served", "",
              f"{total} chart requests ({kinds}); CRWV's walk crossed 133 {market.crwv_crossings} times.", "",
              "| answer | count | share |", "|---|---:|---:|"]
    for kind in MIX:
        count = market.served.get(kind, 0)
        lines.append(f"| {kind} | {count} | {100 * count / total if total else 0:.1f} % |")
    closes = ", ".join(f"{n} {kind}" for (what, kind), n in sorted(market.by_what.items()) if what == "close")
    lines += ["", f"Close requests (the as-of day's close that makes Mcap live, \"scaled\"): {closes or 'none'}."]

    lines += ["", "### Memory (resident, VmRSS)", ""]
    first = [m for m in run.memory if m[1] == 1]
    if first:
        kibs = [m[2] for m in first]
        start, end, peak = kibs[0], kibs[-1], max(kibs)
        half = [m[2] for m in first if m[0] >= first[-1][0] / 2]
        lines += [
            f"- start {mib(start)} MiB (at {first[0][0]:.0f} s), end {mib(end)} MiB (at {first[-1][0]:.0f} s), "
            f"max {mib(peak)} MiB",
            f"- growth {(end - start) / 1024:+.1f} MiB (end/start {end / start:.3f}); over the second half only "
            f"{(half[-1] - half[0]) / 1024:+.1f} MiB ({len(first)} samples)",
            "- samples (MiB): " + ", ".join(mib(k) for k in kibs),
        ]
    lines += ["", "### CPU", ""]
    cpu = [c for c in run.cpu if c[1] == 1]
    if len(cpu) >= 2 and cpu[-1][0] > cpu[0][0]:
        busy = cpu[-1][2] - cpu[0][2]
        span = cpu[-1][0] - cpu[0][0]
        lines.append(f"- {100 * busy / span:.1f} % of one core on average ({busy:.1f} s of CPU over {span:.0f} s, "
                     "including answering the key presses)")
        steps = [(b[2] - a[2]) / (b[0] - a[0]) * 100 for a, b in pairwise(cpu) if b[0] > a[0]]
        if steps:
            lines.append(f"- per 30 s window: median {statistics.median(steps):.1f} %, max {max(steps):.1f} %")

    lines += ["", "### Key latency (`?` opens the keys list, Escape closes it)", ""]
    opens = [ms for _, ms in run.open_ms]
    if run.first_paint_ms is not None:
        lines.append(f"- start to first screen with the status line: {run.first_paint_ms:.0f} ms")
    if opens:
        med = statistics.median(opens)
        early = [ms for t, ms in run.open_ms if t < wall / 2]
        late = [ms for t, ms in run.open_ms if t >= wall / 2]
        lines.append(f"- open: median {med:.0f} ms, p90 {percentile(opens, 0.9):.0f} ms, max {max(opens):.0f} ms "
                     f"(n={len(opens)}; p90/median {percentile(opens, 0.9) / med:.2f}, "
                     f"max/median {max(opens) / med:.2f})")
        if early and late:
            lines.append(f"- open, second half vs first half median: {statistics.median(late):.0f} "
                         f"/ {statistics.median(early):.0f} ms "
                         f"= {statistics.median(late) / statistics.median(early):.2f}")
    if run.close_ms:
        med = statistics.median(run.close_ms)
        lines.append(f"- close: median {med:.0f} ms, p90 {percentile(run.close_ms, 0.9):.0f} ms, "
                     f"max {max(run.close_ms):.0f} ms (n={len(run.close_ms)})")
    if run.capture_ms:
        lines.append(f"- one `tmux capture-pane` takes {statistics.median(run.capture_ms):.1f} ms (median): "
                     "the resolution of these figures")
    lines.append("- Escape includes Textual's wait for the rest of an escape sequence (ESCDELAY, 100 ms by default)")
    lines.append(f"- presses without an answer within 5 s: {len(run.key_timeouts)}")
    lines += [f"  - {t}" for t in run.key_timeouts[:10]]

    lines += ["", "### What the screen said", ""]
    captured = run.statuses.get("(captures with a status line)", 0)
    words = ", ".join(f"{w} in {n}" for w, n in run.statuses.items() if not w.startswith("("))
    lines.append(f"Of {captured} captures with a status line: {words or 'no warnings'}.")
    below = " (first ones below)." if run.screen_notes else "."
    lines.append(f"Screen checks that failed: {len(run.screen_notes)}{below}")
    lines += [f"- {n}" for n in run.screen_notes[:10]]
    if run.crwv_rows:
        seen = ", ".join(
            f"{buy} with price {'under' if under else 'at or over'} 133: {n}"
            for (buy, under), n in sorted(run.crwv_rows.items())
        )
        lines.append(f"CRWV's row in the captures: {seen}.")
    screen_lines = run.last_screen.splitlines()
    excerpt = [ln.rstrip() for ln in screen_lines if STATUS_MARK in ln]
    rows = [ln.rstrip() for ln in screen_lines if re.match(r"\s*│\s*(Symbol|CRWV|NBIS|IREN|CIFR)\s", ln)]
    excerpt = rows[:5] + excerpt
    lines += ["", "Last capture before `q` (the grid and the status line):", "", "```text", *excerpt, "```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.interval < 5:
        raise SystemExit("soak: neowatch's refresh_interval is at least 5 s")
    if args.minutes <= 0 or args.minutes > 24 * 60:
        raise SystemExit("soak: --minutes must be above 0 and at most a day")
    if args.neowatch is None:
        beside = Path(sys.executable).parent / "neowatch"
        found = beside if beside.exists() else shutil.which("neowatch")
        if not found:
            raise SystemExit("soak: no neowatch command found; pass --neowatch")
        args.neowatch = Path(found)
    if not shutil.which("tmux"):
        raise SystemExit("soak: tmux is needed")
    tree = tree_state()  # taken at the start: the tree may change while the soak runs
    command = "python scripts/soak.py " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))

    market = Market(args.seed)
    server = LoopbackServer()
    server.route("/v8/finance/chart/", market.reply)
    server.start()
    workdir = Path(tempfile.mkdtemp(prefix="neowatch-soak-"))
    soak = Soak(args, market, server.base_url, workdir)
    exit_code: int | None = None
    began = time.monotonic()
    try:
        soak.start()
        print(f"soak: neowatch up (pid {soak.pid}) against {server.base_url}; soaking {args.minutes:g} min", flush=True)
        soak.soak()
        exit_code, screen = soak.stop()
        if exit_code != 0:
            said = "\n".join(line.rstrip() for line in screen.splitlines() if line.strip())[-3000:]
            soak.run_data.crashes.append(f"on q: exit {exit_code}:\n{said}")
    finally:
        soak.kill()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    wall = time.monotonic() - (soak.run_data.started or began)
    text = report(args, soak.run_data, market, exit_code, wall, command, tree)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 1 if soak.run_data.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
