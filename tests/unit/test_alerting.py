"""Alert channels: the command hook gets values verbatim without a shell; desktop is optional."""

from __future__ import annotations

import json
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.ui.conftest import config_from
from watcher.alerting import (
    Alert,
    alert_for,
    expand_command,
    run_command,
    send_desktop_notification,
)
from watcher.config import ConfigError
from watcher.domain.conditions import BuyCondition, evaluate

HOSTILE = "starter; touch {marker} && echo $(id) `id` | cat > {marker}2 {symbol}"
AT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)

# Writes its arguments, as received, to the file named first.
RECORDER = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"


def crwv_alert(label: str) -> Alert:
    condition = BuyCondition("CRWV", label, price_below=133)
    return alert_for(evaluate(condition, 128.4, None, None), 128.4, AT)


def test_alert_values_fill_the_placeholders() -> None:
    alert = crwv_alert("small starter position")
    argv = expand_command(["notify", "{symbol} {price}", "{label}", "{trigger}", "{distance}"], alert.values())
    assert argv == ["notify", "CRWV 128.40", "small starter position", "price < 133", "3.5 % below 133"]
    assert alert.title == "BUY CRWV"


def test_a_value_is_never_expanded_again() -> None:
    argv = expand_command(["{label}", "{unknown}"], {"label": "{symbol}", "symbol": "X"})
    assert argv == ["{symbol}", "{unknown}"]


async def test_shell_metacharacters_reach_the_program_verbatim(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    marker = tmp_path / "pwned"
    label = HOSTILE.replace("{marker}", str(marker))
    alert = crwv_alert(label)
    argv = expand_command([sys.executable, "-c", RECORDER, str(out), "{label}", "{symbol}"], alert.values())
    assert await run_command(argv) is None
    assert json.loads(out.read_text()) == [label, "CRWV"]
    assert not marker.exists() and not Path(f"{marker}2").exists()


async def test_a_missing_program_is_reported_in_words(tmp_path: Path) -> None:
    message = await run_command([str(tmp_path / "no-such-program"), "x"])
    assert message is not None and "not found" in message


async def test_a_failing_program_is_reported_with_its_exit_code_and_words() -> None:
    script = "import sys; sys.stderr.write('no daemon\\x1b[31m'); sys.exit(3)"
    message = await run_command([sys.executable, "-c", script])
    assert message is not None
    assert "exit 3" in message and "no daemon" in message and "\x1b" not in message


async def test_a_hanging_program_is_stopped() -> None:
    message = await run_command([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.3)
    assert message is not None and "was stopped" in message


async def test_desktop_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "desktop_notifier", None)  # makes the import fail
    message = await send_desktop_notification("BUY CRWV", "small starter position")
    assert message is not None and "neowatch[desktop]" in message


async def test_desktop_with_the_extra_sends_the_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[str, str, str]] = []

    class FakeNotifier:
        def __init__(self, app_name: str) -> None:
            self.app_name = app_name

        async def send(self, title: str, message: str) -> None:
            sent.append((self.app_name, title, message))

    monkeypatch.setitem(sys.modules, "desktop_notifier", types.SimpleNamespace(DesktopNotifier=FakeNotifier))
    assert await send_desktop_notification("BUY CRWV", "starter") is None
    assert sent == [("neowatch", "BUY CRWV", "starter")]


def test_alert_settings_default_to_toast_and_bell_only(tmp_path: Path) -> None:
    config = config_from("", tmp_path / "p.toml")
    assert (config.alerts.toast, config.alerts.bell, config.alerts.desktop) == (True, True, False)
    assert config.alerts.command is None and config.alerts.hysteresis_pct == 0.5


def test_an_unknown_placeholder_in_the_command_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = '[alerts]\ncommand = ["notify-send", "{symbol} at {prcie}"]\n'
    with pytest.raises(ConfigError) as error:
        config_from(text, tmp_path / "p.toml")
    assert "line 2" in str(error.value) and "{prcie}" in str(error.value)
