"""An alert fires once: a second neowatch on the same data folder follows the first's arming and
leaves the alerting to it, and a data folder that cannot be written keeps the arming in the
state folder, so a restart does not fire the same BUY again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import SAMPLE, Clock, FixedProvider
from watcher import paths
from watcher.config import Config, load_config
from watcher.feed import Feed
from watcher.recorder import HELD_ELSEWHERE, Recorder
from watcher.session import Session
from watcher.startup import open_recorder
from watcher.store import Store

# CRWV below the sample's "below 133": its condition is met, and fires once.
PRICES = {"CRWV": 128.40, "NBIS": 100.00, "IREN": 40.00, "CIFR": 14.00}
CRWV_KEY = "CRWV"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def config() -> Config:
    return load_config(SAMPLE)


def session_over(config: Config, recorder: Recorder, clock: Clock) -> tuple[Session, list[str]]:
    session = Session(config, Feed(FixedProvider(clock, rounds=[dict(PRICES)]), clock), recorder=recorder)
    return session, session.start()


async def fired_symbols(session: Session) -> list[str]:
    fetch = await session.feed.fetch_prices(session.fetch_symbols())
    return [each.alert.symbol for each in session.apply_prices(fetch)]


def crwv_armed(states: dict[str, bool]) -> bool | None:
    return next((armed for key, armed in states.items() if key.startswith(CRWV_KEY)), None)


async def test_a_second_neowatch_does_not_announce_what_the_first_fired(config: Config, clock: Clock) -> None:
    first_store = Store.open(paths.history_store_path(), clock)  # the first neowatch holds the lock
    try:
        first, _ = session_over(config, Recorder(first_store), clock)
        assert await fired_symbols(first) == ["CRWV"]
        assert crwv_armed(first_store.alert_states()) is False  # fired, so disarmed

        second, warnings = session_over(config, open_recorder(simulated=False), clock)
        assert any("another neowatch holds the history" in w.lower() for w in warnings)
        assert HELD_ELSEWHERE in warnings
        assert crwv_armed(second.arming.states) is False, "the first's arming is read from its store"
        assert await fired_symbols(second) == []
        assert second.fire_alerts() == []
        assert [r.symbol for r in first_store.alerts()] == ["CRWV"], "the second logs nothing"
    finally:
        first_store.close()


async def test_the_second_neowatch_stays_quiet_for_a_crossing_the_first_has_not_seen(
    config: Config, clock: Clock
) -> None:
    first_store = Store.open(paths.history_store_path(), clock)
    try:
        second, _ = session_over(config, open_recorder(simulated=False), clock)
        assert await fired_symbols(second) == [], "the alerting is the holder's"
        assert first_store.alert_states() == {}, "nor does it write the holder's arming"
    finally:
        first_store.close()


def unwritable_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A regular file where the data folder's parent should be: no one, root included, can create
    # the store there (a chmod would not stop root).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))


async def test_an_unwritable_data_folder_keeps_the_arming_across_restarts(
    config: Config, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unwritable_data_folder(tmp_path, monkeypatch)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    recorder = open_recorder(simulated=False)
    assert recorder.store is None and recorder.problem and "running without history" in recorder.problem
    first, _ = session_over(config, recorder, clock)
    assert await fired_symbols(first) == ["CRWV"]
    assert paths.alert_arming_path().is_file()

    for _restart in range(2):
        again, _ = session_over(config, open_recorder(simulated=False), clock)
        assert crwv_armed(again.arming.states) is False
        assert await fired_symbols(again) == [], "a restart does not fire the same BUY again"


async def test_without_any_writable_folder_it_says_alerts_may_repeat(
    config: Config, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unwritable_data_folder(tmp_path, monkeypatch)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "not-a-folder" / "state"))

    recorder = open_recorder(simulated=False)
    assert recorder.problem is not None
    assert "may fire again after a restart" in recorder.problem, "said at the start, before any alert"
    session, _ = session_over(config, recorder, clock)
    assert await fired_symbols(session) == ["CRWV"], "this neowatch still alerts"
