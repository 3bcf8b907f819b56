"""`e` with an editor that cannot start, fails or is killed: the screen comes back and says so."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ui.conftest import SAMPLE, FixedProvider, settle, toasts
from watcher.app import NeowatchApp, make_app
from watcher.config import load_config

SIZE = (120, 40)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.toml"
    shutil.copy(SAMPLE, path)
    return path


def script(path: Path, body: str) -> Path:
    """An executable Python script the test uses as the editor."""
    path.write_text(f"#!{sys.executable}\nimport os, pathlib, signal, sys\n{body}\n", "utf-8")
    path.chmod(0o755)
    return path


def use_editor(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", value)


@contextmanager
def terminal_handed_over(app: NeowatchApp) -> Iterator[list[str]]:
    """Stands in for Textual's suspend() with a terminal: it records each use and whether an
    exception came out of the block (Textual 8.2.8 would then leave the screen blank)."""
    uses: list[str] = []

    @contextmanager
    def suspend() -> Iterator[None]:
        try:
            yield
        except BaseException as error:
            uses.append(f"raised {type(error).__name__}")
            raise
        uses.append("clean")

    app.suspend = suspend  # type: ignore[method-assign]
    yield uses


async def press_e(app: NeowatchApp) -> list[str]:
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.is_running
        await pilot.press("question_mark")  # the app still answers keys
        await pilot.pause()
        assert app.screen is not app.main_screen
    return shown


async def test_a_missing_editor_path_is_reported_and_the_app_goes_on(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    use_editor(monkeypatch, "/nonexistent/editor")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = await press_e(app)
    assert "Could not start the editor /nonexistent/editor: there is no such file." in shown


async def test_an_editor_name_not_on_the_path_is_reported(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    use_editor(monkeypatch, "no-such-editor-anywhere --wait")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = await press_e(app)
    assert "Could not start the editor no-such-editor-anywhere: no program of that name on $PATH." in shown


async def test_an_editor_that_exits_3_is_reported_and_the_file_is_read_again(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: ANN001
) -> None:
    editor = script(
        tmp_path / "editor",
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('price_below = 133', 'price_below = 100'))\n"
        "sys.exit(3)",
    )
    use_editor(monkeypatch, str(editor))
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = await press_e(app)
    assert "The editor exited with code 3; the file was read again." in shown
    assert app.session.config.conditions[0].price_below == 100


async def test_an_editor_killed_by_a_signal_is_reported(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: ANN001
) -> None:
    editor = script(tmp_path / "editor", "os.kill(os.getpid(), signal.SIGTERM)")
    use_editor(monkeypatch, str(editor))
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = await press_e(app)
    assert "The editor was stopped by SIGTERM; the file was read again." in shown


async def test_an_editor_whose_path_has_spaces_runs(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: ANN001
) -> None:
    folder = tmp_path / "My Editors"
    folder.mkdir()
    editor = script(folder / "the editor", "sys.exit(4)")
    use_editor(monkeypatch, str(editor))
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    shown = await press_e(app)
    assert "The editor exited with code 4; the file was read again." in shown


# With a terminal: the same helper runs inside suspend(), and nothing comes out of it.


async def test_with_a_terminal_a_missing_editor_never_suspends(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    use_editor(monkeypatch, "/nonexistent/editor")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    with terminal_handed_over(app) as uses:
        shown = await press_e(app)
    assert uses == []  # the screen was never blanked
    assert "Could not start the editor /nonexistent/editor: there is no such file." in shown


async def test_with_a_terminal_an_editor_that_cannot_run_gives_the_screen_back(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: ANN001
) -> None:
    editor = tmp_path / "editor"
    editor.write_bytes(b"\x7fELF\x00\x00not a program")  # executable, but no system can run it
    editor.chmod(0o755)
    use_editor(monkeypatch, str(editor))
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    with terminal_handed_over(app) as uses:
        shown = await press_e(app)
    assert uses == ["clean"]
    assert any(message.startswith(f"Could not start the editor {editor}: ") for message in shown)


async def test_with_a_terminal_an_editor_that_exits_3_is_reported(
    portfolio: Path, clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: ANN001
) -> None:
    use_editor(monkeypatch, str(script(tmp_path / "editor", "sys.exit(3)")))
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    with terminal_handed_over(app) as uses:
        shown = await press_e(app)
    assert uses == ["clean"]
    assert "The editor exited with code 3; the file was read again." in shown
