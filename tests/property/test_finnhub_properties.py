"""Properties of the Finnhub quote parser: any answer gives a plausible Quote or a QuoteFailure, never an exception."""

from __future__ import annotations

import json
import math
import unicodedata
from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from tests.property.conftest import light, tally
from watcher.domain.quote import FailureKind, Quote, QuoteFailure
from watcher.quotes.finnhub import parse_finnhub_quote

# The recorded answers (FORMATS.md: smartcontractkit/external-adapters-js's fixture and
# Finnhub's documented 429), small enough to keep here.
AAPL_BODY = b'{"c":175.43,"d":2.44,"dp":1.4105,"h":175.77,"l":173.11,"o":173.32,"pc":172.99,"t":1636322400}'
LIMIT_BODY = b'{"error":"API limit reached. Please try again later. Remaining Limit: 0"}'
UNKNOWN_BODY = b'{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}'
FETCHED_AT = datetime(2021, 11, 7, 22, 5, tzinfo=UTC)
HUGE_INT = 10**400  # beyond a float's range

symbols = st.sampled_from(["AAPL", "NBIS", "BRK.B", "X"])
statuses = st.integers(1, 3).flatmap(
    lambda n: st.just(200) if n > 1 else st.sampled_from([401, 403, 404, 429, 500, 502]) | st.integers(0, 999)
)
headers = st.none() | st.dictionaries(
    st.sampled_from(["Retry-After", "retry-after", "Content-Type"]) | st.text(max_size=8),
    st.sampled_from(["0", "60", "-1", "nan", "1e400", "Wed, 21 Oct 2015 07:28:00 GMT", "\u202e9"])
    | st.text(max_size=20),
    max_size=3,
)
scalars = (
    st.none() | st.booleans() | st.integers(-HUGE_INT, HUGE_INT) | st.floats()
    | st.sampled_from([0, 0.0, -0.0, 1, 1636322400, 2**63, 1e308]) | st.text(max_size=12)
    | st.sampled_from(["\x1b[31mAPI limit\x1b[0m", "\u202eevil", "x" * 500, "line\nbreak"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
number_or_not = st.floats(0.01, 1e5) | st.integers(1, 2 * 10**9) | scalars
quote_shaped = st.fixed_dictionaries({}, optional={
    key: number_or_not for key in ("c", "d", "dp", "h", "l", "o", "pc", "t")
} | {"error": scalars})
recorded_with_changes = st.dictionaries(
    st.sampled_from(["c", "d", "dp", "h", "l", "o", "pc", "t", "error"]), number_or_not, max_size=3
).map(lambda changes: {**json.loads(AAPL_BODY), **changes})
bodies = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([AAPL_BODY, LIMIT_BODY, UNKNOWN_BODY, b"", b"  ", b"<html>x</html>", b"API limit reached",
                     b"[" * 50_000, b"NaN", b"null"]),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    quote_shaped.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    recorded_with_changes.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    st.builds(lambda cut: AAPL_BODY[:cut], st.integers(0, len(AAPL_BODY))),
)


def plausible(value: object) -> bool:
    return isinstance(value, float) and math.isfinite(value) and value > 0


def check(result: object, symbol: str, status: int) -> None:
    if isinstance(result, QuoteFailure):
        assert result.symbol == symbol and isinstance(result.kind, FailureKind)
        assert result.reason and all(unicodedata.category(ch)[0] != "C" for ch in result.reason), ascii(result.reason)
        assert result.retry_after is None or (math.isfinite(result.retry_after) and result.retry_after >= 0)
        assert (result.kind is FailureKind.RATE_LIMITED) == (status == 429)
        tally(f"QuoteFailure {result.kind.value}")
        return
    assert isinstance(result, Quote), result
    assert status == 200
    assert result.symbol == symbol and plausible(result.price)
    assert result.previous_close is None or plausible(result.previous_close)
    assert result.market_time.tzinfo is not None and result.market_time.timestamp() >= 0
    assert result.fetched_at == FETCHED_AT
    tally("Quote")


@given(symbol=symbols, status=statuses, body=bodies, head=headers)
@example(symbol="AAPL", status=200, body=AAPL_BODY, head=None)
@example(symbol="AAPL", status=429, body=LIMIT_BODY, head={"Retry-After": "60"})
def test_any_answer_gives_a_plausible_quote_or_a_failure(symbol, status, body, head) -> None:
    check(parse_finnhub_quote(symbol, status, body, FETCHED_AT, head), symbol, status)


@light()
@given(
    symbol=symbols,
    zeros=st.fixed_dictionaries(
        {"c": st.sampled_from([0, 0.0, -0.0]), "t": st.sampled_from([0, 0.0, None])},
        optional={key: st.sampled_from([0, 0.0, None]) for key in ("d", "dp", "h", "l", "o", "pc")},
    ),
)
@example(symbol="AAPL", zeros=json.loads(UNKNOWN_BODY))
def test_an_answer_of_zeros_is_no_data_never_a_price_of_zero(symbol, zeros) -> None:
    result = parse_finnhub_quote(symbol, 200, json.dumps(zeros).encode(), FETCHED_AT)
    check(result, symbol, 200)
    assert isinstance(result, QuoteFailure) and result.kind is FailureKind.NO_DATA


@given(key=st.sampled_from(["c", "pc", "t"]))
def test_integers_beyond_a_float_give_a_failure_not_an_exception(key: str) -> None:
    # Was an OverflowError (is_plausible_price), fixed in 9e6936c.
    body = AAPL_BODY.replace(f'"{key}":'.encode(), f'"{key}":1{"0" * 400},"_{key}":'.encode(), 1)
    check(parse_finnhub_quote("AAPL", 200, body, FETCHED_AT), "AAPL", 200)
