"""The shared client is made at the first request, so the first screen pays for neither httpx nor TLS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, json_reply
from watcher.domain.quote import Quote
from watcher.quotes.http import BROWSER_USER_AGENT, SharedClient, host_of
from watcher.quotes.yahoo import YahooProvider

AAPL = (Path(__file__).parent.parent / "data" / "yahoo" / "chart_AAPL_period_1d_daily_normal.json").read_bytes()
SAMPLE = Path(__file__).parents[2] / "sample_portfolio.toml"


async def test_the_client_is_made_by_the_first_request_and_is_the_apps_own(loopback: LoopbackServer) -> None:
    loopback.route_chart("AAPL", json_reply(AAPL))
    shared = SharedClient()
    yahoo = YahooProvider(shared, base_url=loopback.base_url)
    assert not shared.started
    results = await yahoo.fetch_quotes(["AAPL"])
    assert isinstance(results["AAPL"], Quote)
    assert shared.started
    # Made by make_http_client: the browser User-Agent Yahoo needs.
    assert loopback.requests[0].headers["user-agent"] == BROWSER_USER_AGENT
    await yahoo.aclose()


async def test_one_client_serves_every_request_and_closing_ends_it(loopback: LoopbackServer) -> None:
    made: list[object] = []

    def factory():  # noqa: ANN202 - an httpx.AsyncClient
        from watcher.quotes.http import make_http_client

        made.append(make_http_client())
        return made[-1]

    loopback.route_chart("AAPL", json_reply(AAPL))
    shared = SharedClient(factory)
    yahoo = YahooProvider(shared, base_url=loopback.base_url)
    await yahoo.fetch_quotes(["AAPL", "AAPL"])
    await yahoo.fetch_quotes(["AAPL"])
    assert len(made) == 1
    await shared.aclose()
    assert made[0].is_closed  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="closed"):
        shared.stream("GET", loopback.base_url)


async def test_closing_an_unused_client_makes_none() -> None:
    made: list[object] = []
    shared = SharedClient(lambda: made.append(1))
    await shared.aclose()
    assert made == [] and not shared.started


def test_making_the_provider_imports_no_httpx() -> None:
    probe = (
        "import sys; from pathlib import Path; from watcher.startup import make_provider; "
        "from watcher.config import load_config; "
        f"make_provider(load_config(Path({str(SAMPLE)!r})), demo=False); "
        "print('httpx' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://query1.finance.yahoo.com", "query1.finance.yahoo.com"),
        ("http://127.0.0.1:8080/mirror/", "127.0.0.1:8080"),
        ("http://user:secret@Proxy.Example:3128", "proxy.example:3128"),
        ("http://[::1]:9000", "::1:9000"),
        ("http://proxy.example:port", "proxy.example:port"),
    ],
)
def test_the_host_a_reason_names(url: str, host: str) -> None:
    assert host_of(url) == host
