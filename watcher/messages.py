"""Messages shared across the app and its screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from watcher.feed import PriceFetch


@dataclass
class PricesFetched(Message):
    """A refresh's prices are in: applied on the UI loop, before any day-close is looked up."""

    fetch: PriceFetch
