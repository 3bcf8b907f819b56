"""The SEC source against a loopback EDGAR: User-Agent, caches, throttle and the error states."""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.loopback import LoopbackServer, Reply
from watcher import __version__
from watcher.sec import NO_CONTACT_REASON, SecFigures, SecUnavailable, sec_figures
from watcher.sec.cache import SecCache
from watcher.sec.client import TICKERS_PATH, SecClient, Throttle, facts_path

DATA = Path(__file__).parent.parent / "data" / "sec"
CONTACT = "Jane Analyst jane@example.com"
START = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
MRVL, GOOGL, LPA, AAPL = 1_835_632, 1_652_044, 1_997_711, 320_193

BLOCK_PAGE = (
    b"<!DOCTYPE html><html><head><title>SEC.gov | Your Request Originates from an Undeclared "
    b"Automated Tool</title></head><body><h1>Your Request Originates from an Undeclared Automated "
    b"Tool</h1><p>Please declare your traffic by updating your user agent to include company "
    b"specific information.</p></body></html>"
)
NO_SUCH_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key '
    b"does not exist.</Message><Key>companyfacts/CIK0001652044.json</Key></Error>"
)
UNAVAILABLE_PAGE = b"<html><head><title>SEC.gov | File Unavailable</title></head><body></body></html>"


def _json(name: str) -> Reply:
    return Reply(200, {"Content-Type": "application/json"}, (DATA / name).read_bytes())


TICKERS = _json("company_tickers_2024-05-14_full.json")
MRVL_FACTS = _json("companyfacts_MRVL_CIK0001835632_full_wire.json")
LPA_FACTS = _json("companyfacts_LPA_CIK0001997711_ifrs-full_20F.json")
CRWV_FACTS = _json("companyfacts_CRWV_CIK0001769628_trimmed_by_source.json")


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class WallClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def edgar(loopback: LoopbackServer) -> LoopbackServer:
    loopback.route(TICKERS_PATH, TICKERS)
    loopback.route(facts_path(MRVL), MRVL_FACTS)
    loopback.route(facts_path(LPA), LPA_FACTS)
    return loopback


@pytest.fixture
def fetch(edgar: LoopbackServer, http_client: httpx.AsyncClient, tmp_path: Path, fake_time: FakeTime,
          wall: WallClock):
    """sec_figures wired to the loopback, a cache folder, the fake wall clock and fake sleeps."""

    async def run(symbols: list[str], contact: str | None = CONTACT, **kwargs: object):
        kwargs.setdefault("throttle", Throttle(clock=fake_time.clock, sleep=fake_time.sleep))
        return await sec_figures(symbols, contact, http_client, tmp_path / "sec", edgar.base_url, wall,
                                 **kwargs)

    return run


def paths(server: LoopbackServer) -> Counter[str]:
    return Counter(r.path for r in server.requests)


async def test_figures_over_the_wire_with_a_declared_user_agent(edgar: LoopbackServer, fetch) -> None:
    result = await fetch(["MRVL", "LPA"])
    mrvl, lpa = result["MRVL"], result["LPA"]
    assert isinstance(mrvl, SecFigures) and mrvl.ttm_revenue.value == 8_717_100_000
    assert isinstance(lpa, SecFigures) and lpa.annual_only
    # One override served both hosts' paths.
    assert paths(edgar) == {TICKERS_PATH: 1, facts_path(MRVL): 1, facts_path(LPA): 1}
    agents = {r.headers.get("user-agent") for r in edgar.requests}
    assert agents == {f"neowatch/{__version__} {CONTACT}"}


@pytest.mark.parametrize("contact", [None, "", "   "])
async def test_no_contact_no_request_and_the_words(edgar: LoopbackServer, fetch, contact: str | None) -> None:
    result = await fetch(["MRVL", "LPA"], contact)
    assert result == {s: SecUnavailable(NO_CONTACT_REASON, "no_contact") for s in ("MRVL", "LPA")}
    assert "NEOWATCH_SEC_CONTACT" in NO_CONTACT_REASON and "settings.sec_contact" in NO_CONTACT_REASON
    assert edgar.requests == []


@pytest.mark.parametrize("contact", ["Jane Analyst", "jane@example.com\r\nX-Evil: 1"])
async def test_a_contact_without_a_clean_e_mail_is_refused_before_asking(
    edgar: LoopbackServer, fetch, contact: str
) -> None:
    result = await fetch(["MRVL"], contact)
    assert result["MRVL"].kind == "no_contact" and "e-mail" in result["MRVL"].reason
    assert edgar.requests == []


async def test_ticker_list_is_kept_for_a_week(edgar: LoopbackServer, fetch, wall: WallClock) -> None:
    await fetch(["MRVL"])
    wall.now = START + timedelta(days=6, hours=23)
    assert isinstance((await fetch(["MRVL"]))["MRVL"], SecFigures)
    assert paths(edgar)[TICKERS_PATH] == 1  # the facts were a day old, the list was not
    assert paths(edgar)[facts_path(MRVL)] == 2
    wall.now = START + timedelta(days=7, minutes=1)
    await fetch(["MRVL"])
    assert paths(edgar)[TICKERS_PATH] == 2


async def test_company_facts_are_kept_for_a_day(edgar: LoopbackServer, fetch, wall: WallClock) -> None:
    await fetch(["MRVL"])
    wall.now = START + timedelta(hours=23, minutes=59)
    second = await fetch(["MRVL"])
    assert len(edgar.requests) == 2  # nothing new
    assert second["MRVL"].quarter_revenue.value == 2_417_800_000
    wall.now = START + timedelta(days=1, minutes=1)
    await fetch(["MRVL"])
    assert paths(edgar) == {TICKERS_PATH: 1, facts_path(MRVL): 2}


async def test_share_classes_of_one_company_make_one_request(edgar: LoopbackServer, fetch) -> None:
    edgar.route(facts_path(GOOGL), _json("companyfacts_GOOGL_CIK0001652044_multiclass_no_dei_shares_full_wire.json"))
    result = await fetch(["GOOG", "GOOGL"])
    assert result["GOOG"] == result["GOOGL"]
    assert result["GOOG"].shares.tag == "us-gaap:CommonStockSharesOutstanding"
    assert paths(edgar)[facts_path(GOOGL)] == 1


async def test_the_throttle_keeps_any_second_under_ten_requests(
    loopback: LoopbackServer, fetch, fake_time: FakeTime
) -> None:
    listed = json.loads(TICKERS.body)
    symbols = [listed[str(i)]["ticker"] for i in range(40)]
    loopback.route(TICKERS_PATH, TICKERS)
    loopback.route("/api/xbrl/companyfacts/", CRWV_FACTS)  # any company: a small body
    starts: list[float] = []
    throttle = Throttle(clock=fake_time.clock, sleep=fake_time.sleep)
    waited = throttle.wait

    async def recording_wait() -> None:
        await waited()
        starts.append(fake_time.now)

    throttle.wait = recording_wait  # type: ignore[method-assign]
    result = await fetch(symbols, throttle=throttle)
    assert sum(isinstance(r, SecFigures) for r in result.values()) >= 30
    assert len(starts) == len(loopback.requests) > 30  # every request went through the throttle
    busiest = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    assert busiest < 10


async def test_throttle_alone_under_concurrency(fake_time: FakeTime) -> None:
    throttle = Throttle(clock=fake_time.clock, sleep=fake_time.sleep)
    starts: list[float] = []

    async def one() -> None:
        await throttle.wait()
        starts.append(fake_time.now)

    await asyncio.gather(*(one() for _ in range(50)))
    assert max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts) < 10
    with pytest.raises(ValueError):
        Throttle(per_second=9.5)


async def test_403_404_503_are_per_company_states(edgar: LoopbackServer, fetch, fake_time: FakeTime) -> None:
    edgar.route(facts_path(AAPL), Reply(403, {"Content-Type": "text/html"}, BLOCK_PAGE))
    edgar.route(facts_path(GOOGL), Reply(404, {"Content-Type": "application/xml"}, NO_SUCH_KEY))
    edgar.route(facts_path(LPA), Reply(503, {"Content-Type": "text/html"}, UNAVAILABLE_PAGE))
    result = await fetch(["AAPL", "GOOGL", "LPA", "MRVL"])
    assert result["AAPL"].kind == "refused"
    assert result["AAPL"].reason.startswith("the SEC refused the request (403): ")
    assert "undeclared" in result["AAPL"].reason
    assert result["GOOGL"] == SecUnavailable("the SEC has no company facts for CIK 0001652044 (404)", "not_found")
    assert result["LPA"].kind == "overloaded" and "503" in result["LPA"].reason
    assert isinstance(result["MRVL"], SecFigures) and result["MRVL"].shares.value == 874_800_000
    # A 503 is retried once after a pause (a fake one); a 403 or 404 is not retried at all.
    assert paths(edgar)[facts_path(LPA)] == 2 and 2.0 in fake_time.sleeps
    assert paths(edgar)[facts_path(AAPL)] == 1 and paths(edgar)[facts_path(GOOGL)] == 1


async def test_a_503_then_an_answer_succeeds(edgar: LoopbackServer, fetch) -> None:
    answers = iter([Reply(503, {"Content-Type": "text/html"}, UNAVAILABLE_PAGE), LPA_FACTS])
    edgar.route(facts_path(LPA), lambda request: next(answers))
    assert isinstance((await fetch(["LPA"]))["LPA"], SecFigures)


async def test_an_archives_403_is_not_called_a_rate_limit(edgar: LoopbackServer, fetch) -> None:
    denied = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
    edgar.route(facts_path(MRVL), Reply(403, {"Content-Type": "application/xml"}, denied))
    reason = (await fetch(["MRVL"]))["MRVL"].reason
    assert reason.startswith("the SEC refused the request (403): ") and "undeclared" not in reason


async def test_unknown_ticker_is_said_and_not_asked_for(edgar: LoopbackServer, fetch) -> None:
    result = await fetch(["CRWV", "MRVL"])
    assert result["CRWV"].kind == "unknown_ticker" and "CRWV" in result["CRWV"].reason
    assert isinstance(result["MRVL"], SecFigures)
    assert set(paths(edgar)) == {TICKERS_PATH, facts_path(MRVL)}


async def test_a_refused_ticker_list_marks_every_company(edgar: LoopbackServer, fetch) -> None:
    edgar.route(TICKERS_PATH, Reply(403, {"Content-Type": "text/html"}, BLOCK_PAGE))
    result = await fetch(["MRVL", "LPA"])
    assert {r.kind for r in result.values()} == {"refused"}
    assert paths(edgar) == {TICKERS_PATH: 1}


async def test_a_200_that_is_not_json_is_a_state(edgar: LoopbackServer, fetch) -> None:
    edgar.route(facts_path(MRVL), Reply(200, {"Content-Type": "text/html"}, b"<html>maintenance</html>"))
    result = await fetch(["MRVL"])
    assert result["MRVL"].kind == "bad_response" and "JSON" in result["MRVL"].reason


async def test_nobody_listening_is_a_network_state(http_client: httpx.AsyncClient, tmp_path: Path,
                                                   fake_time: FakeTime) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    throttle = Throttle(clock=fake_time.clock, sleep=fake_time.sleep)
    result = await sec_figures(["MRVL"], CONTACT, http_client, tmp_path, f"http://127.0.0.1:{port}",
                               throttle=throttle)
    assert result["MRVL"].kind == "network" and "127.0.0.1" in result["MRVL"].reason


@pytest.mark.parametrize("what", ["facts", "tickers"])
async def test_a_corrupt_cache_file_is_set_aside_and_refetched(
    edgar: LoopbackServer, fetch, tmp_path: Path, wall: WallClock, what: str
) -> None:
    cache = SecCache(tmp_path / "sec", wall)
    path = cache.facts_path(MRVL) if what == "facts" else cache.tickers_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "fetched_at": "2026-09-01T12:00:00+00:00", "body": {"cik"')
    result = await fetch(["MRVL"], cache=cache)
    assert isinstance(result["MRVL"], SecFigures)
    assert path.with_name(path.name + ".corrupt").exists()
    assert json.loads(path.read_text())["version"] == 1  # rewritten from the fresh answer
    assert any("moved to" in w for w in cache.warnings)
    assert paths(edgar) == {TICKERS_PATH: 1, facts_path(MRVL): 1}


async def test_expired_facts_stand_in_when_the_sec_fails_and_say_so(
    edgar: LoopbackServer, fetch, wall: WallClock
) -> None:
    await fetch(["MRVL"])
    edgar.route(facts_path(MRVL), Reply(503, {"Content-Type": "text/html"}, UNAVAILABLE_PAGE))
    wall.now = START + timedelta(days=2)
    mrvl = (await fetch(["MRVL"]))["MRVL"]
    assert isinstance(mrvl, SecFigures) and mrvl.shares.as_of == date(2026, 5, 21)
    assert "503" in mrvl.stale and "2026-09-01" in mrvl.stale


async def test_client_user_agent_and_hosts_without_override(http_client: httpx.AsyncClient) -> None:
    sec = SecClient(http_client, CONTACT)
    assert sec.user_agent == f"neowatch/{__version__} {CONTACT}"
    assert (sec._www_url, sec._data_url) == ("https://www.sec.gov", "https://data.sec.gov")
