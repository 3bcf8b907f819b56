"""Quote history, alert log and alert arming on disk: one SQLite file, one neowatch at a time."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watcher.domain.quote import Quote, is_plausible_price

try:
    import fcntl
except ImportError:  # Windows has no flock; SQLite's own locking is then the only guard.
    fcntl = None  # type: ignore[assignment]

# Each step moves the schema up by one version, in its own transaction; never edit a released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE quotes (symbol TEXT NOT NULL, price REAL NOT NULL, previous_close REAL,"
        " market_time TEXT NOT NULL, fetched_at TEXT NOT NULL)",
        # Unique, so a refresh that saw nothing new cannot store the same quote twice.
        "CREATE UNIQUE INDEX quotes_by_symbol_time ON quotes (symbol, fetched_at)",
        "CREATE TABLE alerts (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, condition_key TEXT NOT NULL,"
        " label TEXT NOT NULL, value REAL, fired_at TEXT NOT NULL)",
    ),
    # Arming survives a restart, so a condition still met does not fire a second time.
    ("CREATE TABLE alert_state (condition_key TEXT PRIMARY KEY, armed INTEGER NOT NULL, updated_at TEXT)",),
)
SCHEMA_VERSION = len(MIGRATIONS)

KEEP_DAYS = 90
"""When the store opens, quotes fetched more days ago than this are dropped (but see KEEP_RECENT),
so the history does not grow without bound."""
KEEP_RECENT = 40
"""Each symbol's newest quotes, kept however old: what the sparklines start from (the app reads
RECENT_PRICES, 40, at a start), for a symbol not refreshed for months too."""

# Each stored symbol once, by walking the (symbol, fetched_at) index from one symbol to the
# next: a few lookups per symbol, where SELECT DISTINCT would read every row at every start.
_STORED_SYMBOLS = (
    "WITH RECURSIVE stored(symbol) AS (SELECT MIN(symbol) FROM quotes"
    " UNION ALL SELECT (SELECT MIN(symbol) FROM quotes WHERE symbol > stored.symbol) FROM stored"
    " WHERE stored.symbol IS NOT NULL)"
    " SELECT symbol FROM stored WHERE symbol IS NOT NULL"
)
# One symbol's quotes fetched before the cutoff and before its KEEP_RECENT-th newest; a symbol
# with fewer quotes than that has no such quote (NULL), and none of its quotes go.
_PRUNE_SYMBOL = (
    "DELETE FROM quotes WHERE symbol = ?1 AND fetched_at < ?2 AND fetched_at <"
    " (SELECT fetched_at FROM quotes WHERE symbol = ?1 ORDER BY fetched_at DESC LIMIT 1 OFFSET ?3)"
)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SIDECARS = ("-wal", "-shm", "-journal")
_BROKEN = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


class StoreUnavailable(Exception):
    """The history store cannot be used; str() says why in a sentence for the user."""


class StoreLocked(StoreUnavailable):
    """Another neowatch holds the store: it keeps the history, the alert log and the arming."""


class _Corrupt(Exception):
    """The file is not a readable neowatch store and may be set aside."""


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One buy condition that fired, as the alert log shows it."""

    symbol: str
    condition_key: str
    label: str
    value: float | None
    """The watched figure when the condition fired, when it was known."""
    fired_at: datetime
    """Timezone-aware, UTC."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _text(moment: datetime) -> str:
    # Fixed-width UTC text sorts in time order, which the index and every ORDER BY rely on.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _why(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    first_line = str(error).splitlines()[0] if str(error) else ""
    return first_line[:80] or type(error).__name__


def _code(error: sqlite3.Error) -> int:
    # Extended codes (e.g. SQLITE_BUSY_SNAPSHOT) carry the primary code in the low byte.
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


def _refusal(path: Path, what: str) -> StoreUnavailable:
    return StoreUnavailable(f"The history store {path} {what}; running without history.")


def _unavailable(path: Path, error: sqlite3.Error | OSError, doing: str) -> StoreUnavailable:
    if isinstance(error, sqlite3.Error) and _code(error) in _BUSY:
        return _refusal(path, f"is locked by another program ({_why(error)})")
    return _refusal(path, f"failed while {doing} ({_why(error)})")


def _newer(path: Path, version: int) -> StoreUnavailable:
    return _refusal(path, f"was made by a newer neowatch (schema {version}, this one knows {SCHEMA_VERSION})")


def _take_lock(path: Path) -> int:
    """An exclusive advisory lock beside the database, held for the store's life."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _unavailable(path, exc, "creating its lock file") from exc
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if isinstance(exc, BlockingIOError):
            raise StoreLocked(
                f"The history store {path} is in use by another neowatch; running without history."
            ) from exc
        raise _unavailable(path, exc, "taking its lock") from exc
    return fd


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    # BEGIN IMMEDIATE even when nothing is due: a database another program is writing
    # is refused now, at open, rather than at the first refresh.
    while True:
        connection.execute("BEGIN IMMEDIATE")
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _newer(path, version)
            if version == SCHEMA_VERSION:
                connection.execute("COMMIT")
                return
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A checked, migrated connection; raises _Corrupt or StoreUnavailable, nothing from sqlite3."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        head = b""
    except OSError as exc:
        raise _unavailable(path, exc, "opening") from exc
    # SQLite would quietly take over a short non-empty file as a new database: not ours to overwrite.
    if head and head != _SQLITE_MAGIC:
        raise _Corrupt("not a SQLite database")
    connection: sqlite3.Connection | None = None
    try:
        # timeout= is SQLite's busy_timeout; isolation_level=None leaves every transaction to us.
        connection = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA foreign_keys = ON")
        verdict = [row[0] for row in connection.execute("PRAGMA quick_check")]
        if verdict != ["ok"]:
            raise _Corrupt(verdict[0] if verdict else "quick_check gave no answer")
        # Read before switching to WAL: a newer neowatch's file must stay byte for byte as it was.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _newer(path, version)
        # Where WAL is impossible (some network filesystems) SQLite keeps its rollback journal, which works.
        connection.execute("PRAGMA journal_mode = WAL")
        _migrate(connection, path)
        return connection
    except BaseException as exc:
        if connection is not None:
            connection.close()
        if isinstance(exc, sqlite3.Error) and _code(exc) in _BROKEN:
            raise _Corrupt(_why(exc)) from exc
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise _unavailable(path, exc, "opening") from exc
        raise


def _set_aside(path: Path, moment: datetime) -> Path:
    """Rename a broken store and its journals out of the way, keeping them for the user."""
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    attempt = 1
    while any(Path(f"{aside}{suffix}").exists() for suffix in ("", *_SIDECARS)):
        attempt += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{attempt}")
    try:
        os.rename(path, aside)
        # An old -wal left beside a new database would be replayed into it.
        for suffix in _SIDECARS:
            if Path(f"{path}{suffix}").exists():
                os.rename(f"{path}{suffix}", f"{aside}{suffix}")
    except OSError as exc:
        raise _refusal(path, f"is corrupt and could not be set aside ({_why(exc)})") from exc
    return aside


def read_alert_states(path: Path) -> dict[str, bool]:
    """The arming saved in the store at `path`, read without writing anything (nor taking the
    lock): what another neowatch holding the store last saved. {} when there is no store yet;
    raises StoreUnavailable when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        return {}
    connection: sqlite3.Connection | None = None
    try:
        # mode=ro: never a write, never a new file; a WAL store is read with the holder's -shm.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version < 2 or version > SCHEMA_VERSION:  # no arming table yet, or a newer neowatch's
            return {}
        rows = connection.execute("SELECT condition_key, armed FROM alert_state").fetchall()
    except sqlite3.Error as exc:
        raise _unavailable(path, exc, "reading alert arming") from exc
    finally:
        if connection is not None:
            connection.close()
    return {str(key): bool(armed) for key, armed in rows}


class Store:
    """Quote history, alert log and alert arming for one neowatch.

    Every method may be called from any thread; one lock serialises them. After
    `open`, any SQLite failure (a full disk, a file damaged underneath us, a lock
    held by another program past the busy timeout) raises `StoreUnavailable`, whose
    message the app shows before it carries on without history.
    """

    def __init__(
        self, path: Path, connection: sqlite3.Connection, lock_fd: int, clock: Callable[[], datetime],
        warning: str | None = None,
    ) -> None:
        self.path = path
        self.warning = warning
        """Set when `open` had to set a corrupt file aside: a sentence for the user."""
        self._connection: sqlite3.Connection | None = connection
        self._lock_fd: int | None = lock_fd
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path: Path,
        clock: Callable[[], datetime] = _utc_now,
        *,
        busy_timeout: float = 5.0,
        keep_days: float = KEEP_DAYS,
        keep_recent: int = KEEP_RECENT,
    ) -> Store:
        """Open or create the store at `path`; raises only `StoreUnavailable`.

        A corrupt file is set aside and a new store started; `warning` then says so. Quotes
        fetched more than `keep_days` ago are dropped, except each symbol's newest `keep_recent`.
        """
        path = Path(path)
        lock_fd = _take_lock(path)
        warning = None
        try:
            try:
                connection = _connect(path, busy_timeout)
            except _Corrupt as damage:
                aside = _set_aside(path, clock())
                warning = (
                    f"The history store {path} is corrupt ({damage}): set aside as {aside};"
                    " starting a new one."
                )
                try:
                    connection = _connect(path, busy_timeout)
                except _Corrupt as again:
                    raise _refusal(path, f"cannot be created ({again})") from again
        except BaseException:
            os.close(lock_fd)
            raise
        store = cls(path, connection, lock_fd, clock, warning)
        try:
            store._prune(keep_days, keep_recent)
        except BaseException:
            store.close()
            raise
        return store

    @contextmanager
    def _session(self, doing: str, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._connection
            if connection is None:
                raise _refusal(self.path, "is closed")
            try:
                if write:
                    connection.execute("BEGIN IMMEDIATE")
                yield connection
                if write:
                    connection.execute("COMMIT")
            except BaseException as exc:
                if connection.in_transaction:
                    # The original failure is the one worth reporting.
                    with contextlib.suppress(sqlite3.Error):
                        connection.rollback()
                if isinstance(exc, sqlite3.Error):
                    raise _unavailable(self.path, exc, doing) from exc
                raise

    def record_quotes(self, quotes: Iterable[Quote]) -> None:
        """Add quotes to the history; a quote already stored (same symbol and fetch time) is skipped."""
        rows = [
            (q.symbol, q.price, q.previous_close, _text(q.market_time), _text(q.fetched_at))
            for q in quotes
            if is_plausible_price(q.price)
        ]
        with self._session("recording quotes", write=True) as connection:
            connection.executemany(
                "INSERT OR IGNORE INTO quotes (symbol, price, previous_close, market_time, fetched_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def recent_prices(self, symbols: Sequence[str], limit: int = 40) -> dict[str, list[float]]:
        """The last `limit` prices of each symbol, oldest first; a symbol without history gets []."""
        prices: dict[str, list[float]] = {}
        with self._session("reading recent prices") as connection:
            for symbol in symbols:
                newest_first = connection.execute(
                    "SELECT price FROM quotes WHERE symbol = ? ORDER BY fetched_at DESC LIMIT ?",
                    (symbol, max(limit, 0)),
                ).fetchall()
                prices[symbol] = [price for (price,) in reversed(newest_first)]
        return prices

    def record_alert(self, record: AlertRecord) -> None:
        with self._session("recording an alert", write=True) as connection:
            connection.execute(
                "INSERT INTO alerts (symbol, condition_key, label, value, fired_at) VALUES (?, ?, ?, ?, ?)",
                (record.symbol, record.condition_key, record.label, record.value, _text(record.fired_at)),
            )

    def alerts(self, limit: int = 500) -> list[AlertRecord]:
        """The alert log, newest first."""
        with self._session("reading the alert log") as connection:
            rows = connection.execute(
                "SELECT symbol, condition_key, label, value, fired_at FROM alerts"
                " ORDER BY fired_at DESC, id DESC LIMIT ?",
                (max(limit, 0),),
            ).fetchall()
        return [
            AlertRecord(symbol, condition_key, label, value, _moment(fired_at))
            for symbol, condition_key, label, value, fired_at in rows
        ]

    def alert_states(self) -> dict[str, bool]:
        """Condition key → armed, as last saved."""
        with self._session("reading alert arming") as connection:
            rows = connection.execute("SELECT condition_key, armed FROM alert_state").fetchall()
        return {key: bool(armed) for key, armed in rows}

    def save_alert_states(self, states: Mapping[str, bool]) -> None:
        """Insert or update the given conditions; conditions not given keep their saved state."""
        updated_at = _text(self._clock())
        rows = [(key, int(bool(armed)), updated_at) for key, armed in states.items()]
        with self._session("saving alert arming", write=True) as connection:
            connection.executemany(
                "INSERT INTO alert_state (condition_key, armed, updated_at) VALUES (?, ?, ?) ON CONFLICT"
                " (condition_key) DO UPDATE SET armed = excluded.armed, updated_at = excluded.updated_at",
                rows,
            )

    def _prune(self, keep_days: float, keep_recent: int) -> None:
        """Drop the quotes fetched more than `keep_days` ago, but not a symbol's newest `keep_recent`."""
        cutoff = _text(self._clock() - timedelta(days=keep_days))
        with self._session("dropping old quotes", write=True) as connection:
            symbols = [symbol for (symbol,) in connection.execute(_STORED_SYMBOLS)]
            for symbol in symbols:
                connection.execute(_PRUNE_SYMBOL, (symbol, cutoff, max(keep_recent, 1) - 1))

    def close(self) -> None:
        """Close the database and release the lock; calling it again does nothing."""
        with self._lock:
            connection, self._connection = self._connection, None
            lock_fd, self._lock_fd = self._lock_fd, None
        if connection is not None:
            # Nothing is pending outside a transaction; the lock must still be released.
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        if lock_fd is not None:
            os.close(lock_fd)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
