"""Providers in a fallback order: each next one is asked only for what the ones before it failed."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar

from watcher.domain.quote import FailureKind, Quote, QuoteFailure, QuoteResult
from watcher.quotes.provider import ChartRange, PriceHistory, QuoteProvider

T = TypeVar("T")


def _broke(provider: QuoteProvider, symbol: str, exc: BaseException) -> QuoteFailure:
    # Only the type: an exception's message may carry a URL or a key.
    reason = f"{provider.name} failed unexpectedly ({type(exc).__name__})"
    return QuoteFailure(symbol=symbol, kind=FailureKind.BAD_RESPONSE, reason=reason)


def _is_price(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def combine(failures: Sequence[QuoteFailure]) -> QuoteFailure:
    """The first provider's failure, telling every provider's reason and the longest wait asked."""
    first = failures[0]
    reasons = list(dict.fromkeys(failure.reason for failure in failures))
    waits = [failure.retry_after for failure in failures if failure.retry_after is not None]
    return QuoteFailure(
        symbol=first.symbol,
        kind=first.kind,
        reason="; ".join(reasons),
        retry_after=max(waits) if waits else None,
    )


class FallbackProvider:
    """One provider made of several: the first answer that is a price wins, symbol by symbol."""

    def __init__(self, providers: Sequence[QuoteProvider]) -> None:
        if not providers:
            raise ValueError("a fallback needs at least one provider")
        self._providers = tuple(providers)
        self.name = " → ".join(provider.name for provider in self._providers)
        self.simulated = any(provider.simulated for provider in self._providers)

    @property
    def providers(self) -> tuple[QuoteProvider, ...]:
        return self._providers

    def __repr__(self) -> str:
        return f"FallbackProvider({list(self._providers)!r})"

    async def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, QuoteResult]:
        unique = list(dict.fromkeys(symbols))
        quotes: dict[str, Quote] = {}
        failures: dict[str, list[QuoteFailure]] = {symbol: [] for symbol in unique}
        pending = unique
        for provider in self._providers:
            if not pending:
                break
            answers = await self._ask_quotes(provider, pending)
            for symbol in pending:
                answer = answers.get(symbol)
                if isinstance(answer, Quote):
                    # Which one of the chain gave it: the grid and the export say so.
                    quotes[symbol] = answer if answer.source else replace(answer, source=provider.name)
                elif isinstance(answer, QuoteFailure):
                    failures[symbol].append(answer)
                else:
                    reason = f"{provider.name} gave no answer for {symbol}"
                    failures[symbol].append(QuoteFailure(symbol, FailureKind.BAD_RESPONSE, reason))
            pending = [symbol for symbol in pending if symbol not in quotes]
        return {symbol: quotes.get(symbol) or combine(failures[symbol]) for symbol in unique}

    async def fetch_close_on(self, symbol: str, day: date) -> float | QuoteFailure:
        return await self._first_answer(
            symbol, lambda provider: provider.fetch_close_on(symbol, day), _is_price
        )

    async def fetch_history(self, symbol: str, chart_range: ChartRange) -> PriceHistory | QuoteFailure:
        return await self._first_answer(
            symbol,
            lambda provider: provider.fetch_history(symbol, chart_range),
            lambda value: isinstance(value, PriceHistory),
        )

    async def aclose(self) -> None:
        # Providers usually share one client; each provider is closed once, and one that fails
        # to close must not keep the others open: closing is best effort at shutdown.
        for provider in {id(provider): provider for provider in self._providers}.values():
            with contextlib.suppress(Exception):
                await provider.aclose()

    @staticmethod
    async def _ask_quotes(provider: QuoteProvider, symbols: list[str]) -> Mapping[str, object]:
        """What the provider said for each symbol, every answer still to be checked."""
        try:
            answers = await provider.fetch_quotes(list(symbols))
        except Exception as exc:  # noqa: BLE001 - the protocol promises failures as values
            return {symbol: _broke(provider, symbol, exc) for symbol in symbols}
        return answers if isinstance(answers, dict) else {}

    async def _first_answer(
        self,
        symbol: str,
        ask: Callable[[QuoteProvider], Awaitable[T | QuoteFailure]],
        usable: Callable[[object], bool],
    ) -> T | QuoteFailure:
        failures: list[QuoteFailure] = []
        for provider in self._providers:
            try:
                answer = await ask(provider)
            except Exception as exc:  # noqa: BLE001 - the protocol promises failures as values
                answer = _broke(provider, symbol, exc)
            if usable(answer):
                return answer
            if isinstance(answer, QuoteFailure):
                failures.append(answer)
            else:
                reason = f"{provider.name} gave no answer for {symbol}"
                failures.append(QuoteFailure(symbol, FailureKind.BAD_RESPONSE, reason))
        return combine(failures)
