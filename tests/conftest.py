"""Every test runs without the developer's own settings: no real config, cache or keys, no SEC contact."""

from __future__ import annotations

import os

import pytest

NEOWATCH_VARIABLES = [name for name in os.environ if name.startswith("NEOWATCH_")]
# Port 9 (discard) on loopback: nothing listens, a connection is refused at once.
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A contact or a key in the developer's shell would send tests to the real services.
    for name in NEOWATCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("xdg")
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(home / name.lower()))
    # The hosts the default chain calls beside Yahoo's API: a test that does not name its own
    # server gets a refused connection on loopback, never the internet.
    for name in ("NEOWATCH_NASDAQ_URL", "NEOWATCH_YAHOO_COOKIE_URL"):
        monkeypatch.setenv(name, NOWHERE)
