"""Every fault a provider shows, through the whole app: the last good price stays, the reason is said."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.loopback import LoopbackServer, Reply, yahoo_chart_body
from tests.ui.conftest import FixedProvider, cell_text, settle
from watcher.app import make_app
from watcher.config import Config
from watcher.quotes.http import make_http_client
from watcher.quotes.yahoo import YahooProvider
from watcher.widgets.company_grid import CompanyGrid
from watcher.widgets.status_line import StatusLine

SIZE = (160, 50)
DATA = Path(__file__).resolve().parents[1] / "data" / "yahoo"
JSON = {"Content-Type": "application/json"}


def _no_bars(symbol: str) -> bytes:
    body = json.loads(yahoo_chart_body(symbol, 41.0))
    result = body["chart"]["result"][0]
    result.pop("timestamp", None)
    result["indicators"]["quote"] = [{}]
    return json.dumps(body).encode()


def _delisted(symbol: str) -> bytes:
    body = json.loads(yahoo_chart_body(symbol, 41.0))
    meta = body["chart"]["result"][0]["meta"]
    meta["currency"] = None
    meta.pop("regularMarketPrice")
    return json.dumps(body).encode()


def _price(value: float | str) -> bytes:
    body = yahoo_chart_body("IREN", 41.0).decode()
    text = body.replace('"regularMarketPrice": 41.0', f'"regularMarketPrice": {value}')
    assert str(value) in text
    return text.encode()


# (case, reply to IREN's second fetch, words the screen must say; None: a valid price)
FAULTS = [
    ("timeout", Reply(200, JSON, yahoo_chart_body("IREN", 41.0), delay=3.0), "did not answer in time"),
    ("5xx", Reply(503, {"Content-Type": "text/html"}, b"<html>Service Unavailable</html>"), "HTTP 503"),
    ("429 with Retry-After", Reply(429, {"Retry-After": "40"}, b"Too Many Requests"), "rate-limited by Yahoo"),
    ("429 without Retry-After", Reply(429, {}, (DATA / "yahoo_429_body_too_many_requests.txt").read_bytes()),
     "rate-limited by Yahoo"),
    ("HTML with 200", Reply(200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>consent</body></html>"),
     "HTML page"),
    ("truncated JSON", Reply(200, JSON, yahoo_chart_body("IREN", 41.0)[:120]), "not JSON"),
    ("cut-off connection", Reply(200, JSON, yahoo_chart_body("IREN", 41.0), truncate_at=100), "cut off"),
    ("unknown symbol", Reply(404, JSON, (DATA / "chart_INVALID.BO_404_not_found.json").read_bytes()),
     "does not know IREN"),
    ("delisted", Reply(200, JSON, _delisted("IREN")), "may be delisted"),
    ("another symbol", Reply(200, JSON, yahoo_chart_body("AAPL", 227.55)), "answer was for AAPL, not IREN"),
    ("negative price", Reply(200, JSON, _price(-5)), "implausible price"),
    ("zero price", Reply(200, JSON, _price(0)), "implausible price"),
    ("NaN price", Reply(200, JSON, _price("NaN")), "implausible price"),
    ("infinite price", Reply(200, JSON, _price("Infinity")), "implausible price"),
]


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("case", "fault", "words"), FAULTS, ids=[f[0] for f in FAULTS])
async def test_a_fault_keeps_the_last_good_price_and_says_why(
    case: str, fault: Reply, words: str, sample_config: Config, no_proxy: None
) -> None:
    answers = iter([Reply(200, JSON, yahoo_chart_body("IREN", 40.0, previous_close=41.0)), fault])
    with LoopbackServer() as server:
        for symbol, price in (("CRWV", 128.4), ("NBIS", 100.0), ("CIFR", 14.0)):
            server.route_chart(symbol, Reply(200, JSON, yahoo_chart_body(symbol, price)))
        server.route_chart("IREN", lambda request: next(answers, fault))
        client = make_http_client(httpx.Timeout(1.0))
        app = make_app(sample_config, YahooProvider(client, base_url=server.base_url))
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            grid = app.screen.query_one("#grid", CompanyGrid)
            assert cell_text(grid, "IREN", "price") == "40.00"
            app.refresh_now()
            await settle(app, pilot)
            assert cell_text(grid, "IREN", "price") == "40.00", case  # the last good price stays
            assert cell_text(grid, "CRWV", "price") == "128.40"  # the others are untouched
            status = str(app.screen.query_one(StatusLine).render())
            assert words in app.session.feed.book.failures["IREN"].reason
            assert "IREN" in status
            assert app.is_running


async def test_a_window_without_bars_still_gives_the_live_price(sample_config: Config, no_proxy: None) -> None:
    with LoopbackServer() as server:
        server.route_chart("IREN", Reply(200, JSON, _no_bars("IREN")))
        null_bars = (DATA / "chart_GS2C.DE_5d_daily_null_bars.json").read_bytes().replace(b"GS2C.DE", b"NBIS")
        server.route_chart("NBIS", Reply(200, JSON, null_bars))
        app = make_app(sample_config, YahooProvider(make_http_client(), base_url=server.base_url))
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            grid = app.screen.query_one("#grid", CompanyGrid)
            assert cell_text(grid, "IREN", "price") == "41.00"  # weekend: meta still has the price
            assert cell_text(grid, "NBIS", "price") == "23.07"  # null bars are skipped, not fatal


async def test_hostile_strings_from_the_network_are_shown_inert(sample_config: Config, clock) -> None:  # noqa: ANN001
    from dataclasses import replace

    hostile = "[bold red]Evil[/] [link=http://e.vil]x[/link] \x1b[31mRED\x1b]0;pwned\x07 \u202e" + "A" * 10_000
    provider = FixedProvider(clock, rounds=[{"CRWV": 128.4, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0, "ORCL": 200.0}])
    plain = provider.fetch_quotes

    async def fetch(symbols):  # noqa: ANN001, ANN202
        results = await plain(symbols)
        results["ORCL"] = replace(results["ORCL"], name=hostile, currency=hostile, exchange=hostile)
        return results

    provider.fetch_quotes = fetch  # type: ignore[method-assign]
    config = replace(sample_config, watchlist=(*sample_config.watchlist, "ORCL"))
    app = make_app(config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        name = cell_text(grid, "ORCL", "name")
        assert name == "[bold red]Ev…"  # markup shown as typed, cut to the column
        assert len(name) <= 13 and not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in name)
        await pilot.press("end")
        await pilot.press("enter")
        await settle(app, pilot)
        heading = app.screen.query_one("#heading").render()
        assert "\x1b" not in str(heading) and "\u202e" not in str(heading)
        assert len(str(heading)) < 200
