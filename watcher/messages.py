"""Messages shared across the app and its screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from watcher.domain.quote import QuoteResult


@dataclass
class QuotesUpdated(Message):
    """One refresh finished: a result per symbol, and any as-of closes newly learnt."""

    results: dict[str, QuoteResult]
    closes: dict[str, dict[str, float]]
    finished_at: datetime
