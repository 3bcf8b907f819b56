"""The neowatch command: exit 2 on a bad or missing file, --version, first-run file, XDG paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from watcher import __main__ as cli
from watcher import __version__, paths, startup

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "config"
SAMPLE = ROOT / "sample_portfolio.toml"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read or write the real user's config and cache."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NEOWATCH_YAHOO_URL", raising=False)
    return tmp_path


@pytest.fixture
def no_tui(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the App by a recorder whose run() returns at once: the TUI never starts. As if in
    a terminal: under pytest stdin and stdout are not one."""
    import watcher.app

    calls: list[dict] = []

    class FakeApp:
        return_code = None

        def __init__(self, session, notices=(), **view) -> None:  # noqa: ANN001, ANN003
            calls.append({
                "config": session.config, "provider": session.feed.provider, "cache": session.cache,
                "notices": notices, "recorder": session.recorder,
            })

        def run(self) -> None:
            calls[-1]["ran"] = True

    monkeypatch.setattr(watcher.app, "NeowatchApp", FakeApp)
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    return calls


def test_a_bad_file_exits_2_with_the_message_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "bad_negative_shares.toml"
    assert cli.main([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(path) in err
    assert "line 10: holdings[1].shares (CRWV)" in err
    assert "Traceback" not in err


def test_a_syntax_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([str(DATA / "bad_syntax.toml")]) == 2
    assert "TOML syntax error" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.toml"
    assert cli.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "no such file" in err
    assert "Traceback" not in err
    assert not path.exists()  # a file given on the command line is never created


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"neowatch {__version__}"


def test_first_run_creates_the_portfolio_file_from_the_sample(private_dirs: Path) -> None:
    expected = private_dirs / "config" / "neowatch" / "portfolio.toml"
    assert not expected.exists()
    path, notices = startup.resolve_portfolio(None)
    assert path == expected
    assert path.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")
    assert len(notices) == 1 and str(expected) in notices[0]


def test_second_run_keeps_the_users_file(private_dirs: Path) -> None:
    path, _ = startup.resolve_portfolio(None)
    path.write_text("cash = 42\n", encoding="utf-8")
    again, notices = startup.resolve_portfolio(None)
    assert again == path
    assert notices == ()
    assert path.read_text(encoding="utf-8") == "cash = 42\n"


def test_a_given_path_is_used_as_is_and_creates_nothing(private_dirs: Path) -> None:
    given = private_dirs / "mine.toml"
    assert startup.resolve_portfolio(given) == (given, ())
    assert not given.exists()
    assert not (private_dirs / "config" / "neowatch" / "portfolio.toml").exists()


def test_the_quote_cache_honours_xdg_cache_home(private_dirs: Path) -> None:
    assert paths.quote_cache_path() == private_dirs / "cache" / "neowatch" / "quotes.json"


def test_the_default_file_is_used_without_a_path(private_dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    default = private_dirs / "config" / "neowatch" / "portfolio.toml"
    default.parent.mkdir(parents=True)
    default.write_text("cash = -1\n", encoding="utf-8")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert str(default) in err and "cash" in err


def test_first_run_loads_the_new_file_and_hands_the_notice_to_the_app(
    private_dirs: Path, no_tui: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    from watcher.quotes.demo import DemoProvider

    assert cli.main(["--demo"]) == 0
    (call,) = no_tui
    assert call["ran"]
    created = private_dirs / "config" / "neowatch" / "portfolio.toml"
    assert call["config"].path == created
    assert call["config"].portfolio.holding("NBIS") is not None
    assert isinstance(call["provider"], DemoProvider)
    assert call["cache"].path == private_dirs / "cache" / "neowatch" / "quotes.json"
    assert len(call["notices"]) == 1 and str(created) in call["notices"][0]
    assert str(created) in capsys.readouterr().err


def test_a_bad_yahoo_url_in_the_environment_exits_2(
    monkeypatch: pytest.MonkeyPatch, no_tui: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", "ftp://127.0.0.1/chart")
    assert cli.main([str(SAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "NEOWATCH_YAHOO_URL" in err and "ftp://127.0.0.1/chart" in err
    assert no_tui == []


def test_the_yahoo_url_from_the_environment_reaches_the_provider(
    monkeypatch: pytest.MonkeyPatch, no_tui: list[dict]
) -> None:
    from watcher.quotes.yahoo import YahooProvider

    monkeypatch.setenv("NEOWATCH_YAHOO_URL", "http://127.0.0.1:8765")
    assert cli.main([str(SAMPLE)]) == 0
    from watcher.quotes.backoff import BackoffProvider

    provider = no_tui[0]["provider"]
    assert isinstance(provider, BackoffProvider)  # Yahoo behind its backoff
    assert isinstance(provider.inner, YahooProvider)
    assert provider.inner._base_url == "http://127.0.0.1:8765"  # no network: the URL is only stored


def test_the_console_script_exits_2_on_a_bad_file(private_dirs: Path) -> None:
    script = Path(sys.executable).with_name("neowatch")
    if not script.exists():
        pytest.skip(f"no neowatch console script beside {sys.executable}")
    path = DATA / "bad_unknown_condition.toml"
    env = {**os.environ, "XDG_CONFIG_HOME": str(private_dirs / "config"), "XDG_CACHE_HOME": str(private_dirs / "cache")}
    done = subprocess.run(
        [str(script), str(path)], capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 2
    assert str(path) in done.stderr
    assert "unknown condition 'price_under'" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
