"""Read a small regular file from a path a user gave, safely: the one helper for every such read.

``read_small_file`` opens without blocking (a FIFO does not hang), refuses anything that is not a
regular file (a FIFO, ``/dev/zero``, a directory, a socket) and anything over its cap, and reads at
most the cap plus one byte (a file growing while read cannot exhaust memory). Each refusal is a
``SmallFileError``: one line naming the file (by the name the caller gives) and the cap.
Symlinks are followed for reading (a Kubernetes Secret is mounted through ``..data`` links).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from trellolens.errors import TrellolensError

MEGABYTE = 1024 * 1024
SECRETS_CAP = 2 * MEGABYTE
"""secrets.toml, .env, a Streamlit config: a few lines, a few kilobytes in practice."""
HOLIDAYS_CAP = MEGABYTE
"""A holidays file: one date per line."""


class SmallFileError(TrellolensError):
    """A file given by path is not a regular file, is over its cap, or cannot be read."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        """The line without the file's name, for callers that name it their own way."""
        super().__init__(f"{name}: {problem}")


def describe_cap(cap: int) -> str:
    return f"{cap // MEGABYTE} MB" if cap % MEGABYTE == 0 else f"{cap} bytes"


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _unopenable(path: Path, what: str, exc: OSError) -> str:
    """Why ``path`` could not be opened: what it is (a socket), else the system's words."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):
        return f"is {_kind(mode)}; {what} must be a regular file"
    return f"cannot be read ({exc.strerror or 'I/O error'})"


def read_small_file(path: Path, cap: int, what: str, name: str | None = None) -> bytes:
    """The bytes of ``path``, a regular file of at most ``cap`` bytes; else ``SmallFileError``.

    ``what`` says what the file is for the message ("a holidays file"); ``name`` is how the
    message names it (default: the path as given).
    """
    shown = str(path) if name is None else name
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise SmallFileError(shown, "no such file; check the path") from None
    except IsADirectoryError:
        raise SmallFileError(shown, f"is a directory; {what} must be a regular file") from None
    except OSError as exc:
        raise SmallFileError(shown, _unopenable(path, what, exc)) from None
    info = os.fstat(descriptor)
    too_large = f"over {describe_cap(cap)}, the limit for {what}"
    if not stat.S_ISREG(info.st_mode) or info.st_size > cap:
        os.close(descriptor)
        if not stat.S_ISREG(info.st_mode):
            problem = f"is {_kind(info.st_mode)}; {what} must be a regular file"
            raise SmallFileError(shown, problem)
        raise SmallFileError(shown, too_large)
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(cap + 1)
        except OSError as exc:
            raise SmallFileError(shown, f"cannot be read ({exc.strerror or 'I/O error'})") from None
    if len(data) > cap:
        raise SmallFileError(shown, too_large)
    return data


# -- writing and changing modes: never through a symbolic link out of the project -------------


def link_out_of(path: Path, root: Path) -> str | None:
    """One line when ``path`` leads out of ``root`` through a symbolic link; None when it stays in.

    Checked before trellolens writes a file or changes its mode: a ``secrets.toml`` or
    ``.gitignore`` that is a link to ``/etc/...`` is left alone, and the line says so.
    """
    home = root.resolve()
    target = path.resolve()
    if target.is_relative_to(home):
        return None
    steps = [path, *path.parents]
    inside = steps[: steps.index(root)] if root in steps else steps[:1]
    link = next((step for step in inside if step.is_symlink()), path)
    return (
        f"{link} is a symbolic link leading to {target}, outside {root}; trellolens does not "
        "write through it (change the file itself, or replace the link with a file)"
    )


def project_of(secrets_path: Path) -> Path:
    """The folder a secrets file belongs to: above ``.streamlit/``, else its own folder."""
    folder = secrets_path.parent
    return folder.parent if folder.name == ".streamlit" else folder


def open_no_follow(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that refuses a symbolic link at ``path`` itself (``O_NOFOLLOW``), never blocks
    on a FIFO, and never makes a terminal the controlling one."""
    extra = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    return os.open(path, flags | extra, mode)


def chmod_no_follow(path: Path, mode: int) -> None:
    """``chmod`` the regular file at ``path`` itself: a link or a special file raises ``OSError``."""
    descriptor = open_no_follow(path, os.O_RDONLY)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path} is not a regular file")
        os.fchmod(descriptor, mode)
    finally:
        os.close(descriptor)


class FileChangedError(TrellolensError):
    """A file changed between reading it and replacing it: nothing was written."""


def replace_privately(path: Path, data: bytes, before: os.stat_result, temporary: Path) -> None:
    """Write ``data`` to ``temporary`` (made 0600 with ``O_EXCL``, never through a link), then
    rename it over ``path``: no moment exists where others may read it, and a crash leaves the
    old file whole. ``before`` (``path``'s stat when read) guards against a concurrent edit:
    ``FileChangedError`` and nothing written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)  # whatever the umask did
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        now = path.stat()
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (
            before.st_ino,
            before.st_size,
            before.st_mtime_ns,
        ):
            raise FileChangedError(
                f"{path} changed while it was being written; nothing was written"
            )
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
