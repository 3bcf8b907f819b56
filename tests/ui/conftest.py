"""Fixtures for driving the app: a provider that answers what the test says, a fixed clock."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable

from watcher.app import NeowatchApp, make_app
from watcher.config import Config, load_config
from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult
from watcher.quotes.provider import ChartRange, PriceHistory

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_portfolio.toml"
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)

# The analyst's day: CRWV under the $133 trigger, NBIS at $100 (9 % of $100,000).
ANALYST_PRICES = {"CRWV": 128.40, "NBIS": 100.00, "IREN": 40.00, "CIFR": 14.00}
PREVIOUS_CLOSES = {"CRWV": 130.00, "NBIS": 98.00, "IREN": 41.00, "CIFR": 13.50}
# Closes on the market cap's as-of day (2025-09-24), so caps scale from the analysis.
AS_OF_CLOSES = {"CRWV": 133.0, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def rate_limited(retry_after: float) -> dict[str, float | QuoteFailure]:
    """A round in which Yahoo answers 429 for every symbol of the sample, asking for `retry_after` s."""
    return {
        symbol: QuoteFailure(symbol, FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)", retry_after)
        for symbol in ANALYST_PRICES
    }


def quote(symbol: str, price: float, at: datetime = NOW, previous: float | None = None) -> Quote:
    return Quote(
        symbol=symbol,
        price=price,
        previous_close=PREVIOUS_CLOSES.get(symbol) if previous is None else previous,
        market_time=at,
        fetched_at=at,
        currency="USD",
    )


@dataclass
class FixedProvider:
    """Answers each fetch with the next set of prices (the last set repeats); can be held."""

    clock: Clock
    rounds: list[dict[str, float | QuoteFailure]] = field(default_factory=lambda: [dict(ANALYST_PRICES)])
    closes: dict[str, float] = field(default_factory=lambda: dict(AS_OF_CLOSES))
    name: str = "Yahoo"
    simulated: bool = False
    calls: int = 0
    gate: asyncio.Event | None = None
    in_flight: int = 0
    max_in_flight: int = 0
    closed: bool = False
    closes_asked: list[tuple[str, date]] = field(default_factory=list)
    """Every day-close asked for, in order."""

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.gate is not None:
                await self.gate.wait()
            prices = self.rounds[min(self.calls, len(self.rounds)) - 1]
            results: dict[str, QuoteResult] = {}
            for symbol in symbols:
                value = prices.get(symbol)
                if isinstance(value, QuoteFailure):
                    results[symbol] = value
                elif value is not None:
                    results[symbol] = quote(symbol, value, self.clock())
            return results
        finally:
            self.in_flight -= 1

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        self.closes_asked.append((symbol, day))
        return self.closes[symbol]

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        # Two points: the as-of close a day ago and the current round's price now.
        value = self.rounds[min(max(self.calls, 1), len(self.rounds)) - 1].get(symbol)
        if isinstance(value, QuoteFailure):
            return value
        if value is None:
            return QuoteFailure(symbol, FailureKind.NOT_FOUND, f"no prices for {symbol}")
        now = self.clock()
        points = ((now - timedelta(days=1), self.closes.get(symbol, value)), (now, value))
        return PriceHistory(symbol=symbol, range=chart_range, points=points)

    async def aclose(self) -> None:
        self.closed = True


@pytest.fixture(autouse=True)
def _no_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test reads or writes the real user's config or cache.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NEOWATCH_YAHOO_URL", raising=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sample_config() -> Config:
    return load_config(SAMPLE)


@pytest.fixture
def provider(clock: Clock) -> FixedProvider:
    return FixedProvider(clock)


@pytest.fixture
def app(sample_config: Config, provider: FixedProvider, clock: Clock) -> NeowatchApp:
    return make_app(sample_config, provider, cache=None, clock=clock, local_tz=UTC)


def config_from(text: str, path: Path) -> Config:
    """A portfolio file holding `text` at `path`, read as neowatch reads it."""
    path.write_text(text, "utf-8")
    return load_config(path)


def toasts(app: NeowatchApp) -> list[str]:
    """Every notification the app shows from now on, as the user reads it (its message)."""
    seen: list[str] = []
    notify = app.notify

    def spy(message: str, **kwargs: object) -> None:
        seen.append(message)
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = spy  # type: ignore[method-assign]
    return seen


def cell_text(table: DataTable, row: str, column: str) -> str:
    value = table.get_cell(row, column)
    return value.plain if isinstance(value, Text) else str(value)


async def settle(app: NeowatchApp, pilot) -> None:  # noqa: ANN001 - textual's Pilot
    """Let the refresh worker finish and its message be handled."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
