"""The [keys] table: a remap never takes the way out away, and a clash or a key name Textual does
not know is said at the start instead of passing without a word."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import SAMPLE, Clock, FixedProvider, settle, toasts
from watcher.app import make_app
from watcher.config import Config, load_config
from watcher.keys import check_keymap
from watcher.recorder import Recorder

SIZE = (120, 40)


def with_keys(tmp_path: Path, table: str) -> Config:
    path = tmp_path / "portfolio.toml"
    path.write_text(SAMPLE.read_text("utf-8") + f"\n[keys]\n{table}\n", "utf-8")
    return load_config(path)


async def quits_on(config: Config, key: str) -> tuple[bool, list[str]]:
    """Whether pressing `key` quits the app; and the notices it showed at the start."""
    clock = Clock()
    app = make_app(config, FixedProvider(clock), clock=clock, recorder=Recorder(None))
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        quit_now = not app.is_running or app._exit  # noqa: SLF001 - set by App.exit
    return bool(quit_now), shown


def test_a_remap_onto_the_quit_key_is_refused_with_a_notice(tmp_path: Path) -> None:
    config = with_keys(tmp_path, 'refresh = "q"')
    assert "refresh" not in config.keys
    assert any("refresh" in notice and "q quits" in notice for notice in config.key_notices)


async def test_with_refresh_on_q_q_still_quits_and_the_clash_is_said(tmp_path: Path) -> None:
    quit_now, shown = await quits_on(with_keys(tmp_path, 'refresh = "q"'), "q")
    assert quit_now, "q still quits"
    assert any("q quits neowatch" in message for message in shown)


async def test_an_unknown_key_name_is_said_at_the_start(tmp_path: Path) -> None:
    config = with_keys(tmp_path, 'refresh = "notakey!!"')
    assert any("'notakey!!' is not a key name" in notice for notice in config.key_notices)
    assert "refresh" not in config.keys, "refresh keeps its default key"
    quit_now, shown = await quits_on(config, "q")
    assert quit_now
    assert any("notakey!!" in message for message in shown)


def test_remapping_quit_frees_its_key_for_another_action(tmp_path: Path) -> None:
    config = with_keys(tmp_path, 'quit = "x"\nrefresh = "q"')
    assert config.keys == {"quit": "x", "refresh": "q"}
    assert config.key_notices == ()


def test_ctrl_q_always_quits() -> None:
    keys, notices = check_keymap({"quit": "x", "refresh": "ctrl+q,f5"})
    assert keys["refresh"] == "f5"
    assert any("ctrl+q quits" in notice for notice in notices)


def test_a_quit_remap_with_no_key_name_keeps_q() -> None:
    keys, notices = check_keymap({"quit": "nope!", "refresh": "q"})
    assert "quit" not in keys and "refresh" not in keys
    assert len(notices) == 2


def test_two_actions_on_one_key_are_said() -> None:
    keys, notices = check_keymap({"refresh": "a"})
    assert keys == {"refresh": "a"}
    assert notices == ("[keys] a is the key of both refresh and alert_log: only one of them works.",)


def test_good_remaps_pass_without_a_word() -> None:
    assert check_keymap({"refresh": "f5,ctrl+r", "show_keys": "question_mark", "sort": "S"})[1] == (
        "[keys] S is the key of both sort and reverse_sort: only one of them works.",
    )
    assert check_keymap({"refresh": "f5,ctrl+r", "next_group": "shift+tab"}) == (
        {"refresh": "f5,ctrl+r", "next_group": "shift+tab"}, ()
    )
