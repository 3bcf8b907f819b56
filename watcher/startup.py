"""What a start needs, for the app and the headless commands alike: the portfolio file to use,
the provider the settings name, the history store, and the Session over them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from watcher import paths

# The config, the providers and the store are imported in the functions: `neowatch` turns the
# cyclic collector off before it imports them (see __main__.main).
if TYPE_CHECKING:
    from watcher.config import Config
    from watcher.quotes.provider import QuoteProvider
    from watcher.recorder import Recorder
    from watcher.session import Session


def resolve_portfolio(given: Path | None) -> tuple[Path, tuple[str, ...]]:
    """The file to use, and notices for the user (such as a newly created file)."""
    if given is not None:
        return given.expanduser(), ()
    path = paths.default_portfolio_path()
    if paths.create_portfolio_from_sample(path):
        return path, (f"Created your portfolio file from the sample: {path}. Edit it to hold your positions.",)
    return path, ()


def check_environment(config: Config) -> None:
    """A base URL from the environment gets the same check as one from the file."""
    from watcher.config import FINNHUB_URL_ENV, YAHOO_URL_ENV, ConfigError
    from watcher.quotes.redact import redact_url

    for variable, url in ((YAHOO_URL_ENV, config.yahoo_url()), (FINNHUB_URL_ENV, config.finnhub_url())):
        if url and not re.match(r"^https?://[^\s/]+", url):
            raise ConfigError(f"{variable} must be an http:// or https:// URL, not {redact_url(url)[:60]!r}")


def make_provider(config: Config, demo: bool, backoff: bool = True) -> QuoteProvider:
    """The provider the settings name, or a fallback chain of them, each behind its own backoff
    (not for a one-shot fetch, which has no next time to wait for).

    Raises ConfigError when Finnhub is named without a usable key.
    """
    from watcher.config import ConfigError

    names = list(config.settings.provider)
    if demo or names[0] == "demo":
        from watcher.quotes.demo import DemoProvider

        return DemoProvider()
    from watcher.quotes.backoff import BackoffProvider
    from watcher.quotes.http import SharedClient
    from watcher.quotes.yahoo import DEFAULT_YAHOO_URL, YahooProvider

    token = config.finnhub_token()
    if "finnhub" in names:
        # Imported only when named: its start-up cost is not the first screen's.
        from watcher.quotes.finnhub import DEFAULT_FINNHUB_URL, FinnhubProvider, finnhub_unavailable_reason

        # Named but unusable: say so before the screen opens, not as a failure on every row.
        reason = finnhub_unavailable_reason(token)
        if reason:
            raise ConfigError(reason)
    client = SharedClient()  # one client shared by every provider, made at the first request
    providers: list[QuoteProvider] = []
    for name in names:
        if name == "yahoo":
            yahoo = YahooProvider(client, base_url=config.yahoo_url() or DEFAULT_YAHOO_URL)
            providers.append(BackoffProvider(yahoo) if backoff else yahoo)
        elif name == "finnhub":
            assert token is not None  # checked above
            finnhub = FinnhubProvider(client, token, base_url=config.finnhub_url() or DEFAULT_FINNHUB_URL)
            providers.append(BackoffProvider(finnhub) if backoff else finnhub)
        else:  # "demo" later in the order: its prices are marked SIMULATED like any demo's
            from watcher.quotes.demo import DemoProvider

            providers.append(DemoProvider())
    if len(providers) == 1:
        return providers[0]
    from watcher.quotes.fallback import FallbackProvider

    return FallbackProvider(providers)


def open_recorder(simulated: bool) -> Recorder:
    """The history store; simulated prices never enter it, and a store that cannot be
    opened leaves neowatch running on this session's memory, saying why. A store another
    neowatch holds lends its arming and leaves the alerting to that one; a store that cannot
    be written leaves the arming to a file in the state folder."""
    from watcher.feed import RECENT_PRICES
    from watcher.recorder import Recorder
    from watcher.store import Store, StoreLocked, StoreUnavailable

    if simulated:
        return Recorder(None)
    path = paths.history_store_path()
    try:
        # The store keeps at least as many prices per symbol as a sparkline draws.
        store = Store.open(path, keep_recent=RECENT_PRICES)
    except StoreLocked as error:
        # The neowatch holding the store alerts; this one follows its arming and stays quiet,
        # so a crossing is announced once, not once per window.
        return Recorder(None, str(error), held_by_other=path)
    except StoreUnavailable as error:
        # The arming, at least, outlives the run: a met condition does not fire at every start.
        recorder = Recorder(None, str(error), arming_file=paths.alert_arming_path())
        recorder.keep_arming()
        return recorder
    return Recorder(store)


def make_session(
    config: Config,
    provider: QuoteProvider,
    *,
    recorder: Recorder | None = None,
    provider_factory: Callable[[Config], QuoteProvider] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Session:
    """The Session over `provider`, with the quote cache in the user's cache folder."""
    from watcher.feed import Feed
    from watcher.quotes.cache import QuoteCache
    from watcher.recorder import Recorder
    from watcher.session import Session

    return Session(
        config,
        Feed(provider, clock),
        recorder=recorder or Recorder(None),
        cache=QuoteCache(paths.quote_cache_path()),
        provider_factory=provider_factory,
    )
