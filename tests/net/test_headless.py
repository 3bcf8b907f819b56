"""`neowatch check` and `neowatch export` against a loopback server answering like Yahoo."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, Reply, yahoo_chart_body
from watcher.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_portfolio.toml"
JSON = {"Content-Type": "application/json"}
TOKEN = "sekrit-token-123"


def yahoo(crwv: float) -> LoopbackServer:
    """Trades of a minute ago: `check` runs on the real clock, and an old trade is no signal."""
    server = LoopbackServer().start()
    traded = datetime.now(UTC) - timedelta(minutes=1)
    for symbol, price in (("CRWV", crwv), ("NBIS", 100.0), ("IREN", 40.0), ("CIFR", 14.0)):
        body = yahoo_chart_body(symbol, price, previous_close=price, market_time=traded)
        server.route_chart(symbol, Reply(200, JSON, body))
    return server


@pytest.fixture(autouse=True)
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    monkeypatch.setenv("NEOWATCH_FINNHUB_TOKEN", TOKEN)


def test_check_json_exits_1_and_names_crwv_below_its_trigger(monkeypatch, capsys) -> None:  # noqa: ANN001
    server = yahoo(128.40)
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", server.base_url)
    try:
        assert main(["check", str(SAMPLE), "--json"]) == 1
    finally:
        server.stop()
    document = json.loads(capsys.readouterr().out)
    assert document["buy"] == ["CRWV"]
    companies = {c["symbol"]: c for c in document["companies"]}
    assert companies["CRWV"]["price"] == 128.4 and companies["CRWV"]["buy"] is True
    cap = companies["CRWV"]["fundamentals"]["market_cap"]
    analysis = "NeoCloud market analysis (2025-09-25)"
    assert (cap["value"], cap["as_of"], cap["source"]) == (65.2e9, "2025-09-24", analysis)
    assert cap["age_months"] >= 14 and cap["old"] is True  # the analysis is from September 2025
    assert "NEOWATCH_SEC_CONTACT" in companies["CRWV"]["sec"]  # SEC off without a contact, in words
    nbis = next(p for p in document["positions"] if p["symbol"] == "NBIS")
    assert nbis["weight_pct"] == pytest.approx(9.0) and nbis["shares"] == 90
    (condition,) = document["conditions"]
    assert condition["met"] is True and condition["clauses"][0]["distance"] == "3.5 % below 133"
    assert TOKEN not in json.dumps(document)


def test_a_millionth_of_a_dollar_after_a_131_close_is_suspect_and_no_signal(monkeypatch, capsys) -> None:  # noqa: ANN001
    server = LoopbackServer().start()
    traded = datetime.now(UTC) - timedelta(minutes=1)
    for symbol, price, close in (("CRWV", 1e-6, 131.0), ("NBIS", 100.0, 100.0), ("IREN", 40.0, 40.0),
                                 ("CIFR", 14.0, 14.0)):
        body = yahoo_chart_body(symbol, price, previous_close=close, market_time=traded)
        server.route_chart(symbol, Reply(200, JSON, body))
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", server.base_url)
    try:
        assert main(["check", str(SAMPLE), "--json"]) == 0  # "below 133" is not met by a misprint
    finally:
        server.stop()
    document = json.loads(capsys.readouterr().out)
    crwv = next(c for c in document["companies"] if c["symbol"] == "CRWV")
    assert document["buy"] == [] and crwv["buy"] is False
    assert crwv["suspect_price"] == 1e-6 and "suspect price" in crwv["suspect"]
    assert crwv["price"] is None  # no good price yet: unknown, not 0
    condition = next(c for c in document["conditions"] if c["symbol"] == "CRWV")
    assert condition["state"] == "unknown"


def test_check_exits_0_when_no_condition_is_met_and_prints_a_table(monkeypatch, capsys) -> None:  # noqa: ANN001
    server = yahoo(140.0)
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", server.base_url)
    try:
        assert main(["check", str(SAMPLE)]) == 0
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert "CRWV" in out and "140.00" in out and "5.3 % above 133" in out and "not met" in out


def test_check_exits_2_on_a_bad_file_or_without_any_price(monkeypatch, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.toml"
    bad.write_text(SAMPLE.read_text() + "oops = = 1\n")
    assert main(["check", str(bad)]) == 2
    assert "line" in capsys.readouterr().err
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", "http://127.0.0.1:9")  # nothing listens there
    assert main(["check", str(SAMPLE), "--json"]) == 2
    err = capsys.readouterr().err
    assert "not a single price" in err and "cannot connect" in err and "retrying" not in err


def test_export_csv_has_a_row_per_company(monkeypatch, capsys) -> None:  # noqa: ANN001
    server = yahoo(128.40)
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", server.base_url)
    try:
        assert main(["export", str(SAMPLE), "--csv"]) == 0
    finally:
        server.stop()
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["symbol"] for r in rows] == ["NBIS", "CRWV", "IREN", "CIFR"]
    nbis = rows[0]
    assert float(nbis["weight_pct"]) == pytest.approx(9.0) and float(nbis["shares"]) == 90
    assert rows[1]["buy"] == "True" and rows[1]["shares"] == ""


def test_export_json_to_a_file(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    server = yahoo(128.40)
    monkeypatch.setenv("NEOWATCH_YAHOO_URL", server.base_url)
    out = tmp_path / "snapshot.json"
    try:
        assert main(["export", str(SAMPLE), "--json", "-o", str(out)]) == 0
    finally:
        server.stop()
    document = json.loads(out.read_text())
    assert len(document["companies"]) == 4 and document["buy"] == ["CRWV"]


def test_version_and_help_with_examples() -> None:
    done = subprocess.run([sys.executable, "-m", "watcher", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.startswith("neowatch ")
    shown = subprocess.run(
        [sys.executable, "-m", "watcher", "check", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert shown.returncode == 0 and "exit codes:" in shown.stdout and "examples:" in shown.stdout


def test_an_unexpected_failure_exits_3_never_1(monkeypatch, capsys) -> None:  # noqa: ANN001
    async def broken(session):  # noqa: ANN001, ANN202
        raise RuntimeError("a bug")

    monkeypatch.setattr("watcher.cli_commands.take_snapshot", broken)
    assert main(["check", str(SAMPLE), "--demo"]) == 3
    assert "RuntimeError: a bug" in capsys.readouterr().err
