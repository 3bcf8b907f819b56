"""The history store: round trips, migration, old quotes dropped, and a store that is locked, corrupt or too new."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watcher.domain.quote import Quote
from watcher.store import KEEP_DAYS, KEEP_RECENT, SCHEMA_VERSION, AlertRecord, Store, StoreUnavailable

NOW = datetime(2026, 11, 26, 4, 15, tzinfo=UTC)
MARKET_TIME = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)

# The version-1 schema exactly as the first neowatch with a store wrote it.
VERSION_1 = """
CREATE TABLE quotes (symbol TEXT NOT NULL, price REAL NOT NULL, previous_close REAL,
    market_time TEXT NOT NULL, fetched_at TEXT NOT NULL);
CREATE UNIQUE INDEX quotes_by_symbol_time ON quotes (symbol, fetched_at);
CREATE TABLE alerts (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, condition_key TEXT NOT NULL,
    label TEXT NOT NULL, value REAL, fired_at TEXT NOT NULL);
PRAGMA user_version = 1;
"""


def quote(symbol: str, price: float, minutes: int) -> Quote:
    return Quote(symbol, price, 100.0, MARKET_TIME, NOW + timedelta(minutes=minutes))


def open_store(path: Path, **kwargs) -> Store:
    return Store.open(path, clock=lambda: NOW, **kwargs)


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "history.sqlite3") as opened:
        yield opened


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_schema_version_is_two() -> None:
    assert SCHEMA_VERSION == 2


def test_open_creates_parent_folders_and_a_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "neowatch" / "history.sqlite3"
    with open_store(path) as store:
        assert store.warning is None
        assert path.is_file()
        assert path.with_name("history.sqlite3.lock").is_file()


def test_new_store_is_in_wal_mode_at_the_current_version(store: Store) -> None:
    with sqlite3.connect(store.path) as reader:
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reader.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_quotes_round_trip_as_recent_prices_oldest_first(store: Store) -> None:
    store.record_quotes([quote("CRWV", 91.0, 0), quote("NBIS", 40.0, 0)])
    store.record_quotes([quote("CRWV", 92.5, 1)])
    assert store.recent_prices(["CRWV", "NBIS", "IREN"]) == {"CRWV": [91.0, 92.5], "NBIS": [40.0], "IREN": []}


def test_recent_prices_keeps_only_the_newest_per_symbol(store: Store) -> None:
    # Stored out of order: the order comes from fetched_at, not from insertion.
    store.record_quotes([quote("CRWV", 100.0 + m, m) for m in (5, 1, 4, 2, 3)])
    store.record_quotes([quote("NBIS", 50.0 + m, m) for m in range(5)])
    assert store.recent_prices(["CRWV", "NBIS"], limit=3) == {
        "CRWV": [103.0, 104.0, 105.0],
        "NBIS": [52.0, 53.0, 54.0],
    }


def test_a_quote_already_stored_is_skipped(store: Store) -> None:
    store.record_quotes([quote("CRWV", 91.0, 0)])
    store.record_quotes([quote("CRWV", 91.0, 0), quote("CRWV", 93.0, 2)])
    assert store.recent_prices(["CRWV"]) == {"CRWV": [91.0, 93.0]}
    with sqlite3.connect(store.path) as reader:
        assert reader.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == 2


def test_quotes_are_ordered_by_the_moment_they_were_fetched_whatever_its_time_zone(store: Store) -> None:
    tokyo = timezone(timedelta(hours=9))
    store.record_quotes([
        Quote("CRWV", 92.0, None, MARKET_TIME, (NOW + timedelta(minutes=2)).astimezone(tokyo)),
        Quote("CRWV", 90.0, None, MARKET_TIME, NOW),
        # Naive: read as UTC.
        Quote("CRWV", 91.0, None, MARKET_TIME, (NOW + timedelta(minutes=1)).replace(tzinfo=None)),
    ])
    assert store.recent_prices(["CRWV"]) == {"CRWV": [90.0, 91.0, 92.0]}


def test_alerts_round_trip_newest_first(store: Store) -> None:
    first = AlertRecord("CRWV", "CRWV:price<95", "CRWV below $95", 94.2, NOW)
    second = AlertRecord("NBIS", "NBIS:mcap_to_arr<10", "NBIS under 10× ARR", None, NOW + timedelta(hours=1))
    store.record_alert(first)
    store.record_alert(second)
    assert store.alerts() == [second, first]
    assert store.alerts(limit=1) == [second]
    assert store.alerts()[0].fired_at.tzinfo is not None


def test_alert_states_round_trip_and_upsert(store: Store) -> None:
    assert store.alert_states() == {}
    store.save_alert_states({"CRWV:price<95": False, "NBIS:price<40": True})
    store.save_alert_states({"CRWV:price<95": True})
    assert store.alert_states() == {"CRWV:price<95": True, "NBIS:price<40": True}


def test_everything_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    record = AlertRecord("IREN", "IREN:price<20", "IREN below $20", 19.5, NOW)
    with open_store(path) as store:
        store.record_quotes([quote("IREN", 19.5, 0)])
        store.record_alert(record)
        store.save_alert_states({"IREN:price<20": False})
    with open_store(path) as store:
        assert store.recent_prices(["IREN"]) == {"IREN": [19.5]}
        assert store.alerts() == [record]
        assert store.alert_states() == {"IREN:price<20": False}


def stored_count(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as reader:
        rows = reader.execute("SELECT symbol, COUNT(*) FROM quotes GROUP BY symbol").fetchall()
    reader.close()
    return dict(rows)


def test_opening_drops_old_quotes_but_keeps_each_symbols_newest(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    old, recent = NOW - timedelta(days=KEEP_DAYS + 30), NOW - timedelta(days=1)

    def series(symbol: str, start: datetime, count: int, first: float) -> list[Quote]:
        return [Quote(symbol, first + n, None, MARKET_TIME, start + timedelta(minutes=n)) for n in range(count)]

    with open_store(path) as store:
        store.record_quotes(series("OLD", old, KEEP_RECENT + 25, 100.0))  # only old quotes, more than kept
        store.record_quotes(series("FEW", old, 10, 200.0))  # old, but fewer than kept
        store.record_quotes(series("MIX", old, 30, 300.0) + series("MIX", recent, 30, 400.0))
        store.record_quotes(series("NEW", recent, KEEP_RECENT + 25, 500.0))  # all within the days kept
    assert stored_count(path) == {"OLD": KEEP_RECENT + 25, "FEW": 10, "MIX": 60, "NEW": KEEP_RECENT + 25}

    with open_store(path) as store:
        prices = store.recent_prices(["OLD", "FEW", "MIX", "NEW"], limit=1000)
    assert stored_count(path) == {"OLD": KEEP_RECENT, "FEW": 10, "MIX": KEEP_RECENT, "NEW": KEEP_RECENT + 25}
    assert prices["OLD"] == [100.0 + n for n in range(25, KEEP_RECENT + 25)]  # the newest, oldest first
    assert prices["FEW"] == [200.0 + n for n in range(10)]
    assert prices["MIX"] == [300.0 + n for n in range(30 - (KEEP_RECENT - 30), 30)] + [400.0 + n for n in range(30)]
    assert prices["NEW"] == [500.0 + n for n in range(KEEP_RECENT + 25)]


def test_a_quote_just_inside_the_days_kept_stays(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    edge = NOW - timedelta(days=KEEP_DAYS) + timedelta(seconds=1)
    with open_store(path) as store:
        store.record_quotes(
            [Quote("CRWV", 1.0 + n, None, MARKET_TIME, edge + timedelta(microseconds=n)) for n in range(50)]
        )
        store.record_quotes([Quote("CRWV", 0.5, None, MARKET_TIME, edge - timedelta(seconds=2))])
    with open_store(path) as store:
        assert store.recent_prices(["CRWV"], limit=1000) == {"CRWV": [1.0 + n for n in range(50)]}


def test_calls_from_several_threads_all_land(store: Store) -> None:
    def record(symbol: str) -> None:
        for minute in range(25):
            store.record_quotes([quote(symbol, 10.0 + minute, minute)])
            store.recent_prices([symbol])

    threads = [threading.Thread(target=record, args=(f"S{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    prices = store.recent_prices([f"S{n}" for n in range(6)], limit=100)
    assert all(len(series) == 25 for series in prices.values())


def test_a_version_1_store_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(VERSION_1)
        old.execute(
            "INSERT INTO quotes VALUES ('CRWV', 91.0, 88.0, ?, ?)",
            (MARKET_TIME.isoformat(timespec="microseconds"), NOW.isoformat(timespec="microseconds")),
        )
        old.execute(
            "INSERT INTO alerts (symbol, condition_key, label, value, fired_at) VALUES (?, ?, ?, ?, ?)",
            ("CRWV", "CRWV:price<95", "CRWV below $95", 91.0, NOW.isoformat(timespec="microseconds")),
        )
    old.close()
    with open_store(path) as store:
        assert store.recent_prices(["CRWV"]) == {"CRWV": [91.0]}
        assert store.alerts() == [AlertRecord("CRWV", "CRWV:price<95", "CRWV below $95", 91.0, NOW)]
        store.save_alert_states({"CRWV:price<95": False})  # the version-2 table exists
        assert store.alert_states() == {"CRWV:price<95": False}
    with sqlite3.connect(path) as reader:
        assert reader.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_second_neowatch_on_the_same_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with open_store(path) as first:
        # flock locks belong to the open file, so a second open in this process conflicts too.
        with pytest.raises(StoreUnavailable, match="in use by another neowatch"):
            open_store(path)
        first.record_quotes([quote("CRWV", 91.0, 0)])  # the first store is unharmed
        assert first.recent_prices(["CRWV"]) == {"CRWV": [91.0]}
    with open_store(path) as again:  # closing released the lock
        assert again.recent_prices(["CRWV"]) == {"CRWV": [91.0]}


def test_a_neowatch_in_another_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from watcher.store import Store; s = Store.open(sys.argv[1]);"
         " print('open', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable, match="another neowatch"):
            open_store(path)
    finally:
        holder.communicate(input="", timeout=30)
    with open_store(path) as store:
        assert store.warning is None


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"# my notes, not a database\n", b"x"],
    ids=["random bytes", "text file", "one byte"],
)
def test_a_file_that_is_not_a_database_is_set_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(content)
    with open_store(path) as store:
        aside = tmp_path / "history.sqlite3.corrupt-20261126T041500"
        assert aside.read_bytes() == content
        assert store.warning is not None and "corrupt" in store.warning and str(aside) in store.warning
        store.record_quotes([quote("CRWV", 91.0, 0)])
        assert store.recent_prices(["CRWV"]) == {"CRWV": [91.0]}


def test_a_database_with_damaged_pages_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with open_store(path) as store:
        store.record_quotes([quote(f"S{n}", 10.0, n) for n in range(400)])
    with path.open("r+b") as handle:  # keep the header, so only quick_check can tell
        handle.seek(100)
        handle.write(os.urandom(path.stat().st_size - 100))
    with open_store(path) as store:
        assert store.warning is not None and ".corrupt-20261126T041500" in store.warning
        assert store.recent_prices(["S1"]) == {"S1": []}
    assert (tmp_path / "history.sqlite3.corrupt-20261126T041500").exists()


def test_the_journals_of_a_corrupt_store_go_aside_with_it(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_text("not a database")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").write_bytes(suffix.encode())
    with open_store(path) as store:
        assert store.warning is not None
    aside = f"{path}.corrupt-20261126T041500"
    assert Path(f"{aside}-wal").read_bytes() == b"-wal"
    assert Path(f"{aside}-shm").read_bytes() == b"-shm"


def test_a_second_corruption_in_the_same_second_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    for content in (b"first broken file", b"second broken file"):
        path.unlink(missing_ok=True)
        path.write_bytes(content)
        open_store(path).close()
    assert (tmp_path / "history.sqlite3.corrupt-20261126T041500").read_bytes() == b"first broken file"
    assert (tmp_path / "history.sqlite3.corrupt-20261126T041500-2").read_bytes() == b"second broken file"


def test_a_store_from_a_newer_neowatch_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as newer:
        newer.executescript("CREATE TABLE quotes (whatever TEXT); PRAGMA user_version = 99;")
    newer.close()
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable, match="newer neowatch"):
        open_store(path)
    assert path.read_bytes() == before
    assert not any(".corrupt-" in name for name in siblings(path))


@pytest.mark.parametrize("wal", [False, True], ids=["rollback journal", "wal"])
def test_a_database_locked_by_another_program_is_refused(tmp_path: Path, wal: bool) -> None:
    path = tmp_path / "history.sqlite3"
    if wal:
        open_store(path).close()
    else:
        with sqlite3.connect(path) as other:
            other.executescript(VERSION_1)
        other.close()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreUnavailable, match="locked"):
            open_store(path, busy_timeout=0.05)
    finally:
        other.close()
    assert path.exists() and not any(".corrupt-" in name for name in siblings(path))
    with open_store(path) as store:  # the lock released, the store opens and holds the latest schema
        assert store.warning is None and store.alert_states() == {}


def test_a_lock_taken_after_open_makes_writes_fail_with_words(tmp_path: Path) -> None:
    with open_store(tmp_path / "history.sqlite3", busy_timeout=0.05) as impatient:
        other = sqlite3.connect(impatient.path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            with pytest.raises(StoreUnavailable, match="running without history") as raised:
                impatient.record_quotes([quote("CRWV", 91.0, 0)])
            assert not isinstance(raised.value, sqlite3.Error)
        finally:
            other.close()
        impatient.record_quotes([quote("CRWV", 91.0, 0)])  # and works again once the lock is gone
        assert impatient.recent_prices(["CRWV"]) == {"CRWV": [91.0]}


def test_a_damaged_table_after_open_raises_store_unavailable(store: Store) -> None:
    with sqlite3.connect(store.path) as vandal:
        vandal.execute("DROP TABLE alerts")
    vandal.close()
    with pytest.raises(StoreUnavailable, match="alert log"):
        store.alerts()


def test_a_folder_where_the_file_should_be_is_reported_in_words(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.mkdir()
    with pytest.raises(StoreUnavailable, match=str(path)) as raised:
        open_store(path)
    assert "running without history" in str(raised.value)


def test_a_closed_store_says_so(store: Store) -> None:
    store.close()
    store.close()  # twice is harmless
    with pytest.raises(StoreUnavailable, match="closed"):
        store.recent_prices(["CRWV"])
