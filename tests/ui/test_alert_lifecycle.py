"""Alerts through the whole app: fired once across restarts, logged, sent to the user's command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.ui.conftest import SAMPLE, FixedProvider, config_from, settle, toasts
from watcher.app import make_app
from watcher.recorder import Recorder
from watcher.screens.alert_log import AlertLogScreen
from watcher.screens.main import MainScreen
from watcher.store import Store

SIZE = (160, 50)
RECORDER = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"


async def run_once(config, clock, store_path: Path, prices: list[dict] | None = None) -> list[int]:  # noqa: ANN001
    """One start of neowatch with the history store; returns the bells it rang."""
    bells: list[int] = []
    provider = FixedProvider(clock) if prices is None else FixedProvider(clock, rounds=prices)
    app = make_app(config, provider, clock=clock, recorder=Recorder(Store.open(store_path)))
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(len(prices or [None]) - 1):
            app.refresh_now()
            await settle(app, pilot)
    return bells


async def test_two_starts_with_crwv_below_its_trigger_leave_one_alert(sample_config, clock, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "history.sqlite3"
    assert len(await run_once(sample_config, clock, path)) == 1
    clock.advance(3600)
    assert await run_once(sample_config, clock, path) == []  # still met: no second alert
    with Store.open(path) as store:
        alerts = store.alerts()
    assert [(a.symbol, a.label, a.value) for a in alerts] == [("CRWV", "small starter position", 128.4)]


async def test_after_leaving_past_the_margin_a_new_start_fires_again(sample_config, clock, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "history.sqlite3"
    others = {"NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}
    await run_once(sample_config, clock, path)
    clock.advance(60)
    assert await run_once(sample_config, clock, path, [{"CRWV": 134.0, **others}]) == []
    clock.advance(60)
    assert len(await run_once(sample_config, clock, path, [{"CRWV": 131.0, **others}])) == 1
    with Store.open(path) as store:
        assert len(store.alerts()) == 2


async def test_the_alert_log_lists_firings_newest_first(sample_config, clock, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "history.sqlite3"
    others = {"NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}
    rounds = [{"CRWV": 128.0, **others}, {"CRWV": 140.0, **others}, {"CRWV": 127.5, **others}]
    provider = FixedProvider(clock, rounds=rounds)
    app = make_app(sample_config, provider, clock=clock, recorder=Recorder(Store.open(path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(2):
            clock.advance(60)
            app.refresh_now()
            await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AlertLogScreen)
        table = app.screen.query_one(DataTable)
        prices = [table.get_row_at(i)[3].plain for i in range(table.row_count)]
        assert prices == ["127.50", "128.00"]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_without_a_store_neowatch_says_so_and_logs_this_session(sample_config, clock) -> None:  # noqa: ANN001
    problem = "the history store /x is in use by another neowatch; running without history."
    app = make_app(sample_config, FixedProvider(clock), clock=clock, recorder=Recorder(None, problem))
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any(problem in message for message in shown)
        await pilot.press("a")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[1].plain == "CRWV"
        assert "Only this session's alerts" in str(app.screen.query_one("#alert-log-title").render())


async def test_the_command_hook_gets_the_alert_verbatim_and_no_shell(
    clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.chdir(tmp_path)  # where a shell, if there were one, would touch "pwned"
    out = tmp_path / "argv.json"
    marker = tmp_path / "pwned"
    label = "starter; touch pwned $(touch pwned) `touch pwned` | tee pwned"
    hook = json.dumps([sys.executable, "-c", RECORDER, str(out), "{symbol}", "{price}", "{label}"])
    text = SAMPLE.read_text("utf-8").replace('label = "small starter position"', f"label = {json.dumps(label)}")
    text = text.replace("[settings]", f"[alerts]\ncommand = {hook}\nbell = false\n\n[settings]", 1)
    config = config_from(text, tmp_path / "p.toml")
    app = make_app(config, FixedProvider(clock), clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    assert json.loads(out.read_text()) == ["CRWV", "128.40", label]
    assert not marker.exists()
    assert bells == []  # bell = false is honoured
