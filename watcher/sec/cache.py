"""SEC answers on disk with their fetch time: the ticker list for a week, company facts for a day."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watcher.paths import write_atomically

CACHE_VERSION = 1
TICKERS_TTL = timedelta(days=7)
FACTS_TTL = timedelta(days=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    body: dict
    fetched_at: datetime
    fresh: bool


class SecCache:
    """One JSON file per SEC document in a folder: {version, fetched_at, body}."""

    def __init__(self, folder: Path, clock: Callable[[], datetime] = utc_now) -> None:
        self.folder = Path(folder)
        self._clock = clock
        self.warnings: list[str] = []
        """Sentences about cache files that were set aside, for the app to show once."""

    def tickers_path(self) -> Path:
        return self.folder / "company_tickers.json"

    def facts_path(self, cik: int) -> Path:
        return self.folder / "companyfacts" / f"CIK{cik:010d}.json"

    def load_tickers(self) -> CacheEntry | None:
        return self._load(self.tickers_path(), TICKERS_TTL)

    def load_facts(self, cik: int) -> CacheEntry | None:
        return self._load(self.facts_path(cik), FACTS_TTL)

    def save_tickers(self, body: dict) -> None:
        self._save(self.tickers_path(), body)

    def save_facts(self, cik: int, body: dict) -> None:
        self._save(self.facts_path(cik), body)

    def _load(self, path: Path, ttl: timedelta) -> CacheEntry | None:
        """The cached body and whether it is still fresh; None when absent or set aside."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.warnings.append(f"Could not read the SEC cache {path} ({exc.strerror or type(exc).__name__}).")
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
                raise ValueError("not a cache file of this neowatch")
            fetched_at = datetime.fromisoformat(data.get("fetched_at", ""))
            if fetched_at.tzinfo is None or not isinstance(data.get("body"), dict):
                raise ValueError("no fetch time or no body")
        except (ValueError, TypeError, RecursionError) as exc:
            self._set_aside(path, exc)
            return None
        age = self._clock() - fetched_at
        # A fetch time in the future means the clock was wrong then or now: trust neither.
        fresh = timedelta(0) <= age < ttl
        return CacheEntry(data["body"], fetched_at, fresh)

    def _save(self, path: Path, body: dict) -> None:
        """Atomic, and silent on a full or read-only disk: the cache only saves requests."""
        text = json.dumps(
            {"version": CACHE_VERSION, "fetched_at": self._clock().isoformat(), "body": body},
            ensure_ascii=False, separators=(",", ":"),
        )
        try:
            write_atomically(path, text)
        except OSError as exc:
            self.warnings.append(f"Could not write the SEC cache {path} ({exc.strerror or type(exc).__name__}).")

    def _set_aside(self, path: Path, error: Exception) -> None:
        aside = path.with_name(path.name + ".corrupt")
        why = (str(error).splitlines() or [type(error).__name__])[0][:80]
        try:
            os.replace(path, aside)
        except OSError:
            self.warnings.append(f"The SEC cache {path} is unreadable ({why}) and could not be moved aside.")
            return
        self.warnings.append(f"The SEC cache {path} was unreadable ({why}); it was moved to {aside.name}.")
