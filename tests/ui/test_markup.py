"""Notices hold outside text (paths, file names, errors) as it is: "[/red]" in a path is shown, not
parsed as markup (which crashed the app with a MarkupError)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from tests.ui.conftest import SAMPLE, FixedProvider, settle, toasts
from watcher.app import NeowatchApp, make_app
from watcher.config import load_config

SIZE = (160, 50)
ODD = "odd[/red]dir"  # two folders ("odd[" and "red]dir"): the path holds "[/red]"


def copy_sample(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, path)
    return path


def shown_on_screen(app: NeowatchApp) -> list[str]:
    """The toasts as painted (run_test shows none unless asked): rendering parses markup."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_e_without_an_editor_names_a_path_with_markup_as_it_is(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    portfolio = copy_sample(tmp_path / ODD / "p.toml")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    messages = toasts(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        assert any(str(portfolio) in message for message in messages)
        assert any(str(portfolio) in painted for painted in shown_on_screen(app))
        assert app.is_running


async def test_a_missing_editor_with_markup_in_its_name_is_named_as_it_is(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(tmp_path / ODD / "editor"))
    portfolio = copy_sample(tmp_path / ODD / "p.toml")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        painted = shown_on_screen(app)
        assert any(f"Could not start the editor {tmp_path / ODD / 'editor'}" in text for text in painted)


async def test_a_reload_of_a_file_named_with_markup_says_its_name_as_it_is(tmp_path: Path, clock) -> None:  # noqa: ANN001
    portfolio = copy_sample(tmp_path / ODD / "[bold]p.toml")
    app = make_app(load_config(portfolio), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        text = portfolio.read_text("utf-8")
        portfolio.write_text(text.replace("price_below = 133", "price_below = 120"), "utf-8")
        app.reload_portfolio()
        await pilot.pause()
        await pilot.pause()
        assert any("Reloaded [bold]p.toml." in painted for painted in shown_on_screen(app))
        # A bad save, then the fix: the error's notice and "the error is fixed" paint too.
        portfolio.write_text(text + "oops = = 1\n", "utf-8")
        app.reload_portfolio()
        await pilot.pause()
        portfolio.write_text(text, "utf-8")
        app.reload_portfolio()
        await pilot.pause()
        await pilot.pause()
        assert any("Reloaded [bold]p.toml: the error is fixed." in painted for painted in shown_on_screen(app))
        assert app.is_running
