"""Files checked once are not checked again: the start path then needs neither pydantic nor tomllib."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from watcher import paths, schemas
from watcher.config import ConfigError, build_config, load_config
from watcher.fundamentals import bundled_companies
from watcher.themes import theme_from_file
from watcher.validated import CACHE_FILE, ValidatedCache, validated_cache

SAMPLE = Path(__file__).parents[2] / "sample_portfolio.toml"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.toml"
    path.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    return path


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each full check of a portfolio file, by the first characters of its text."""
    seen: list[str] = []
    real = schemas.check_portfolio

    def counting(text: str, path: Path):  # noqa: ANN202 - the checked data
        seen.append(text[:20])
        return real(text, path)

    monkeypatch.setattr(schemas, "check_portfolio", counting)
    return seen


def fresh_cache() -> ValidatedCache:
    """What the next start will read: the file on disk, not this process's memory of it."""
    return ValidatedCache(paths.cache_dir() / CACHE_FILE)


def test_an_unchanged_file_is_checked_once(portfolio: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_config(portfolio)
    # The next start: a new process reads the cache file.
    monkeypatch.setattr("watcher.validated._cache_at", lambda path: fresh_cache())
    second = load_config(portfolio)
    assert len(checks) == 1
    assert second == first
    # And what a full check of the text builds.
    assert second == build_config(portfolio, schemas.check_portfolio(portfolio.read_text("utf-8"), portfolio))


def test_an_edited_file_is_checked_again_and_its_errors_are_reported(portfolio: Path, checks: list[str]) -> None:
    load_config(portfolio)
    portfolio.write_text(portfolio.read_text("utf-8").replace("refresh_interval = 60", "refresh_interval = 1"), "utf-8")
    with pytest.raises(ConfigError, match="refresh_interval"):
        load_config(portfolio)
    assert len(checks) == 2
    # The broken text was not kept: it is checked again, and refused again.
    with pytest.raises(ConfigError, match="refresh_interval"):
        load_config(portfolio)
    assert len(checks) == 3


def test_a_file_holding_a_key_is_not_copied_into_the_cache(portfolio: Path, checks: list[str]) -> None:
    secret = "d1s3cr3tk3yabcdef"
    text = portfolio.read_text("utf-8").replace("[settings]", f'[settings]\nfinnhub_token = "{secret}"', 1)
    portfolio.write_text(text, "utf-8")
    assert load_config(portfolio).settings.finnhub_token == secret
    assert load_config(portfolio).settings.finnhub_token == secret
    assert len(checks) == 2
    cache_file = paths.cache_dir() / CACHE_FILE
    assert not cache_file.exists() or secret not in cache_file.read_text("utf-8")


def test_a_damaged_cache_file_counts_as_empty(
    portfolio: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = paths.cache_dir() / CACHE_FILE
    cache_file.parent.mkdir(parents=True)
    cache_file.write_text("{ not json", "utf-8")
    monkeypatch.setattr("watcher.validated._cache_at", lambda path: fresh_cache())
    assert load_config(portfolio).watchlist
    assert len(checks) == 1
    assert json.loads(cache_file.read_text("utf-8"))["entries"]  # rewritten whole


def test_a_kept_entry_that_cannot_be_used_is_checked_again(
    portfolio: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_config(portfolio)
    cache_file = paths.cache_dir() / CACHE_FILE
    saved = json.loads(cache_file.read_text("utf-8"))
    for key in saved["entries"]:
        if key.startswith("portfolio:"):
            saved["entries"][key] = {"holdings": "not a list"}
    cache_file.write_text(json.dumps(saved), "utf-8")
    monkeypatch.setattr("watcher.validated._cache_at", lambda path: fresh_cache())
    assert load_config(portfolio) == expected
    assert len(checks) == 2


def test_entries_of_another_neowatch_are_not_trusted(
    portfolio: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_config(portfolio)
    monkeypatch.setattr("watcher.validated._cache_at", lambda path: ValidatedCache(path, stamp="another build"))
    load_config(portfolio)
    assert len(checks) == 2


def test_a_changed_code_file_changes_the_fingerprint(tmp_path: Path) -> None:
    from watcher.validated import fingerprint

    (tmp_path / "sub").mkdir()
    module = tmp_path / "sub" / "schemas.py"
    module.write_text("A = 1\n", "utf-8")
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before
    module.write_text("A = 22\n", "utf-8")
    assert fingerprint(tmp_path) != before


def test_a_theme_and_the_fundamentals_come_out_the_same_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme_file = tmp_path / "mine.toml"
    theme_file.write_text('primary = "#112233"\ndark = false\n[variables]\ngain = "#00ff00"\n', "utf-8")
    checked_theme = theme_from_file(theme_file)
    bundled_companies.cache_clear()  # another test may have read them into this process already
    checked_companies = bundled_companies()
    bundled_companies.cache_clear()
    monkeypatch.setattr("watcher.validated._cache_at", lambda path: fresh_cache())
    monkeypatch.setattr(schemas, "check_theme", lambda *args: pytest.fail("checked again"))
    monkeypatch.setattr(schemas, "check_fundamentals", lambda *args: pytest.fail("checked again"))
    kept_theme = theme_from_file(theme_file)
    assert (kept_theme.name, kept_theme.primary, kept_theme.dark) == ("mine", "#112233", False)
    assert kept_theme.variables == checked_theme.variables and kept_theme.variables["gain"] == "#00ff00"
    assert bundled_companies() == checked_companies
    bundled_companies.cache_clear()


def test_a_broken_theme_is_refused_every_time(tmp_path: Path) -> None:
    theme_file = tmp_path / "broken.toml"
    theme_file.write_text('primary = "not a colour"\n', "utf-8")
    for _ in range(2):
        with pytest.raises(ValueError, match="is not a colour"):
            theme_from_file(theme_file)
    assert validated_cache().path == paths.cache_dir() / CACHE_FILE


START = """
import sys
from pathlib import Path
from watcher.startup import make_provider
from watcher.config import load_config
from watcher.fundamentals import bundled_companies
from watcher.themes import load_themes
config = load_config(Path(sys.argv[1]))
make_provider(config, demo=False)
bundled_companies()
assert not load_themes().problems
import watcher.app
LATER = ("pydantic", "tomllib", "httpx", "email", "watcher.screens.alert_log", "watcher.screens.help",
         "watcher.screens.detail", "watcher.commands", "watcher.alerting", "importlib.resources")
print(" ".join(sorted(m for m in LATER if m in sys.modules)) or "none")
"""


def test_a_second_start_imports_only_what_the_first_frame_needs(portfolio: Path) -> None:
    def start() -> str:
        done = subprocess.run(
            [sys.executable, "-c", START, str(portfolio)], capture_output=True, text=True, timeout=60, env=os.environ
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert {"pydantic", "tomllib"} <= set(start().split())  # the first start checks every file
    assert start() == "none"
