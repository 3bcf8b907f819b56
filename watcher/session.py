"""The watcher's core, without a screen: the portfolio, the companies, the feed, alerts, the store.

The terminal app and the headless commands (`check`, `export`, `fundamentals`) drive the same
Session. It never fetches on its own: a caller awaits a fetch of its Feed (or of the SEC) and
hands the result back to be applied, so a screen can fetch in a worker and apply on its loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from watcher.config import Config, ConfigError, load_config
from watcher.config_change import ConfigChange, Reload, provider_settings
from watcher.domain.alerts import AlertArming
from watcher.domain.currency import Rates
from watcher.domain.fundamentals import Company
from watcher.domain.overview import Overview, build_overview, symbols_needing_close
from watcher.domain.quote import Quote
from watcher.feed import RECENT_PRICES, CloseFetch, CloseKey, Feed, PriceFetch
from watcher.fundamentals import SecResult, companies_with, fetch_sec
from watcher.fx import fx_symbols_needed, rates_in
from watcher.quotes.cache import QuoteCache
from watcher.quotes.provider import QuoteProvider
from watcher.recorder import Recorder

if TYPE_CHECKING:
    from watcher.alerting import Alert

Clock = Callable[[], datetime]
SecLoader = Callable[[Config], Awaitable[SecResult]]
ProviderFactory = Callable[[Config], QuoteProvider]

ALL = "All"
"""The group of every company."""


@dataclass(frozen=True, slots=True)
class FiredAlert:
    alert: Alert
    simulated: bool
    """From a simulated price: shown on screen as such, never logged, never sent out."""


@dataclass
class Session:
    """Owns what the watcher knows; serves the screen and the headless commands alike."""

    config: Config
    feed: Feed
    recorder: Recorder = field(default_factory=lambda: Recorder(None))
    cache: QuoteCache | None = None
    sec_loader: SecLoader | None = None
    provider_factory: ProviderFactory | None = None
    sec: SecResult = field(default_factory=lambda: SecResult({}, {}))
    companies: dict[str, Company] = field(init=False)
    arming: AlertArming = field(init=False)
    file_error: str | None = None
    """Why the last save of the portfolio file was not applied; None once it is fixed."""
    latest: Overview | None = None
    """The overview last answered: after a fetch is applied, the one its alerts were judged on."""
    _real_arming: AlertArming = field(init=False)

    def __post_init__(self) -> None:
        self.companies = companies_with(self.config.companies)
        self._real_arming = AlertArming(margin_pct=self.config.alerts.hysteresis_pct)
        self.arming = self._arming_for(self.feed)

    @property
    def clock(self) -> Clock:
        return self.feed.clock

    def start(self, cached_prices: bool = True) -> list[str]:
        """Take what the last run left (cached prices of this provider, unless told not to, recent
        prices, day-closes, armed alerts); the warnings."""
        warnings = []
        self._real_arming = AlertArming(self.recorder.alert_states(), self.config.alerts.hysteresis_pct)
        self.arming = self._arming_for(self.feed)
        warning = self._seed(self.feed, cached_prices)
        if warning:
            warnings.append(warning)
        if self.recorder.warning:
            warnings.append(self.recorder.warning)
        warnings.extend(self.config.key_notices)
        return warnings

    def _seed(self, feed: Feed, cached_prices: bool = True) -> str | None:
        """A real feed starts from what its own provider left on disk: a price another provider
        saved is never shown as this one's."""
        if feed.simulated:
            return None
        quotes, closes, warning = self.cache.load(feed.name) if self.cache is not None else ({}, {}, None)
        symbols = self.fetch_symbols()
        feed.seed(
            {s: q for s, q in quotes.items() if s in symbols} if cached_prices else {},
            closes,
            self.recorder.recent_prices(symbols, RECENT_PRICES),
        )
        return warning

    def _arming_for(self, feed: Feed) -> AlertArming:
        # Simulated prices move a copy: they never re-arm (nor disarm) a real alert.
        if feed.simulated:
            return AlertArming(self._real_arming.states, self.config.alerts.hysteresis_pct)
        return self._real_arming

    # --- what the screens show ------------------------------------------------------

    @property
    def stale_after(self) -> timedelta:
        settings = self.config.settings
        return timedelta(seconds=settings.refresh_interval * settings.stale_after_refreshes)

    def overview(self) -> Overview:
        self.latest = build_overview(
            symbols=self.config.symbols,
            portfolio=self.config.portfolio,
            conditions=self.config.conditions,
            companies=self.companies,
            book=self.feed.book,
            closes=self.feed.closes,
            now=self.clock(),
            stale_after=self.stale_after,
            recent=self.feed.recent,
            figure_max_age_months=self.config.settings.figure_max_age_months,
            rates=self.rates(),
        )
        return self.latest

    # --- currencies: the rates come through the feed like any price ------------------------

    def fx_symbols(self) -> tuple[str, ...]:
        return fx_symbols_needed(self.config, self.feed.book)

    def fetch_symbols(self) -> tuple[str, ...]:
        """What a refresh asks the provider for: every symbol on screen, then the rates."""
        return self.config.symbols + tuple(s for s in self.fx_symbols() if s not in self.config.symbols)

    def rates_missing(self) -> tuple[str, ...]:
        """Rates needed and never asked for (a listing's currency just learnt): to ask at once."""
        book = self.feed.book
        return tuple(s for s in self.fx_symbols() if s not in book.quotes and s not in book.failures)

    def rates(self) -> Rates:
        return rates_in(self.feed.book, self.config.settings.base_currency, self.clock(), self.stale_after)

    def groups(self) -> dict[str, tuple[str, ...]]:
        """The file's groups; without any, the analysis' tiers of the companies watched."""
        if self.config.groups:
            return dict(self.config.groups)
        tiers: dict[str, list[str]] = {}
        for symbol in self.config.symbols:
            company = self.companies.get(symbol)
            if company and company.tier:
                tiers.setdefault(company.tier, []).append(symbol)
        return {tier: tuple(symbols) for tier, symbols in tiers.items()} if len(tiers) > 1 else {}

    def group_symbols(self, group: str) -> tuple[str, ...]:
        if group == ALL:
            return self.config.symbols
        return tuple(self.groups().get(group, ()))

    # --- applying what the feed brought -----------------------------------------------

    def apply_prices(self, fetch: PriceFetch) -> list[FiredAlert]:
        """Take a fetch's prices (ignored if its feed was replaced meanwhile); the alerts they fire."""
        if fetch.feed is not self.feed:
            return []
        new = self.feed.apply_prices(fetch)
        if not self.feed.simulated:
            self.recorder.record_quotes(new)
        return self.fire_alerts(self.overview())

    def closes_due(self) -> list[CloseKey]:
        """The day-closes to look up now for the as-of market caps (counted as asked)."""
        needed = symbols_needing_close(self.config.symbols, self.companies, self.feed.closes)
        return self.feed.closes_due(needed)

    def apply_closes(self, fetch: CloseFetch) -> list[FiredAlert]:
        if fetch.feed is not self.feed or not self.feed.apply_closes(fetch):
            return []
        return self.fire_alerts(self.overview())  # a market cap now live may meet a valuation condition

    def fire_alerts(self, overview: Overview | None = None) -> list[FiredAlert]:
        """The conditions that became met in `overview` (default: now); real ones are logged and
        their arming kept."""
        # Imported at the first fetch, not before the first frame.
        from watcher.alerting import alert_for
        from watcher.store import AlertRecord

        overview = overview or self.overview()
        simulated = self.feed.simulated
        if not simulated and not self.recorder.alerts_here:
            # Another neowatch holds the store: it announces and keeps the arming. This one
            # follows the arming it saved, so its screen agrees, and announces nothing.
            self._real_arming = AlertArming(self.recorder.alert_states(), self.config.alerts.hysteresis_pct)
            self.arming = self._real_arming
            return []
        before = self.arming.states
        fired = []
        now = self.clock()
        for status in self.arming.update(overview.conditions, overview.stale_symbols):
            alert = alert_for(status, self.feed.book.price(status.condition.symbol), now)
            fired.append(FiredAlert(alert, simulated))
            if not simulated:
                self.recorder.record_alert(
                    AlertRecord(alert.symbol, status.condition.key, alert.label, alert.price, alert.fired_at)
                )
        if not simulated and self.arming.states != before:
            self.recorder.save_alert_states(self.arming.states)
        return fired

    @property
    def keeps_cache(self) -> bool:
        """Whether fetches are saved to the quote cache: a real feed's are, a simulated one's never."""
        return self.cache is not None and not self.feed.simulated

    def cache_contents(self) -> tuple[dict[str, Quote], dict[str, dict[str, float]]] | None:
        """What to save to the quote cache (copies, for a thread); None when nothing is to be saved."""
        if not self.keeps_cache:
            return None
        return dict(self.feed.book.quotes), {k: dict(v) for k, v in self.feed.closes.items()}

    def save_cache(self, contents: tuple[dict[str, Quote], dict[str, dict[str, float]]] | None = None) -> None:
        """Save the quote cache (raises OSError): `contents` taken on the UI loop, written from a
        thread. What the file held for other symbols (another portfolio file's) is kept."""
        contents = contents or self.cache_contents()
        if contents is None or self.cache is None:
            return
        quotes, closes = contents
        source = self.feed.name
        previous, previous_closes, _ = self.cache.load(source)
        for symbol, by_day in closes.items():
            previous_closes.setdefault(symbol, {}).update(by_day)
        self.cache.save({**previous, **quotes}, previous_closes, source)

    # --- the SEC's figures --------------------------------------------------------------

    async def fetch_sec(self, symbols: Sequence[str] | None = None) -> SecResult:
        """The SEC's figures for the symbols watched (or those asked); touches nothing."""
        if self.sec_loader is not None:
            return await self.sec_loader(self.config)
        return await fetch_sec(self.config, self.clock, symbols)

    def apply_sec(self, result: SecResult) -> None:
        self.sec = result
        self.companies = companies_with(self.config.companies, result.companies)

    # --- the portfolio file -------------------------------------------------------------

    def reload(self) -> Reload:
        """Read the file again: apply a valid version at once, keep the last good one on an error."""
        try:
            new = load_config(self.config.path)
            provider = self._provider_for(new)
        except ConfigError as error:
            self.file_error = str(error)
            return Reload(error=self.file_error)
        fixed = self.file_error is not None
        self.file_error = None
        if new == self.config:
            return Reload(fixed=fixed)
        return Reload(fixed=fixed, change=self.apply_config(new, provider))

    def _provider_for(self, new: Config) -> QuoteProvider | None:
        """A new provider when the file changed where prices come from (ConfigError if it cannot be)."""
        if self.provider_factory is None or provider_settings(new) == provider_settings(self.config):
            return None
        return self.provider_factory(new)

    def apply_config(self, new: Config, provider: QuoteProvider | None = None) -> ConfigChange:
        old = self.config
        self.config = new
        self.companies = companies_with(new.companies, self.sec.companies)
        self._real_arming.margin_pct = new.alerts.hysteresis_pct
        self.arming.margin_pct = new.alerts.hysteresis_pct
        retired = self.replace_feed(provider) if provider is not None else None
        self.feed.forget_all_but(self.fetch_symbols())
        new_symbols = set(new.symbols) - set(old.symbols)
        sec_changed = (new.settings.sec_contact, new.settings.sec_url) != (
            old.settings.sec_contact, old.settings.sec_url)
        theme = new.settings.theme if new.settings.theme != old.settings.theme else None
        return ConfigChange(
            keys=new.keys != old.keys,
            key_notices=tuple(n for n in new.key_notices if n not in old.key_notices),
            theme=theme,
            retired_feed=retired,
            sec=bool(new_symbols) or sec_changed,
            refresh=retired is not None or bool(new_symbols)
            or new.settings.refresh_interval != old.settings.refresh_interval,
        )

    def replace_feed(self, provider: QuoteProvider) -> Feed:
        """A new Feed for `provider`: nothing the old one learnt is kept. The old feed, to close."""
        retired = self.feed
        self.feed = Feed(provider, retired.clock)
        self._seed(self.feed)
        self.arming = self._arming_for(self.feed)
        return retired

    # --- one fetch, for the headless commands --------------------------------------------

    async def refresh_once(self, with_sec: bool = False) -> PriceFetch:
        """Fetch every price (and the SEC's figures, at the same time), then the closes still
        needed, and save the cache; the price fetch."""
        prices = self.feed.fetch_prices(self.fetch_symbols())
        if with_sec:
            sec, fetch = await asyncio.gather(self.fetch_sec(), prices)
            self.apply_sec(sec)
        else:
            fetch = await prices
        self.apply_prices(fetch)
        missing = self.rates_missing()
        if missing:  # a listing's currency learnt from this fetch: its rate, before answering
            self.apply_prices(await self.feed.fetch_prices(missing, whole=False))
        due = self.closes_due()
        if due:
            self.apply_closes(await self.feed.fetch_closes(due))
        # A cache that cannot be written costs the next start its head start, nothing more.
        if any(isinstance(result, Quote) for result in fetch.results.values()):
            with contextlib.suppress(OSError):
                self.save_cache()
        return fetch

    async def aclose(self) -> None:
        await self.feed.aclose()
        self.recorder.close()
