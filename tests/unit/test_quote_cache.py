"""The quote cache on disk: round trip, atomic writes, and what happens to a damaged file."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watcher.domain.quote import Quote
from watcher.quotes.cache import QuoteCache

MARKET_TIME = datetime(2024, 10, 11, 20, 0, 1, tzinfo=UTC)
FETCHED_AT = datetime(2024, 10, 11, 20, 5, tzinfo=UTC)

AAPL = Quote("AAPL", 227.55, 227.79, MARKET_TIME, FETCHED_AT, currency="USD", name="Apple Inc.", exchange="NasdaqGS",
             source="Yahoo")
CRWV = Quote("CRWV", 91.2, None, MARKET_TIME, FETCHED_AT)
CLOSES = {"AAPL": {"2024-10-10": 229.04, "2024-10-11": 227.55}, "CRWV": {"2024-10-11": 88.0}}


def valid_file(path: Path, quotes: dict | None = None, closes: dict | None = None) -> None:
    QuoteCache(path).save({"AAPL": AAPL}, {})
    data = json.loads(path.read_text())
    if quotes is not None:
        data["quotes"] = quotes
    if closes is not None:
        data["closes"] = closes
    path.write_text(json.dumps(data))


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    cache = QuoteCache(tmp_path / "nested" / "dir" / "quotes.json")  # parent dirs are created
    cache.save({"AAPL": AAPL, "CRWV": CRWV}, CLOSES)
    quotes, closes, warning = QuoteCache(cache.path).load()
    assert quotes == {"AAPL": AAPL, "CRWV": CRWV}
    assert closes == CLOSES
    assert warning is None
    assert quotes["AAPL"].market_time.tzinfo is not None
    assert json.loads(cache.path.read_text())["version"] == 1


def test_times_in_other_zones_come_back_as_the_same_utc_moment(tmp_path: Path) -> None:
    berlin = timezone(timedelta(hours=2))
    quote = Quote("GS2C.DE", 23.065, 22.725, MARKET_TIME.astimezone(berlin), FETCHED_AT.astimezone(berlin))
    cache = QuoteCache(tmp_path / "quotes.json")
    cache.save({"GS2C.DE": quote}, {})
    loaded = cache.load()[0]["GS2C.DE"]
    assert loaded.market_time == MARKET_TIME and loaded.market_time.utcoffset() == timedelta(0)
    assert loaded.fetched_at == FETCHED_AT


def test_save_replaces_the_old_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    cache = QuoteCache(tmp_path / "quotes.json")
    cache.save({"AAPL": AAPL}, CLOSES)
    cache.save({"CRWV": CRWV}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quotes.json"]
    assert list(cache.load()[0]) == ["CRWV"]


def test_failed_save_keeps_the_old_file_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = QuoteCache(tmp_path / "quotes.json")
    cache.save({"AAPL": AAPL}, {})
    before = cache.path.read_bytes()

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError):
        cache.save({"CRWV": CRWV}, {})
    assert cache.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quotes.json"]


def test_missing_file_is_empty_without_warning(tmp_path: Path) -> None:
    assert QuoteCache(tmp_path / "absent.json").load() == ({}, {}, None)


@pytest.mark.parametrize(
    "content",
    [
        b'{"version": 1, "quotes": {"AAPL": {"price": 22',  # cut off mid-write by an older tool
        b"\xff\xfe not text",
        b"",
        b"[1, 2, 3]",
        b'{"version": 99, "quotes": {}, "closes": {}}',
        b'{"quotes": {}, "closes": {}}',
        b'{"version": 1, "quotes": [], "closes": {}}',
        b'{"version": 1, "quotes": {}, "closes": "AAPL"}',
    ],
)
def test_unreadable_file_is_set_aside_with_a_warning(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "quotes.json"
    path.write_bytes(content)
    quotes, closes, warning = QuoteCache(path).load()
    assert (quotes, closes) == ({}, {})
    assert warning is not None and str(path) in warning and "quotes.json.corrupt" in warning
    assert not path.exists()
    assert (tmp_path / "quotes.json.corrupt").read_bytes() == content


def test_after_setting_aside_a_save_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "quotes.json"
    path.write_text("garbage")
    cache = QuoteCache(path)
    assert cache.load()[2] is not None
    cache.save({"AAPL": AAPL}, {})
    assert cache.load() == ({"AAPL": AAPL}, {}, None)


def test_invalid_entries_are_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "quotes.json"
    valid_file(path)
    good = json.loads(path.read_text())["quotes"]["AAPL"]
    quotes = {
        "AAPL": good,
        "ZERO": {**good, "price": 0},
        "NEG": {**good, "price": -1.5},
        "TEXT": {**good, "price": "227.55"},
        "BOOL": {**good, "price": True},
        "NAIVE": {**good, "market_time": "2024-10-11T20:00:01"},
        "BADTIME": {**good, "fetched_at": "yesterday"},
        "NOTIME": {k: v for k, v in good.items() if k != "market_time"},
        "LIST": [1, 2],
        "": good,
        "ODDPREV": {**good, "previous_close": -3, "name": "Bad\x1b[31m Name"},
    }
    closes = {
        "AAPL": {"2024-10-11": 227.55, "2024-13-40": 1.0, "someday": 2.0, "2024-10-10": 0, "2024-10-09": "x"},
        "EMPTY": {"2024-10-11": -1},
        "LIST": [227.55],
    }
    valid_file(path, quotes=quotes, closes=closes)
    loaded, loaded_closes, warning = QuoteCache(path).load()
    assert warning is None
    assert sorted(loaded) == ["AAPL", "ODDPREV"]
    assert loaded["AAPL"] == AAPL
    assert loaded["ODDPREV"].previous_close is None and loaded["ODDPREV"].name == "Bad[31m Name"
    assert loaded_closes == {"AAPL": {"2024-10-11": 227.55}}


def test_implausible_values_are_not_written(tmp_path: Path) -> None:
    cache = QuoteCache(tmp_path / "quotes.json")
    broken = Quote("BRK", float("nan"), None, MARKET_TIME, FETCHED_AT)
    cache.save({"AAPL": AAPL, "BRK": broken}, {"AAPL": {"2024-10-11": float("inf"), "2024-10-10": 229.04}})
    quotes, closes, _ = cache.load()
    assert list(quotes) == ["AAPL"]
    assert closes == {"AAPL": {"2024-10-10": 229.04}}


def test_a_cache_path_that_cannot_be_read_warns_without_moving_anything(tmp_path: Path) -> None:
    path = tmp_path / "quotes.json"
    path.mkdir()  # a directory where the file should be: readable by nobody as a file
    quotes, closes, warning = QuoteCache(path).load()
    assert (quotes, closes) == ({}, {})
    assert warning is not None and str(path) in warning
    assert path.is_dir() and not (tmp_path / "quotes.json.corrupt").exists()
