"""Messages shared across the app and its screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from watcher.domain.quote import QuoteFailure, QuoteResult
from watcher.quotes.provider import ChartRange, PriceHistory


@dataclass
class QuotesUpdated(Message):
    """One refresh finished: a result per symbol, and any as-of closes newly learnt."""

    results: dict[str, QuoteResult]
    closes: dict[str, dict[str, float]]
    finished_at: datetime


@dataclass
class HistoryLoaded(Message):
    """A price history asked for by a detail screen arrived (or failed)."""

    symbol: str
    chart_range: ChartRange
    result: PriceHistory | QuoteFailure
