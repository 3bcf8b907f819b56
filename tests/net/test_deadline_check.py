"""`neowatch check` with one symbol dripping its answer: it returns, that symbol failed "too slow"."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, Reply, yahoo_chart_body
from watcher.__main__ import main
from watcher.quotes import http

SAMPLE = Path(__file__).resolve().parents[2] / "sample_portfolio.toml"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(autouse=True)
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    monkeypatch.delenv("NEOWATCH_FINNHUB_TOKEN", raising=False)
    monkeypatch.setattr(http, "REQUEST_DEADLINE_SECONDS", 0.5)


def test_check_returns_with_the_others_priced(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    traded = datetime.now(UTC) - timedelta(minutes=1)
    with LoopbackServer() as server:
        for symbol, price in (("CRWV", 150.0), ("NBIS", 100.0), ("IREN", 40.0), ("CIFR", 14.0)):
            body = yahoo_chart_body(symbol, price, previous_close=price, market_time=traded)
            server.route_chart(symbol, Reply(200, JSON, body, drip=0.2 if symbol == "NBIS" else None))
        monkeypatch.setenv("NEOWATCH_YAHOO_URL", server.base_url)
        main(["check", str(SAMPLE), "--json"])
    document = json.loads(capsys.readouterr().out)
    companies = {c["symbol"]: c for c in document["companies"]}
    assert companies["CRWV"]["price"] == 150.0
    assert "too slow (no full answer in 0.5 s)" in json.dumps(document)
