"""A loopback Yahoo in its own process, so its threads never share a GIL or a CPU count with the measured side.

    python bench/server.py --delay 0.05 [--shift 0.0]

Prints its base URL on the first line, then answers lines on stdin: `count` → the number of
quote requests so far, `inflight` → the most answered at one moment. EOF stops it.
"""

from __future__ import annotations

import argparse
import math
import sys
import threading
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SAMPLE_PREVIOUS, SAMPLE_PRICES
from tests import loopback
from tests.loopback import LoopbackServer, RecordedRequest, Reply, json_reply, yahoo_chart_body


class Market:
    """Yahoo-shaped answers for any symbol: the sample's prices (times `1 + shift`), others from a hash."""

    def __init__(self, delay: float, shift: float) -> None:
        self.delay = delay
        self.shift = shift
        self.quotes = 0
        self.lock = threading.Lock()
        self._bodies: dict[str, bytes] = {}

    def price(self, symbol: str) -> tuple[float, float]:
        if symbol in SAMPLE_PRICES:
            return round(SAMPLE_PRICES[symbol] * (1 + self.shift), 2), SAMPLE_PREVIOUS[symbol]
        base = 5 + zlib.crc32(symbol.encode()) % 20000 / 100
        return round(base * (1 + self.shift), 2), round(base * 0.99, 2)

    def _quote_body(self, symbol: str) -> bytes:
        # Bodies are built once per symbol: the server's own CPU must not be what is measured.
        body = self._bodies.get(symbol)
        if body is None:
            now = int(time.time())
            price, previous = self.price(symbol)
            bars = [round(previous + (price - previous) * i / 11, 2) for i in range(12)]
            stamps = [now - 300 * (11 - i) for i in range(12)]
            body = yahoo_chart_body(symbol, price, previous, stamps, bars, market_time=now)
            self._bodies[symbol] = body
        return body

    def reply(self, request: RecordedRequest) -> Reply:
        symbol = request.path.rsplit("/", 1)[-1].upper()
        query = {k: v[0] for k, v in request.query.items() if v}
        if "period1" in query:  # the close on the analysis' as-of day: daily bars at the base price
            start, end = int(query["period1"]), int(query.get("period2", time.time()))
            days = list(range(start + 20 * 3600, end, 86400))[:40]
            base = SAMPLE_PRICES.get(symbol, self.price(symbol)[0])
            return json_reply(yahoo_chart_body(symbol, base, None, days, [base] * len(days)))
        if query.get("range") == "1d" and query.get("interval") == "5m":
            with self.lock:
                self.quotes += 1
            return Reply(200, {"Content-Type": "application/json"}, self._quote_body(symbol), delay=self.delay)
        now = int(time.time())
        price = self.price(symbol)[0]
        days = [now - 86400 * (59 - i) for i in range(60)]
        closes = [round(price * (1 + 0.05 * math.sin(i / 7)), 2) for i in range(60)]
        return json_reply(yahoo_chart_body(symbol, price, None, days, closes, market_time=now))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.05, help="seconds before each quote answer")
    parser.add_argument("--shift", type=float, default=0.0, help="prices times 1 + SHIFT")
    args = parser.parse_args()
    market = Market(args.delay, args.shift)
    # http.server listens with a backlog of 5: 32 connections opened at once would see SYNs
    # dropped and retried a second later, which would be the server's fault, not the client's.
    loopback._Server.request_queue_size = 128
    server = LoopbackServer()
    server.route("/v8/finance/chart/", market.reply)
    with server:
        print(server.base_url, flush=True)
        for line in sys.stdin:
            word = line.strip()
            if word == "count":
                print(market.quotes, flush=True)
            elif word == "inflight":
                print(server.max_in_flight, flush=True)
            elif word == "reset":
                with market.lock:
                    market.quotes = 0
                server.max_in_flight = 0
                print("ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
