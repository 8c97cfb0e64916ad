"""Local secrets files: refuse files others may change (as ssh does), read TOML without echoing a value."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trellolens.errors import ConfigError, CredentialsError
from trellolens.files import SECRETS_CAP, SmallFileError, chmod_no_follow, read_small_file
from trellolens.settings.chain import ALLOW_OPEN_FILE_VARIABLE as ALLOW_OPEN_FILE_VARIABLE

_POSITION = re.compile(r"\(at (line (\d+), column (\d+)|end of document)\)\s*$")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass(frozen=True)
class FileAccess:
    """Who may do what with one secrets file, as the mode rules see it (no content is read)."""

    path: Path
    mode: int
    owner: int
    refusal: str | None = None
    """Why the file is refused (one line); None when it may be read."""
    remedy: str = ""
    """How to make a refused file acceptable (one line)."""
    readable_by_others: bool = False
    """A file this process owns that group or others may read: read, but flagged until tightened."""
    provided: bool = False
    """Read-only for this process and owned by root (a mounted Kubernetes Secret, say): fine."""

    @property
    def fixable(self) -> bool:
        """``trellolens doctor --fix`` may tighten it to 0600."""
        return self.refusal is None and self.readable_by_others

    def warning(self) -> str | None:
        if not self.readable_by_others:
            return None
        return (
            f"{self.path} may be read by other users of this machine (mode {self.mode:04o}); "
            f"run `chmod 600 {self.path}` or `trellolens doctor --fix`"
        )


def on_read_only_filesystem(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def assess_file(
    path: Path, *, euid: int | None = None, read_only: bool | None = None
) -> FileAccess:
    """The mode rules for one secrets file (symlinks followed, as for ``..data`` Secret mounts).

    - group or others may write it: refused (anyone could point ``base_url`` elsewhere);
    - owned by a user other than this process's and root: refused;
    - owned by root and read-only for this process (a non-root app, or a read-only filesystem):
      fine whatever its read bits, as Kubernetes mounts a Secret (root, 0644, read-only);
    - owned by this process and readable by group or others: read, but flagged (``warning``).

    Running as root, a root-owned file counts as this process's own unless its filesystem is
    read-only: root could tighten it, so it should.
    """
    euid = os.geteuid() if euid is None else euid
    info = path.stat()
    mode, owner = stat.S_IMODE(info.st_mode), info.st_uid
    if mode & 0o022:
        return FileAccess(
            path,
            mode,
            owner,
            refusal=f"{path} may be changed by other users (mode {mode:04o})",
            remedy=f"check its contents, then run `chmod 600 {path}`",
        )
    if owner not in (euid, 0):
        return FileAccess(
            path,
            mode,
            owner,
            refusal=f"{path} belongs to another user (uid {owner}), who could change it",
            remedy=f"check its contents, then run `chown {euid} {path}` and `chmod 600 {path}`",
        )
    if read_only is None:
        read_only = on_read_only_filesystem(path)
    if owner == 0 and (euid != 0 or read_only):
        return FileAccess(path, mode, owner, provided=True)
    return FileAccess(path, mode, owner, readable_by_others=bool(mode & 0o044))


def allow_open_files(allow_open: bool | None) -> bool:
    """``allow_open`` as given, else ``Settings().allow_open_secrets_file`` (the environment's);
    a bad value is a ``CredentialsError`` naming the variable, as the resolver reports it."""
    if allow_open is not None:
        return allow_open
    from trellolens.settings import Settings

    try:
        return Settings().allow_open_secrets_file
    except ConfigError as problem:
        raise CredentialsError(str(problem)) from None


def check_file_mode(path: Path, allow_open: bool) -> str | None:
    """Refuse a secrets file others may change (``assess_file``); a readable one gets a warning.

    Returns the warning (one line, never a value) or None. ``allow_open``
    (``Settings.allow_open_secrets_file``: ``TRELLOLENS_ALLOW_OPEN_SECRETS_FILE=1``) skips the
    rules (filesystems without Unix modes).
    """
    if os.name == "nt" or allow_open:
        return None
    access = assess_file(path)
    if access.refusal is not None:
        raise CredentialsError(
            f"{access.refusal}, so trellolens will not trust it; {access.remedy} "
            f"(or set {ALLOW_OPEN_FILE_VARIABLE}=1 on a filesystem without file modes)"
        )
    return access.warning()


def tighten(access: FileAccess) -> None:
    """``chmod 600`` a file this process owns (``doctor --fix``); never through a final link."""
    if not access.fixable:
        raise ValueError(f"{access.path} is not one trellolens may tighten")
    chmod_no_follow(access.path, 0o600)


def read_secrets_file(path: Path) -> dict[str, Any]:
    """Parse a secrets TOML file; a syntax error names the file, line and column, never a value."""
    try:
        text: str | None = read_small_file(path, SECRETS_CAP, "a secrets file").decode("utf-8")
    except UnicodeDecodeError:
        text = None
    except SmallFileError as exc:
        raise CredentialsError(f"{exc}; check the secrets file's path, owner and mode") from None
    if text is None:
        raise CredentialsError(f"{path}: not UTF-8 text; save the secrets file as UTF-8")
    problem: str | None = None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = str(exc)
    # Raised outside the except block, so the TOML error (and the text it saw) is not chained.
    raise CredentialsError(describe_toml_error(path, problem))


def describe_toml_error(path: Path, message: str) -> str:
    """``<path>: invalid TOML at line L, column C: <what>``, with quoted fragments removed."""
    position = _POSITION.search(message)
    what = _QUOTED.sub("<hidden>", message[: position.start()] if position else message)
    what = what.strip().rstrip(".") or "syntax error"
    if position and position.group(2):
        where = f"line {position.group(2)}, column {position.group(3)}"
    else:
        where = "the end of the file"
    return (
        f"{path}: invalid TOML at {where}: {what[0].lower()}{what[1:]}; "
        "fix that spot (strings need double quotes, one key = value per line)"
    )
