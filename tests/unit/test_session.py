"""The Session and its Feed without a screen: provider switches, prices first, day-closes asked once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest

from tests.ui.conftest import AS_OF_CLOSES, SAMPLE, Clock, FixedProvider
from watcher.config import Config, load_config
from watcher.domain.quote import FailureKind, QuoteFailure
from watcher.feed import Feed
from watcher.quotes.cache import QuoteCache
from watcher.recorder import Recorder
from watcher.session import Session
from watcher.store import Store

REAL = {"CRWV": 128.40, "NBIS": 100.00, "IREN": 40.00, "CIFR": 14.00}
# Above 133 × 1.005: a price that would re-arm CRWV's "below 133" condition.
SIMULATED = {"CRWV": 133.68, "NBIS": 101.00, "IREN": 41.00, "CIFR": 15.00}
SIMULATED_CLOSES = {"CRWV": 66.5, "NBIS": 50.0, "IREN": 20.0, "CIFR": 7.0}


CountingProvider = FixedProvider  # it writes down every day-close asked for


def real(clock: Clock) -> CountingProvider:
    return CountingProvider(clock, rounds=[dict(REAL)])


def demo(clock: Clock) -> CountingProvider:
    return CountingProvider(clock, rounds=[dict(SIMULATED)], closes=dict(SIMULATED_CLOSES), name="Demo",
                            simulated=True)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def config() -> Config:
    return load_config(SAMPLE)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Store:
    opened = Store.open(tmp_path / "history.sqlite", clock)
    yield opened
    opened.close()


def make_session(config: Config, provider: FixedProvider, store: Store, tmp_path: Path) -> Session:
    session = Session(config, Feed(provider, provider.clock), recorder=Recorder(store),
                      cache=QuoteCache(tmp_path / "quotes.json"))
    session.start()
    return session


def recorded_prices(store: Store) -> set[float]:
    return {p for prices in store.recent_prices(list(REAL), 100).values() for p in prices}


async def test_demo_then_real_keeps_nothing_simulated(config: Config, store: Store, tmp_path: Path,
                                                      clock: Clock) -> None:
    session = make_session(config, demo(clock), store, tmp_path)
    await session.refresh_once()
    assert session.feed.closes["CRWV"]  # the demo's closes scaled its caps
    yahoo = real(clock)
    session.replace_feed(yahoo)
    # Nothing the demo taught is shown as Yahoo's: no price, no close.
    assert session.feed.book.quotes == {} and session.feed.closes == {}
    clock.advance(60)
    await session.refresh_once()
    # The real provider's day-closes were asked for after the switch ...
    assert {symbol for symbol, _ in yahoo.closes_asked} == set(AS_OF_CLOSES)
    assert session.feed.closes["CRWV"] == {"2025-09-24": AS_OF_CLOSES["CRWV"]}
    # ... the store holds only real prices, and the cache only Yahoo's quotes and closes.
    assert recorded_prices(store) == set(REAL.values())
    quotes, closes, _ = QuoteCache(tmp_path / "quotes.json").load()
    assert {q.price for q in quotes.values()} == set(REAL.values())
    assert closes["CRWV"] == {"2025-09-24": AS_OF_CLOSES["CRWV"]}
    # The one alert logged is the real crossing at 128.40.
    assert [record.value for record in store.alerts()] == [128.40]


async def test_real_then_demo_then_real_fires_no_second_alert(config: Config, store: Store, tmp_path: Path,
                                                              clock: Clock) -> None:
    session = make_session(config, real(clock), store, tmp_path)
    fetch = await session.feed.fetch_prices(config.symbols)
    fired = session.apply_prices(fetch)
    assert [f.alert.symbol for f in fired] == ["CRWV"] and not fired[0].simulated
    # To the demo: its 133.68 would re-arm the condition if it counted.
    session.replace_feed(demo(clock))
    clock.advance(60)
    fired = session.apply_prices(await session.feed.fetch_prices(config.symbols))
    assert fired == []
    # Back to the real provider, still at 128.40: the crossing was already alerted.
    session.replace_feed(real(clock))
    clock.advance(60)
    fired = session.apply_prices(await session.feed.fetch_prices(config.symbols))
    assert fired == []
    assert [record.value for record in store.alerts()] == [128.40]
    assert recorded_prices(store) == set(REAL.values())
    # The arming kept on disk is the real one: a restart does not fire either.
    assert store.alert_states()[config.conditions[0].key] is False


async def test_a_simulated_crossing_is_shown_as_simulated_and_never_logged(config: Config, store: Store,
                                                                           tmp_path: Path, clock: Clock) -> None:
    below = dict(SIMULATED, CRWV=120.0)
    session = make_session(config, CountingProvider(clock, rounds=[below], name="Demo", simulated=True),
                           store, tmp_path)
    fired = session.apply_prices(await session.feed.fetch_prices(config.symbols))
    assert [(f.alert.symbol, f.simulated) for f in fired] == [("CRWV", True)]
    assert store.alerts() == [] and store.alert_states() == {}
    assert recorded_prices(store) == set()


async def test_a_fetch_of_a_replaced_feed_is_ignored(config: Config, store: Store, tmp_path: Path,
                                                     clock: Clock) -> None:
    session = make_session(config, demo(clock), store, tmp_path)
    late = await session.feed.fetch_prices(config.symbols)
    session.replace_feed(real(clock))
    assert session.apply_prices(late) == []
    assert session.feed.book.quotes == {} and recorded_prices(store) == set()


async def test_the_cache_seeds_a_real_feed_only(config: Config, store: Store, tmp_path: Path,
                                                clock: Clock) -> None:
    first = make_session(config, real(clock), store, tmp_path)
    await first.refresh_once()
    again = make_session(config, demo(clock), store, tmp_path)
    assert again.feed.book.quotes == {} and again.feed.recent == {}
    again.replace_feed(real(clock))
    assert again.feed.book.price("CRWV") == 128.40
    assert again.feed.recent["CRWV"] == [128.40]


@dataclass
class SlowCloses(FixedProvider):
    """Prices at once; every day-close waits until the test lets it go."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    asked: int = 0

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        self.asked += 1
        await self.release.wait()
        return self.closes[symbol]


async def test_prices_are_applied_before_any_close_answers(config: Config, clock: Clock) -> None:
    provider = SlowCloses(clock)
    session = Session(config, Feed(provider, clock))
    session.apply_prices(await session.feed.fetch_prices(config.symbols))
    assert session.overview().row("CRWV").quote.price == 128.40  # type: ignore[union-attr]
    due = session.closes_due()
    lookups = asyncio.ensure_future(session.feed.fetch_closes(due))
    for _ in range(50):  # a few turns of the loop; one lookup after another would stop at 1
        await asyncio.sleep(0)
    assert provider.asked == len(due) == 4  # all asked at once, none waiting for another
    assert session.closes_due() == []  # asked already: not again while they run
    provider.release.set()
    session.apply_closes(await lookups)
    assert session.overview().row("CRWV").market_cap.is_live  # type: ignore[union-attr]


@dataclass
class FailingCloses(FixedProvider):
    kind: FailureKind = FailureKind.RATE_LIMITED
    asked: int = 0

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        self.asked += 1
        return QuoteFailure(symbol, self.kind, "no")


async def close_round(session: Session) -> int:
    due = session.closes_due()
    if due:
        session.apply_closes(await session.feed.fetch_closes(due))
    return len(due)


async def test_a_close_that_failed_for_a_passing_reason_is_retried_with_backoff(config: Config,
                                                                                clock: Clock) -> None:
    session = Session(config, Feed(FailingCloses(clock), clock))
    assert await close_round(session) == 4
    clock.advance(30)  # the next refresh: too soon
    assert await close_round(session) == 0
    clock.advance(31)
    assert await close_round(session) == 4  # after a minute
    clock.advance(90)
    assert await close_round(session) == 0  # then after two
    clock.advance(31)
    assert await close_round(session) == 4


async def test_a_close_that_failed_for_a_lasting_reason_is_not_asked_again(config: Config,
                                                                           clock: Clock) -> None:
    session = Session(config, Feed(FailingCloses(clock, kind=FailureKind.NO_DATA), clock))
    assert await close_round(session) == 4
    clock.advance(24 * 3600)
    assert await close_round(session) == 0


async def test_a_cancelled_lookup_is_due_again(config: Config, clock: Clock) -> None:
    session = Session(config, Feed(SlowCloses(clock), clock))
    due = session.closes_due()
    session.feed.abandon_closes(due)
    assert sorted(session.closes_due()) == sorted(due)


async def test_the_close_backoff_survives_many_failures_and_stays_at_its_cap(config: Config,
                                                                             clock: Clock) -> None:
    session = Session(config, Feed(FailingCloses(clock), clock))
    for _ in range(60):  # far past where 2**n would overflow a timedelta
        assert await close_round(session) == 4
        clock.advance(3601)  # the cap: an hour
    assert await close_round(session) == 4


@dataclass
class RaisingCloses(FixedProvider):
    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        raise RuntimeError("a provider bug")


async def test_a_close_lookup_that_raises_is_backed_off_like_a_passing_failure(config: Config,
                                                                               clock: Clock) -> None:
    session = Session(config, Feed(RaisingCloses(clock), clock))
    assert await close_round(session) == 4
    clock.advance(30)
    assert await close_round(session) == 0  # not at every refresh


async def test_a_real_provider_switch_shows_none_of_the_old_providers_cached_prices(
    config: Config, store: Store, tmp_path: Path, clock: Clock
) -> None:
    first = make_session(config, real(clock), store, tmp_path)
    await first.refresh_once()
    # Another real provider: every fetch fails. Yahoo's cached 128.40 is not shown as its price.
    failing = CountingProvider(clock, rounds=[{s: QuoteFailure(s, FailureKind.NETWORK, "down") for s in REAL}],
                               name="Finnhub")
    first.replace_feed(failing)
    assert first.feed.book.quotes == {}
    await first.refresh_once()
    assert first.feed.book.quotes == {}
    # Back to Yahoo: its own cached prices are its own again.
    first.replace_feed(real(clock))
    assert first.feed.book.price("CRWV") == 128.40


async def test_the_cache_keeps_what_another_portfolio_file_saved(config: Config, store: Store, tmp_path: Path,
                                                                 clock: Clock) -> None:
    cache = QuoteCache(tmp_path / "quotes.json")
    first = make_session(config, real(clock), store, tmp_path)
    first.feed.provider.rounds = [dict(REAL, ORCL=200.0)]  # type: ignore[attr-defined]
    first.config = replace(config, watchlist=(*config.watchlist, "ORCL"))
    await first.refresh_once()
    other = make_session(config, real(clock), store, tmp_path)
    await other.refresh_once()
    quotes, _, _ = cache.load("Yahoo")
    assert quotes["ORCL"].price == 200.0  # not erased by a run on a file without ORCL


async def test_check_judges_only_prices_fetched_now(config: Config, store: Store, tmp_path: Path,
                                                    clock: Clock) -> None:
    from watcher.headless import take_snapshot

    await make_session(config, real(clock), store, tmp_path).refresh_once()  # 128.40 cached
    clock.advance(30)
    down = {s: QuoteFailure(s, FailureKind.NETWORK, "down") for s in REAL}
    session = Session(config, Feed(CountingProvider(clock, rounds=[down]), clock),
                      cache=QuoteCache(tmp_path / "quotes.json"))
    snapshot = await take_snapshot(session)
    assert not snapshot.any_quote and snapshot.buys == []
    assert all(row.quote is None and not row.buy for row in snapshot.overview.rows)


async def test_a_symbol_removed_from_the_file_leaves_no_failure_behind(config: Config, clock: Clock) -> None:
    failing = {**REAL, "ORCL": QuoteFailure("ORCL", FailureKind.NOT_FOUND, "Yahoo does not know ORCL")}
    session = Session(replace(config, watchlist=(*config.watchlist, "ORCL")),
                      Feed(CountingProvider(clock, rounds=[failing]), clock))
    await session.refresh_once()
    assert "ORCL" in session.feed.book.failures
    session.apply_config(config)
    assert "ORCL" not in session.feed.book.failures and "CRWV" in session.feed.book.quotes


async def test_a_follow_up_fetch_of_rates_keeps_the_refreshs_retry_after(config: Config, clock: Clock) -> None:
    limited = {**REAL, "NBIS": QuoteFailure("NBIS", FailureKind.RATE_LIMITED, "429", retry_after=120)}
    session = Session(config, Feed(CountingProvider(clock, rounds=[limited, dict(REAL)]), clock))
    session.apply_prices(await session.feed.fetch_prices(config.symbols))
    waited, refreshed = session.feed.not_before, session.feed.last_refresh
    clock.advance(5)
    session.apply_prices(await session.feed.fetch_prices(("GBPUSD=X",), whole=False))
    assert session.feed.not_before == waited is not None and session.feed.last_refresh == refreshed


async def test_a_failure_is_dated_from_the_first_fetch_of_its_run(config: Config, clock: Clock) -> None:
    down = QuoteFailure("CRWV", FailureKind.NETWORK, "cannot connect to Yahoo at 127.0.0.1:9")
    provider = FixedProvider(clock, rounds=[{**REAL, "CRWV": down}, {**REAL, "CRWV": down}, dict(REAL)])
    feed = Feed(provider, clock)
    began = clock()
    feed.apply_prices(await feed.fetch_prices(list(REAL)))
    clock.advance(60)
    feed.apply_prices(await feed.fetch_prices(list(REAL)))
    assert feed.failing_since == {"CRWV": began}  # the second failure does not move it
    clock.advance(60)
    feed.apply_prices(await feed.fetch_prices(list(REAL)))
    assert feed.failing_since == {}  # a price ends the run


async def test_a_quote_of_a_single_provider_names_it(config: Config, clock: Clock) -> None:
    feed = Feed(real(clock), clock)
    fetch = await feed.fetch_prices(list(REAL))
    assert {r.source for r in fetch.results.values() if not isinstance(r, QuoteFailure)} == {"Yahoo"}
