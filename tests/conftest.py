"""Every test runs without the developer's own settings: no real config, cache or keys, no SEC contact."""

from __future__ import annotations

import os

import pytest

NEOWATCH_VARIABLES = [name for name in os.environ if name.startswith("NEOWATCH_")]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A contact or a key in the developer's shell would send tests to the real services.
    for name in NEOWATCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("xdg")
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(home / name.lower()))
