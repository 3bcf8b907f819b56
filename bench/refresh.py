"""Refresh: the real YahooProvider against a loopback Yahoo answering in 50 ms, against the ideal."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.common import SAMPLE_PRICES, YahooServer, median, synthetic_symbols

LATENCY = 0.05


@dataclass
class Cycle:
    symbols: int
    concurrency: int
    pool: int
    """httpx's connection limit: the app's shared client caps it (watcher/quotes/http.py)."""
    wall_ms: list[float]
    cpu_ms: list[float]
    """CPU of this process (the server runs in another) per cycle: parsing, httpx, asyncio."""
    failures: int
    max_in_flight: int

    @property
    def ideal_ms(self) -> float:
        """requests ÷ concurrency × latency: what the semaphore allows, were everything else free."""
        return self.symbols / self.concurrency * LATENCY * 1000

    @property
    def ratio(self) -> float:
        return median(self.wall_ms) / self.ideal_ms

    @property
    def cpu_per_request_ms(self) -> float:
        return median(self.cpu_ms) / self.symbols


async def _cycles(
    base_url: str, symbols: list[str], concurrency: int, pool: int, reps: int
) -> tuple[list[float], list[float], int]:
    import watcher.quotes.http as http
    from watcher.domain.quote import QuoteFailure
    from watcher.quotes.yahoo import YahooProvider

    shipped = http.MAX_CONCURRENT_REQUESTS
    http.MAX_CONCURRENT_REQUESTS = pool  # read when the client is made: the app's own client, another limit
    try:
        client = http.make_http_client()
    finally:
        http.MAX_CONCURRENT_REQUESTS = shipped
    provider = YahooProvider(client, base_url=base_url, concurrency=concurrency)
    walls, cpus, failures = [], [], 0
    try:
        await provider.fetch_quotes(symbols[: min(len(symbols), pool)])  # connections open, as in a running app
        for _ in range(reps):
            cpu, wall = time.process_time(), time.perf_counter()
            results = await provider.fetch_quotes(symbols)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            failures += sum(isinstance(r, QuoteFailure) for r in results.values())
    finally:
        await provider.aclose()
    return walls, cpus, failures


def plan(quick: bool) -> list[tuple[int, int, int]]:
    """(symbols, concurrency, pool): the shipped settings first, then what a higher limit would give."""
    shipped_pool = 8
    cases = [(4, 4, shipped_pool)]
    for n in (100, 500):
        cases.append((n, 4, shipped_pool))
        for c in (8, 16, 32) if not quick else (16,):
            cases.append((n, c, shipped_pool))
            if c > shipped_pool:
                cases.append((n, c, c))
    return cases


def measure(quick: bool, log=print) -> list[Cycle]:  # noqa: ANN001 - a print-like
    reps = 1 if quick else 3
    out = []
    with YahooServer(delay=LATENCY) as yahoo:
        for n, concurrency, pool in plan(quick):
            symbols = (list(SAMPLE_PRICES) + synthetic_symbols(n))[:n]
            yahoo.ask("reset")
            walls, cpus, failures = asyncio.run(_cycles(yahoo.base_url, symbols, concurrency, pool, reps))
            cycle = Cycle(n, concurrency, pool, walls, cpus, failures, yahoo.ask("inflight"))
            out.append(cycle)
            log(f"  refresh {n:3d} symbols, concurrency {concurrency:2d}, pool {pool:2d}: "
                f"{median(walls):7.0f} ms (ideal {cycle.ideal_ms:5.0f}, ×{cycle.ratio:.2f}), "
                f"{cycle.cpu_per_request_ms:.2f} ms CPU/request, in flight ≤ {cycle.max_in_flight}")
    return out
