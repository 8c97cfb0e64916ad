"""trellolens.files: the one reader of small files from user paths, and no-follow writes."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from trellolens.files import (
    MEGABYTE,
    FileChangedError,
    SmallFileError,
    chmod_no_follow,
    describe_cap,
    link_out_of,
    open_no_follow,
    project_of,
    read_small_file,
    replace_privately,
)


def refusal(path: Path, cap: int = 100) -> str:
    with pytest.raises(SmallFileError) as raised:
        read_small_file(path, cap, "a test file", name="given")
    assert str(raised.value).startswith("given: ")
    assert "\n" not in str(raised.value)
    return raised.value.problem


def test_a_small_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_bytes(b"x" * 100)
    assert read_small_file(path, 100, "a test file") == b"x" * 100


def test_what_is_not_a_small_regular_file_is_one_line(tmp_path: Path) -> None:
    assert refusal(tmp_path / "missing") == "no such file; check the path"
    assert refusal(tmp_path) == "is a directory; a test file must be a regular file"
    os.mkfifo(tmp_path / "fifo")
    assert refusal(tmp_path / "fifo").startswith("is a FIFO (named pipe)")
    assert refusal(Path("/dev/zero")).startswith("is a character device")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        assert "must be a regular file" in refusal(tmp_path / "sock")
    (tmp_path / "big").write_bytes(b"x" * 101)
    assert refusal(tmp_path / "big") == "over 100 bytes, the limit for a test file"


def test_a_file_larger_than_it_says_is_cut_at_the_cap() -> None:
    # /proc files say they are empty, then hold more: the read itself stops past the cap.
    assert Path("/proc/self/status").stat().st_size == 0
    assert refusal(Path("/proc/self/status"), cap=10).startswith("over 10 bytes")


def test_caps_are_described_in_megabytes() -> None:
    assert describe_cap(2 * MEGABYTE) == "2 MB"
    assert describe_cap(1500) == "1500 bytes"


def test_links_out_of_the_project_are_named(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "inside").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "in-link").symlink_to(root / "inside")
    (root / "out-link").symlink_to(tmp_path / "elsewhere")
    assert link_out_of(root / "in-link" / "file", root) is None
    assert link_out_of(root / "plain", root) is None
    line = link_out_of(root / "out-link" / "file", root)
    assert line is not None
    assert line.startswith(f"{root / 'out-link'} is a symbolic link")
    assert project_of(root / ".streamlit" / "secrets.toml") == root
    assert project_of(root / "secrets.toml") == root


def test_no_follow_refuses_a_link_and_a_special_file(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("x")
    target.chmod(0o644)
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(OSError, match="symbolic links"):
        chmod_no_follow(tmp_path / "link", 0o600)
    with pytest.raises(OSError, match="symbolic links"):
        open_no_follow(tmp_path / "link", os.O_WRONLY | os.O_APPEND)
    assert target.stat().st_mode & 0o777 == 0o644
    os.mkfifo(tmp_path / "fifo", 0o644)
    with pytest.raises(OSError, match="not a regular file"):
        chmod_no_follow(tmp_path / "fifo", 0o600)
    chmod_no_follow(target, 0o600)
    assert target.stat().st_mode & 0o777 == 0o600


def test_replace_privately_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text("old\n")
    before = path.stat()
    path.write_text("edited meanwhile\n")
    temporary = tmp_path / "secrets.toml.tmp"
    with pytest.raises(FileChangedError, match="nothing was written"):
        replace_privately(path, b"new\n", before, temporary)
    assert path.read_text() == "edited meanwhile\n"
    assert not temporary.exists()
    replace_privately(path, b"new\n", path.stat(), temporary)
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
