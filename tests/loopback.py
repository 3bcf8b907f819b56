"""A real HTTP server on 127.0.0.1 for network tests, plus Yahoo-shaped chart bodies to serve."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

YAHOO_NOT_FOUND_BODY = (
    b'{"chart":{"result":null,"error":{"code":"Not Found",'
    b'"description":"No data found, symbol may be delisted"}}}'
)
# The recorded AAPL answer's regularMarketTime (2024-10-11 20:00:01 UTC).
DEFAULT_MARKET_TIME = 1728676801


@dataclass(frozen=True)
class Reply:
    """What the server answers to one request, and how it misbehaves while doing so."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    """Seconds to wait before answering; cut short when the server stops."""
    drop: bool = False
    """Close the connection without sending anything."""
    truncate_at: int | None = None
    """Announce the full Content-Length, send only this many bytes, then close."""
    drip: float | None = None
    """Send the body one byte at a time, this many seconds apart (a read timeout never fires);
    cut short when the server stops."""


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    """Percent-decoded path, without the query."""
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names in lower case."""


Route = Reply | Callable[[RecordedRequest], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Small answers must not wait for Nagle's algorithm: tests would be slow for no reason.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        split = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=unquote(split.path),
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        owner = self.server.owner
        owner._enter(request)
        try:
            self._answer(owner._reply_for(request), owner._stopping)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test); nothing to answer
        finally:
            owner._leave()

    def _answer(self, reply: Reply, stopping: threading.Event) -> None:
        if reply.delay and stopping.wait(reply.delay):
            self.close_connection = True
            return
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.truncate_at is not None:
            self.wfile.write(reply.body[: reply.truncate_at])
            self.wfile.flush()
            self.close_connection = True
            return
        if reply.drip is not None:
            for index in range(len(reply.body)):
                self.wfile.write(reply.body[index : index + 1])
                self.wfile.flush()
                if stopping.wait(reply.drip):
                    self.close_connection = True
                    return
            return
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LoopbackServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up mid-answer is expected in these tests, not news


class LoopbackServer:
    """Serve routed replies on an ephemeral port of 127.0.0.1 from a background thread."""

    def __init__(self) -> None:
        self.default = Reply(404, {"Content-Type": "application/json"}, YAHOO_NOT_FOUND_BODY)
        """Answer for a path no route matches: Yahoo's unknown-symbol 404."""
        self._routes: dict[str, Route] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Condition()
        self._in_flight = 0
        self.max_in_flight = 0
        """The most requests the server was answering at one moment."""
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        # A short poll interval: stop() waits for the next poll, once per test.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the server first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- routing ---------------------------------------------------------------------------

    def route(self, path: str, reply: Route) -> None:
        """Answer `path` (exactly, or as a prefix when it ends with "/") with a reply or a callable."""
        self._routes[path] = reply

    def route_chart(self, symbol: str, reply: Route) -> None:
        """Answer Yahoo chart requests for one symbol."""
        self.route(f"/v8/finance/chart/{symbol}", reply)

    def _reply_for(self, request: RecordedRequest) -> Reply:
        route = self._routes.get(request.path)
        if route is None:
            prefixes = [p for p in self._routes if p.endswith("/") and request.path.startswith(p)]
            route = self._routes[max(prefixes, key=len)] if prefixes else self.default
        return route(request) if callable(route) else route

    # -- what was asked --------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def wait_for_in_flight(self, count: int, timeout: float = 10.0) -> bool:
        """Block (inside a callable route) until `count` requests were in flight at once.

        The timeout only stops a broken test from hanging; tests assert on max_in_flight.
        """
        with self._lock:
            return self._lock.wait_for(
                lambda: self.max_in_flight >= count or self._stopping.is_set(), timeout=timeout
            )

    def _enter(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self._lock.notify_all()

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


def _epoch(moment: int | datetime) -> int:
    return int(moment.timestamp()) if isinstance(moment, datetime) else int(moment)


def yahoo_chart_body(
    symbol: str,
    price: float | None,
    previous_close: float | None = None,
    timestamps: Sequence[int | datetime] | None = None,
    closes: Sequence[float | None] | None = None,
    name: str | None = None,
    *,
    currency: str | None = "USD",
    market_time: int | datetime | None = None,
    trading_periods: Mapping[str, tuple[int | datetime, int | datetime]] | None = None,
) -> bytes:
    """A body shaped like Yahoo's v8 chart answer (modelled on the recorded AAPL one).

    `price=None` gives Yahoo's delisted shape (no price, null currency); no `timestamps`
    gives a window without bars (no `timestamp`, `indicators.quote` = `[{}]`).
    `trading_periods` maps "pre", "regular", "post" to (start, end) for `currentTradingPeriod`.
    """
    stamps = [int(t.timestamp()) if isinstance(t, datetime) else int(t) for t in timestamps or ()]
    if closes is not None and len(closes) != len(stamps):
        raise ValueError("closes need one timestamp each")
    if isinstance(market_time, datetime):
        market_time = int(market_time.timestamp())
    meta: dict[str, object] = {
        "currency": currency if price is not None else None,
        "symbol": symbol,
        "exchangeName": "NMS",
        "fullExchangeName": "NasdaqGS",
        "instrumentType": "EQUITY",
        "regularMarketTime": market_time or (stamps[-1] if stamps else DEFAULT_MARKET_TIME),
        "gmtoffset": -14400,
        "timezone": "EDT",
        "exchangeTimezoneName": "America/New_York",
        "priceHint": 2,
        "dataGranularity": "1d",
    }
    if trading_periods is not None:
        meta["currentTradingPeriod"] = {
            session: {"timezone": "EDT", "start": _epoch(start), "end": _epoch(end), "gmtoffset": -14400}
            for session, (start, end) in trading_periods.items()
        }
    if price is not None:
        meta["regularMarketPrice"] = price
    if previous_close is not None:
        meta["chartPreviousClose"] = previous_close
    if name is not None:
        meta["longName"] = name
        meta["shortName"] = name
    result: dict[str, object] = {"meta": meta, "indicators": {"quote": [{}]}}
    if stamps:
        bar_closes = list(closes) if closes is not None else [price] * len(stamps)
        result["timestamp"] = stamps
        result["indicators"] = {
            "quote": [{"open": bar_closes, "high": bar_closes, "low": bar_closes, "close": bar_closes}],
            "adjclose": [{"adjclose": bar_closes}],
        }
    return json.dumps({"chart": {"result": [result], "error": None}}).encode()


def json_reply(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """A reply carrying a JSON body, as Yahoo sends it."""
    return Reply(status, {"Content-Type": "application/json", **(headers or {})}, body)
