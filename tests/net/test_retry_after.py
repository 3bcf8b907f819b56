"""A 429 with an absurd Retry-After: the refresh neither raises nor waits for days."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.loopback import LoopbackServer, Reply
from tests.net.conftest import FETCHED_AT
from watcher.domain.quote import FailureKind, QuoteFailure
from watcher.feed import Feed
from watcher.quotes.backoff import BackoffProvider
from watcher.quotes.yahoo import YahooProvider


@pytest.mark.parametrize("retry_after", ["1e15", "999999", "Thu, 01 Jan 2099 00:00:00 GMT"])
@pytest.mark.parametrize("backoff", [True, False])
async def test_a_huge_retry_after_is_an_hour_at_most(
    loopback: LoopbackServer, http_client: httpx.AsyncClient, retry_after: str, backoff: bool
) -> None:
    loopback.route_chart("AAPL", Reply(429, {"Retry-After": retry_after}, b"Too Many Requests"))
    yahoo = YahooProvider(http_client, base_url=loopback.base_url, clock=lambda: FETCHED_AT)
    provider = BackoffProvider(yahoo, clock=lambda: FETCHED_AT) if backoff else yahoo
    feed = Feed(provider, clock=lambda: FETCHED_AT)
    for _ in range(2):  # the second refresh is answered from the backoff's memory
        feed.apply_prices(await feed.fetch_prices(["AAPL"]))
        failure = feed.book.failures["AAPL"]
        assert isinstance(failure, QuoteFailure) and failure.kind is FailureKind.RATE_LIMITED
        assert failure.retry_after is not None and 0 < failure.retry_after <= 3600
        assert feed.not_before is not None
        assert timedelta(0) < feed.not_before - FETCHED_AT <= timedelta(hours=1)
    assert len(loopback.requests) == (1 if backoff else 2)
