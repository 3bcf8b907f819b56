"""Snapshots of the screens with fixed quotes and a fixed clock: layout regressions show as diffs."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from tests.ui.conftest import SAMPLE, FixedProvider, settle
from watcher.app import make_app
from watcher.config import Config, load_config

SIZE = (160, 50)


@pytest.fixture
def sample_config(monkeypatch: pytest.MonkeyPatch) -> Config:
    # A relative path: the title shows it, and a checkout can live anywhere.
    monkeypatch.chdir(SAMPLE.parent)
    return load_config(Path(SAMPLE.name))


def _app(config: Config, clock) -> object:  # noqa: ANN001
    return make_app(config, FixedProvider(clock), cache=None, clock=clock, local_tz=UTC)


async def _settled(pilot) -> None:  # noqa: ANN001
    await settle(pilot.app, pilot)


def test_main_screen(snap_compare, sample_config: Config, clock) -> None:  # noqa: ANN001
    assert snap_compare(_app(sample_config, clock), terminal_size=SIZE, run_before=_settled)


def test_detail_screen(snap_compare, sample_config: Config, clock) -> None:  # noqa: ANN001
    async def open_crwv(pilot) -> None:  # noqa: ANN001
        await _settled(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(_app(sample_config, clock), terminal_size=SIZE, run_before=open_crwv)


@pytest.mark.parametrize("theme", ["neowatch-dark", "neowatch-light", "neowatch-high-contrast"])
def test_main_screen_in_each_theme(snap_compare, sample_config: Config, clock, theme: str) -> None:  # noqa: ANN001
    app = make_app(sample_config, FixedProvider(clock), cache=None, clock=clock, local_tz=UTC, theme_name=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)
