"""Files already validated: their checked contents, kept so that a start pays for no validation.

The portfolio file, the bundled fundamentals and the theme files are checked by pydantic, whose
import and models cost a start about a third of its time. The result of a check (plain data, as
JSON) is kept here under the hash of the text it came from. A text seen before is used without
checking it again; any other text is checked in full, and only a valid one is kept.

An entry is trusted only by the neowatch that wrote it: the key of the whole file is a
fingerprint of neowatch's code and of the libraries that judge a file (pydantic, Textual's colour
parser). Anything odd in the file (unreadable, not JSON, another fingerprint) counts as empty.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from watcher import __version__, paths

CACHE_FILE = "validated.json"
MAX_ENTRIES = 32
"""Enough for a few portfolio files and theme files, and their last edits."""

T = TypeVar("T")
_NOTHING = object()

_JUDGES = ("pydantic", "pydantic_core", "textual")
"""Libraries whose upgrade could change what a check says."""


def fingerprint(package: Path | None = None) -> str:
    """neowatch's version, its code files and the judging libraries, as they are on disk now."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    package = package or Path(__file__).resolve().parent
    files = sorted(str(p) for p in package.rglob("*.py"))
    for name in _JUDGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            files.append(spec.origin)
    for name in files:
        try:
            info = os.stat(name)
        except OSError:
            continue
        digest.update(f"{name}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


class ValidatedCache:
    """Checked contents by (kind, text); one JSON file, rewritten atomically on a new entry."""

    def __init__(self, path: Path, stamp: str | None = None) -> None:
        self.path = path
        self._stamp = stamp
        self._entries: dict[str, Any] | None = None
        self._lock = threading.Lock()

    @property
    def stamp(self) -> str:
        if self._stamp is None:
            self._stamp = fingerprint()
        return self._stamp

    def load(
        self,
        kind: str,
        text: str,
        check: Callable[[str], Any],
        build: Callable[[Any], T],
        keep: Callable[[Any], bool] | None = None,
    ) -> T:
        """`build` of the checked contents of `text`: kept ones, else `check(text)`'s.

        `check` may raise; nothing is kept then. `keep` may refuse to keep contents (a secret
        stays out of the cache folder). Kept contents that `build` cannot use are dropped and
        the text is checked again.
        """
        key = _key(kind, text)
        with self._lock:
            kept = self._load().get(key, _NOTHING)
        if kept is not _NOTHING:
            try:
                return build(kept)
            except (LookupError, TypeError, ValueError, AttributeError):
                self.forget(kind, text)
        data = check(text)
        built = build(data)
        if keep is None or keep(data):
            with self._lock:
                entries = self._load()
                entries[key] = data
                while len(entries) > MAX_ENTRIES:
                    entries.pop(next(iter(entries)))
                self._save(entries)
        return built

    def forget(self, kind: str, text: str) -> None:
        """Drop one entry: its contents could not be used after all."""
        with self._lock:
            entries = self._load()
            if entries.pop(_key(kind, text), None) is not None:
                self._save(entries)

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = {}
            try:
                saved = json.loads(self.path.read_text("utf-8"))
            except (OSError, ValueError):
                return self._entries
            if isinstance(saved, dict) and saved.get("stamp") == self.stamp and isinstance(saved.get("entries"), dict):
                self._entries = saved["entries"]
        return self._entries

    def _save(self, entries: dict[str, Any]) -> None:
        try:
            paths.write_atomically(self.path, json.dumps({"stamp": self.stamp, "entries": entries}))
        except OSError:
            return  # a cache that cannot be written only costs the next start its speed


def _key(kind: str, text: str) -> str:
    return f"{kind}:{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}"


@cache
def _cache_at(path: Path) -> ValidatedCache:
    return ValidatedCache(path)


def validated_cache() -> ValidatedCache:
    """The cache in neowatch's cache folder (one per folder, shared by the whole process)."""
    return _cache_at(paths.cache_dir() / CACHE_FILE)
