"""`neowatch fundamentals` against a loopback server answering like the SEC with recorded filings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, Reply
from watcher.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_portfolio.toml"
SEC = ROOT / "tests" / "data" / "sec"
CONTACT = "Ann Analyst ann@example.com"


def tickers() -> bytes:
    recorded = json.loads((SEC / "company_tickers_2024-05-14_full.json").read_bytes())
    # The 2024 list predates CoreWeave's listing; add it as today's list has it.
    recorded["99999"] = {"cik_str": 1769628, "ticker": "CRWV", "title": "CoreWeave, Inc."}
    recorded["99998"] = {"cik_str": 1997711, "ticker": "LPA", "title": "Logistic Properties of the Americas"}
    return json.dumps(recorded).encode()


@pytest.fixture
def sec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    with LoopbackServer() as server:
        json_type = {"Content-Type": "application/json"}
        server.route("/files/company_tickers.json", Reply(200, json_type, tickers()))
        for cik, name in ((1769628, "companyfacts_CRWV_CIK0001769628_trimmed_by_source.json"),
                          (1997711, "companyfacts_LPA_CIK0001997711_ifrs-full_20F.json")):
            server.route(f"/api/xbrl/companyfacts/CIK{cik:010d}.json", Reply(200, json_type, (SEC / name).read_bytes()))
        monkeypatch.setenv("NEOWATCH_SEC_URL", server.base_url)
        yield server


def figures(out: str) -> dict[str, dict]:
    (company,) = json.loads(out)["companies"]
    return {f["key"]: f for f in company["figures"]}


def test_without_a_contact_the_bundled_figures_and_the_words(sec: LoopbackServer, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.delenv("NEOWATCH_SEC_CONTACT", raising=False)
    assert main(["fundamentals", "NBIS", "-p", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "GPU-cloud ARR end-2025" in out and "$1.00 B" in out and "2025-09-25" in out
    assert "needs" in out or "set NEOWATCH_SEC_CONTACT" in out
    assert sec.requests == []  # no contact, no request


def test_with_a_contact_crwv_has_the_latest_quarter_and_ttm_from_its_filing(
    sec: LoopbackServer, monkeypatch, capsys  # noqa: ANN001
) -> None:
    monkeypatch.setenv("NEOWATCH_SEC_CONTACT", CONTACT)
    assert main(["fundamentals", "CRWV", "--json", "-p", str(SAMPLE)]) == 0
    got = figures(capsys.readouterr().out)
    quarter, ttm = got["revenue_quarter"], got["revenue_ttm"]
    assert quarter["value"] == 2_575_000_000 and quarter["as_of"] == "2026-06-30" and quarter["origin"] == "sec"
    assert quarter["source"].startswith("SEC 10-Q filed ")
    assert ttm["value"] == 7_590_000_000
    assert got["arr_end_2025"]["origin"] == "analysis" and got["arr_end_2025"]["old"] is True
    assert all(request.headers["user-agent"].endswith(CONTACT) for request in sec.requests)
    assert len(sec.requests) == 2


def test_a_20f_filer_is_annual_only(sec: LoopbackServer, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("NEOWATCH_SEC_CONTACT", CONTACT)
    assert main(["fundamentals", "LPA", "--json", "-p", str(SAMPLE)]) == 0
    got = figures(capsys.readouterr().out)
    assert "annual only" in str(got["revenue_quarter"]["value"])
    assert got["revenue_annual"]["origin"] == "sec" and got["revenue_annual"]["as_of"]
    assert isinstance(got["shares_outstanding"]["value"], (int, float))


def test_the_users_figure_wins_over_the_sec_and_says_so(
    sec: LoopbackServer, monkeypatch, tmp_path: Path, capsys  # noqa: ANN001
) -> None:
    monkeypatch.setenv("NEOWATCH_SEC_CONTACT", CONTACT)
    mine = tmp_path / "p.toml"
    mine.write_text(
        SAMPLE.read_text() + '\n[companies.CRWV.figures]\nrevenue_ttm = { value = 8e9, as_of = 2026-10-01 }\n'
    )
    assert main(["fundamentals", "CRWV", "--json", "-p", str(mine)]) == 0
    ttm = figures(capsys.readouterr().out)["revenue_ttm"]
    assert ttm["value"] == 8e9 and ttm["origin"] == "user" and ttm["source"] == "your portfolio file"
