"""The pure core, the portfolio file and the quote providers import without Textual."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import watcher.domain

DOMAIN_MODULES = sorted(
    f"watcher.domain.{info.name}" for info in pkgutil.iter_modules(watcher.domain.__path__)
)
CORE_MODULES = [
    *DOMAIN_MODULES,
    "watcher.config",
    "watcher.toml_errors",
    "watcher.fundamentals",
    "watcher.format",
    "watcher.paths",
    "watcher.quotes.yahoo",
    "watcher.quotes.cache",
    "watcher.quotes.demo",
    "watcher.store",
    "watcher.recorder",
    "watcher.quotes.provider",
    "watcher.quotes.yahoo_parse",
    "watcher.quotes.history",
    "watcher.quotes.finnhub",
    "watcher.quotes.fallback",
    "watcher.quotes.redact",
    "watcher.quotes.backoff",
    "watcher.state",
    "watcher.keys",
    "watcher.file_watch",
    "watcher.domain.sorting",
    "watcher.alerting",
    "watcher.text",
    # The watcher's core serves the screen and the headless commands: no Textual either.
    "watcher.feed",
    "watcher.session",
    "watcher.fx",
    "watcher.config_change",
    "watcher.startup",
    "watcher.headless",
    "watcher.cli_commands",
    "watcher.cli_fundamentals",
]

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))))
"""


def test_every_domain_module_is_checked() -> None:
    for name in ("alerts", "conditions", "fundamentals", "health", "overview", "portfolio", "quote", "valuation"):
        assert f"watcher.domain.{name}" in DOMAIN_MODULES


def test_core_modules_do_not_import_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *CORE_MODULES], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_probe_would_see_textual() -> None:
    # The check above means something only if importing the app does pull textual in.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "watcher.app"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "textual" in json.loads(done.stdout)
