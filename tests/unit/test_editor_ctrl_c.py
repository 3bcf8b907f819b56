"""Ctrl+C in a line-mode editor belongs to the editor: neowatch, in the same process group, stays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# A child that runs the editor as the app does, in a session of its own: the editor's
# `kill -INT 0` then reaches only that child and the editor, as the terminal's Ctrl+C would.
CHILD = """
import sys
from watcher.file_watch import run_editor
outcome = run_editor([sys.argv[1]], sys.argv[2])
print("OUTCOME", outcome.started, outcome.problem)
"""


def editor(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "line-editor"
    script.write_text("#!/bin/sh\n" + body, "utf-8")
    script.chmod(0o755)
    return script


def run_child(script: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    target = tmp_path / "portfolio.toml"
    target.write_text("", "utf-8")
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(script), str(target)],
        capture_output=True, text=True, timeout=60, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
def test_ctrl_c_in_the_editor_does_not_kill_neowatch(tmp_path: Path) -> None:
    # The editor catches its Ctrl+C and ends well, as ed or a shell prompt would.
    script = editor(tmp_path, "trap 'exit 0' INT\nkill -INT 0\nsleep 5\nexit 9\n")
    done = run_child(script, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "KeyboardInterrupt" not in done.stderr
    assert "OUTCOME True None" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
def test_an_editor_that_ctrl_c_stops_is_said_so(tmp_path: Path) -> None:
    # The editor keeps the default: Ctrl+C stops it; neowatch says so and reads the file again.
    done = run_child(editor(tmp_path, "kill -INT $$\nsleep 5\n"), tmp_path)
    assert done.returncode == 0, done.stderr
    # The editor's own Ctrl+C still works: it did not inherit SIGINT as ignored.
    assert "OUTCOME True The editor was stopped by SIGINT" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
def test_ctrl_c_to_the_whole_group_is_named_in_the_outcome(tmp_path: Path) -> None:
    done = run_child(editor(tmp_path, "trap 'exit 130' INT\nkill -INT 0\nsleep 5\n"), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "exited with code 130 after Ctrl+C (which went to the editor, not to neowatch)" in done.stdout
