"""What every measurement shares: paths, the machine, a private tmux server, /proc readings, medians."""

from __future__ import annotations

import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SAMPLE = ROOT / "sample_portfolio.toml"
PYTHON = Path(sys.executable)
# The sample's companies and the prices the warm cache holds; "128.40" is what first paint waits for.
SAMPLE_PRICES = {"CRWV": 128.40, "NBIS": 100.00, "IREN": 40.00, "CIFR": 14.00}
SAMPLE_PREVIOUS = {"CRWV": 130.00, "NBIS": 98.00, "IREN": 41.00, "CIFR": 13.50}
PRICE_MARK = "128.40"
PANE = (160, 50)
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
# A developer's own settings must not reach the measured apps: no key, no SEC contact, no proxy.
# Nor a shell's PYTHONDONTWRITEBYTECODE: a user's Python keeps compiled modules (pip compiles an
# installed package; an editable one is compiled at its first start), so the apps are measured so.
_UNSET = (
    *_PROXY_VARIABLES, "NEOWATCH_SEC_CONTACT", "NEOWATCH_FINNHUB_TOKEN", "NEOWATCH_FINNHUB_URL", "TEXTUAL_DRIVER",
    "PYTHONDONTWRITEBYTECODE",
)
# Nothing listens on the discard port: were the SEC source ever switched on, it fails at once, offline.
NOWHERE = "http://127.0.0.1:9"


def clean_environ() -> dict[str, str]:
    """This process's environment without the variables the measured apps must not see."""
    return {k: v for k, v in os.environ.items() if k not in _UNSET}


def scrub_environ() -> None:
    """For the in-process parts (the refresh's httpx client trusts the environment): loopback direct."""
    for name in _UNSET:
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def neowatch_command() -> list[str]:
    """The console script beside this Python (what a user runs), else `python -m watcher`."""
    script = PYTHON.parent / "neowatch"
    return [str(script)] if script.exists() else [str(PYTHON), "-m", "watcher"]


def app_environment(workdir: Path, yahoo_url: str | None = None) -> dict[str, str]:
    """Private XDG folders under `workdir`, loopback only, no proxy in between."""
    env = {
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_STATE_HOME": str(workdir / "state"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "LANG": "C.UTF-8",
        "TERM": "tmux-256color",
        "NEOWATCH_SEC_URL": NOWHERE,
    }
    if yahoo_url:
        env["NEOWATCH_YAHOO_URL"] = yahoo_url
    return env


def shell_command(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> str:
    """One line for tmux: `exec env` so the measured process is the pane's own process."""
    unset = " ".join(f"-u {name}" for name in _UNSET)
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"cd {shlex.quote(str(cwd))} && exec env {unset} {assigns} {shlex.join(argv)}"


def sample_portfolio(path: Path, extra_symbols: Sequence[str] = ()) -> Path:
    """The sample file, optionally with more symbols on its watchlist."""
    text = SAMPLE.read_text("utf-8")
    if extra_symbols:
        listed = ", ".join(f'"{s}"' for s in extra_symbols)
        text, count = re.subn(r'(?m)^watchlist = \[(.*)\]', lambda m: f"watchlist = [{m[1]}, {listed}]", text)
        if count != 1:
            raise SystemExit("bench: sample_portfolio.toml has no single watchlist line to extend")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def synthetic_symbols(count: int) -> list[str]:
    """Watchlist fillers the loopback server prices; the sample's four come first."""
    return [f"BX{i:04d}" for i in range(max(0, count - len(SAMPLE_PRICES)))]


# --- tmux ---------------------------------------------------------------------------------


class Tmux:
    """A private tmux server on its own socket (-L): other people's sessions are never touched."""

    def __init__(self, socket_name: str = "bench") -> None:
        self.base = ["tmux", "-L", socket_name, "-f", "/dev/null"]

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start_server(self) -> None:
        # A session that only holds the server up: no run pays for starting tmux itself.
        if subprocess.run([*self.base, "has-session", "-t", "holder"], capture_output=True).returncode != 0:
            self.run("new-session", "-d", "-s", "holder", "-x", "80", "-y", "24", "sleep 7200")

    def stop_server(self) -> None:
        self.run("kill-server", check=False)

    def new(self, name: str, command: str, size: tuple[int, int] = PANE) -> None:
        self.run("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), command)

    def capture(self, name: str) -> str:
        try:
            done = subprocess.run(
                [*self.base, "capture-pane", "-p", "-t", name], capture_output=True, text=True, timeout=5
            )
        except subprocess.TimeoutExpired:
            return ""
        return done.stdout

    def pane_pid(self, name: str) -> int | None:
        out = self.run("display-message", "-p", "-t", name, "#{pane_pid}", check=False).strip()
        return int(out) if out.isdigit() else None

    def kill(self, name: str, pid: int | None) -> None:
        """Close the session, then wait (bounded) until its process is gone."""
        self.run("kill-session", "-t", name, check=False)
        if pid is None:
            return
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.02)


def wait_for_text(tmux: Tmux, name: str, text: str, limit: float, every: float = 0.005) -> float | None:
    """Seconds from now until the pane shows `text`, polling every `every` s; None after `limit`."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in tmux.capture(name):
            return time.perf_counter() - start
        time.sleep(every)
    return None


# --- /proc --------------------------------------------------------------------------------


def stat_fields(path: str) -> list[str] | None:
    try:
        text = Path(path).read_text()
    except OSError:
        return None
    # The command name may hold spaces or parentheses: the fields start after the last ')'.
    return text[text.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    fields = stat_fields(f"/proc/{pid}/stat")
    return fields is not None and fields[0] not in ("Z", "X")


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of the whole process (all threads)."""
    fields = stat_fields(f"/proc/{pid}/stat")
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_kib(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def pss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def thread_wakeups(pid: int) -> dict[int, tuple[int, float]]:
    """Per thread: (context switches so far, CPU seconds so far)."""
    out: dict[int, tuple[int, float]] = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    tick = os.sysconf("SC_CLK_TCK")
    for tid in tids:
        switches = 0
        try:
            for line in Path(f"/proc/{pid}/task/{tid}/status").read_text().splitlines():
                if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                    switches += int(line.split()[1])
        except OSError:
            continue
        fields = stat_fields(f"/proc/{pid}/task/{tid}/stat")
        cpu = (int(fields[11]) + int(fields[12])) / tick if fields else 0.0
        out[int(tid)] = (switches, cpu)
    return out


# --- the machine --------------------------------------------------------------------------


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    try:
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "watcher"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()
        tree = head + (f" + uncommitted changes to {len(dirty)} paths under watcher/" if dirty else " (watcher/ clean)")
    except (OSError, subprocess.TimeoutExpired):
        tree = "unknown"
    tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip() or "?"
    return {
        "cpu": model,
        "nproc": str(len(os.sched_getaffinity(0))),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "textual": version("textual"),
        "rich": version("rich"),
        "httpx": version("httpx"),
        "neowatch": version("neowatch"),
        "commit": tree,
        "tmux": tmux,
    }


# --- the loopback Yahoo, in its own process ------------------------------------------------


class YahooServer:
    """bench/server.py as a child process: `with YahooServer(delay=0.05) as yahoo: yahoo.base_url`."""

    def __init__(self, delay: float, shift: float = 0.0) -> None:
        self.args = [str(PYTHON), str(BENCH / "server.py"), "--delay", str(delay), "--shift", str(shift)]
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> YahooServer:
        self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1:"):
            self.__exit__()
            raise RuntimeError(f"bench: the loopback server did not start ({self.base_url!r})")
        return self

    def ask(self, word: str) -> int:
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.process.stdin.write(word + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        return int(answer) if answer.isdigit() else 0

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None:
            return
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None
