"""Without a terminal (cron, systemd, a pipe) the app refuses at once and points to `neowatch check`."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from watcher import __main__ as cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_portfolio.toml"
# Only a guard against a hang (the old behaviour): never a measure of how fast it refuses.
HANG_GUARD_SECONDS = 60


@pytest.fixture
def run_script(tmp_path: Path):  # noqa: ANN201
    script = Path(sys.executable).with_name("neowatch")
    if not script.exists():
        pytest.skip(f"no neowatch console script beside {sys.executable}")
    env = {
        **os.environ,
        **{f"XDG_{kind}_HOME": str(tmp_path / kind.lower()) for kind in ("CONFIG", "CACHE", "DATA", "STATE")},
    }

    def run(*args: str, stdin: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *args], stdin=stdin, capture_output=True, text=True, env=env, timeout=HANG_GUARD_SECONDS
        )

    return run


def test_with_stdin_from_dev_null_the_app_exits_2_and_names_check(run_script) -> None:  # noqa: ANN001
    done = run_script(str(SAMPLE), "--demo", stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert "neowatch check" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_with_stdout_a_pipe_the_app_exits_2(run_script) -> None:  # noqa: ANN001
    main_end, terminal_end = pty.openpty()
    try:
        done = run_script(str(SAMPLE), "--demo", stdin=terminal_end)  # stdin a terminal, stdout a pipe
    finally:
        os.close(main_end)
        os.close(terminal_end)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and "neowatch check" in done.stderr


def test_a_bad_file_is_still_reported_without_a_terminal(run_script, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.toml"
    bad.write_text("cash = -1\n", "utf-8")
    done = run_script(str(bad), stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert str(bad) in done.stderr and "cash" in done.stderr


def test_the_app_is_not_built_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import watcher.app

    built: list[object] = []
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(watcher.app, "NeowatchApp", lambda *a, **kw: built.append(a))
    monkeypatch.setattr(cli, "has_terminal", lambda: False)
    assert cli.main([str(SAMPLE), "--demo"]) == 2
    assert built == []
    assert cli.NO_TERMINAL in capsys.readouterr().err


def test_has_terminal_is_false_when_stdin_is_not_one(monkeypatch: pytest.MonkeyPatch) -> None:
    with open(os.devnull, encoding="utf-8") as null:
        monkeypatch.setattr(sys, "__stdin__", null)
        assert not cli.has_terminal()
    monkeypatch.setattr(sys, "__stdin__", None)  # pythonw, a detached service
    assert not cli.has_terminal()
