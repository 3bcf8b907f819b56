"""Where neowatch keeps its files: platformdirs locations (XDG on Linux), created on first use."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "neowatch"
PORTFOLIO_FILE = "portfolio.toml"
PACKAGE = Path(__file__).resolve().parent


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def state_path() -> Path:
    """Choices the user made on screen (sort order), kept between runs."""
    return state_dir() / "state.json"


def alert_arming_path() -> Path:
    """Which alerts are armed, kept here only when the history store cannot be written."""
    return state_dir() / "alert_arming.json"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def history_store_path() -> Path:
    return data_dir() / "history.sqlite3"


def default_portfolio_path() -> Path:
    return config_dir() / PORTFOLIO_FILE


def quote_cache_path() -> Path:
    return cache_dir() / "quotes.json"


def bundled(name: str) -> Path:
    """A file or folder shipped with neowatch: inside the installed package (the wheel puts the
    sample and the themes there), else beside the package in a checkout."""
    packaged = PACKAGE / name
    return packaged if packaged.exists() else PACKAGE.parent / name


def sample_portfolio_text() -> str:
    """The commented sample."""
    return bundled("sample_portfolio.toml").read_text("utf-8")


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, flushed and renamed over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class DanglingLink(OSError):
    """The portfolio path is a symbolic link to nothing: not ours to replace by a new file."""


def create_portfolio_from_sample(path: Path) -> bool:
    """Create the portfolio file from the sample unless it exists; True when created.

    Anything at the path is left alone: a file of another kind is the loader's to report, and a
    symbolic link whose target is missing raises DanglingLink (writing would replace the link,
    and the user's file is likely on a drive not mounted yet)."""
    if path.is_symlink() and not path.exists():
        target = os.readlink(path)
        raise DanglingLink(
            f"{path} is a symbolic link to {target}, which does not exist; nothing was written "
            "(restore the target, or remove the link to start from the sample)"
        )
    if path.exists():
        return False
    write_atomically(path, sample_portfolio_text())
    return True
