"""The protocol every quote source implements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, runtime_checkable

from watcher.domain.quote import QuoteFailure, QuoteResult


@runtime_checkable
class QuoteProvider(Protocol):
    """A source of prices. Implementations never raise to the caller: failures are values."""

    name: str
    """Shown in the status line, e.g. "Yahoo"."""
    simulated: bool
    """True when prices are not real (the demo); every screen then says SIMULATED."""

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        """One result per asked symbol: a Quote or a QuoteFailure with its reason."""
        ...

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        """The close of the last session on or before `day` (within a week before it)."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...
