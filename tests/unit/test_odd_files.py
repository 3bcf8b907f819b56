"""Paths that are not regular files: a dangling symbolic link is never replaced by a new file, a
named pipe is never opened (it would wait for a writer forever); both exit 2 in words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from watcher import __main__ as cli
from watcher import paths, startup
from watcher.config import ConfigError, load_config


@pytest.fixture
def never_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Fail instead of hanging if anything reads a path given here (a named pipe)."""
    guarded: list[Path] = []
    read_text = Path.read_text

    def guarded_read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self in guarded:
            raise AssertionError(f"{self} was opened for reading")
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", guarded_read_text)
    return guarded


def dangling_default(tmp_path: Path) -> tuple[Path, Path]:
    path = paths.default_portfolio_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "unmounted" / "portfolio.toml"
    os.symlink(target, path)
    return path, target


def test_a_dangling_link_at_the_default_path_is_not_replaced(tmp_path: Path) -> None:
    path, target = dangling_default(tmp_path)
    with pytest.raises(OSError) as raised:
        startup.resolve_portfolio(None)
    assert str(target) in str(raised.value)
    assert path.is_symlink() and os.readlink(path) == str(target), "the link is left as it was"
    assert not target.exists() and not target.parent.exists(), "nothing was written"


def test_check_on_a_dangling_default_link_exits_2_naming_the_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, target = dangling_default(tmp_path)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "does not exist" in err
    assert path.is_symlink() and not target.exists()
    assert list(path.parent.iterdir()) == [path], "no new file beside it either"


def test_a_dangling_link_given_by_name_names_its_target(tmp_path: Path) -> None:
    link = tmp_path / "portfolio.toml"
    os.symlink(tmp_path / "gone.toml", link)
    with pytest.raises(ConfigError) as raised:
        load_config(link)
    assert str(tmp_path / "gone.toml") in str(raised.value)


def test_a_named_pipe_is_not_a_regular_file_and_is_never_opened(
    tmp_path: Path, never_read: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "portfolio.toml"
    os.mkfifo(fifo)
    never_read.append(fifo)
    with pytest.raises(ConfigError) as raised:
        load_config(fifo)
    assert "not a regular file" in str(raised.value) and "named pipe" in str(raised.value)
    assert cli.main(["check", str(fifo)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_named_pipe_at_the_default_path_exits_2(never_read: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    fifo = paths.default_portfolio_path()
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    never_read.append(fifo)
    assert cli.main(["check"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert not fifo.is_file()


def test_a_folder_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a regular file \\(a folder\\)"):
        load_config(tmp_path)
