"""Where the owner's default board can be written, and writing it: ``default_board`` in the
``[trellolens]`` table of a local secrets file, or one line that says what to paste.

``trellolens.settings`` reads ``default_board`` from ``[trellolens]`` of the secrets first, then
``TRELLOLENS_DEFAULT_BOARD``: this module writes the place that is read, never a second one.
A file is written only when it is a local regular file this process may change (no link out of
its project, a safe mode, not Streamlit Community Cloud); it is rewritten with tomlkit (comments
and layout kept), atomically and mode 0600. Anywhere else (Community Cloud's Settings > Secrets,
an environment-only deploy, a read-only mount) the owner gets the exact line to paste.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from trellolens.credentials.sources.aws_client import on_community_cloud
from trellolens.credentials.sources.secrets_file import assess_file, on_read_only_filesystem
from trellolens.doctor.checks_rotation import temporary_path
from trellolens.errors import ConfigError
from trellolens.files import (
    SECRETS_CAP,
    FileChangedError,
    SmallFileError,
    link_out_of,
    project_of,
    read_small_file,
    replace_privately,
)
from trellolens.settings import SECRETS_TABLE, Settings

KEY = Settings.default_board.key
VARIABLE = Settings.default_board.variable
BOARD_ID = re.compile(r"[0-9a-f]{24}")


class DefaultBoardError(ConfigError):
    """The default board could not be written (one line; nothing was written)."""


@dataclass(frozen=True)
class DefaultBoardPlace:
    """Where ``default_board`` goes: a file this process may write, else words to paste."""

    file: Path | None
    """The secrets file to write; None when the owner has to paste ``paste_line``."""
    where: str
    """Where the paste goes, in words (``Settings > Secrets`` on Community Cloud, say)."""
    variable: bool = False
    """The environment decides (``TRELLOLENS_DEFAULT_BOARD``): paste a variable, not TOML."""

    def paste_line(self, board_id: str) -> str:
        """The one line that makes ``board_id`` the default where this place says."""
        if self.variable:
            return f"Set {VARIABLE}={board_id} {self.where}."
        return f'Add default_board = "{board_id}" under [{SECRETS_TABLE}] {self.where}.'


def _table_of(path: Path) -> Mapping[str, Any] | None:
    """``[trellolens]`` of one secrets file (None if it has none or cannot be read as TOML)."""
    try:
        parsed = tomllib.loads(read_small_file(path, SECRETS_CAP, "a secrets file").decode())
    except (SmallFileError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    table = parsed.get(SECRETS_TABLE)
    return table if isinstance(table, Mapping) else None


def _writable(path: Path) -> bool:
    if link_out_of(path, project_of(path)) is not None or on_read_only_filesystem(path):
        return False
    try:
        refused = assess_file(path).refusal is not None
    except OSError:
        return False
    return not refused and path.is_file() and os.access(path, os.W_OK)


def locate_default_board(
    files: Sequence[Path], settings: Settings, cwd: Path | None = None
) -> DefaultBoardPlace:
    """Where ``default_board`` is read from, as Streamlit merges ``files`` (the last file's
    ``[trellolens]`` replaces the others'; ``settings`` say whether the environment sets it),
    and whether it can be written there."""
    if on_community_cloud(cwd):
        return DefaultBoardPlace(None, "in the app's Settings > Secrets on Community Cloud")
    existing = [path for path in files if path.is_file()]
    tables = [(path, _table_of(path)) for path in existing]
    with_table = [(path, table) for path, table in tables if table is not None]
    if with_table:
        target, table = with_table[-1]
    elif existing:
        target, table = existing[-1], {}
    else:
        return DefaultBoardPlace(None, "in the app's environment", variable=True)
    if KEY not in table and settings.origin(Settings.default_board) == VARIABLE:
        return DefaultBoardPlace(None, "in the app's environment", variable=True)
    if not _writable(target):
        return DefaultBoardPlace(None, f"of {target}")
    return DefaultBoardPlace(target, f"of {target}")


def write_default_board(path: Path, board_id: str) -> Path:
    """Set ``default_board`` in ``[trellolens]`` of ``path`` (created if missing), comments
    kept, atomically, mode 0600; ``DefaultBoardError`` (one line, nothing written) otherwise."""
    if not BOARD_ID.fullmatch(board_id):
        raise DefaultBoardError("not a Trello board id (24 hex digits); nothing was written")
    outside = link_out_of(path, project_of(path))
    if outside is not None:
        raise DefaultBoardError(f"{outside}; nothing was written")
    resolved = path.resolve()
    try:
        before = resolved.stat()
        document = tomlkit.parse(
            read_small_file(resolved, SECRETS_CAP, "a secrets file").decode("utf-8")
        )
    except (OSError, SmallFileError, UnicodeDecodeError, TOMLKitError):
        raise DefaultBoardError(f"{path}: cannot read it as TOML; nothing was written") from None
    table: Any = document.get(SECRETS_TABLE)
    if table is None:
        table = tomlkit.table()
        document[SECRETS_TABLE] = table
    elif not isinstance(table, MutableMapping):
        raise DefaultBoardError(f"{path}: {SECRETS_TABLE} is not a table; nothing was written")
    table[KEY] = board_id
    try:
        replace_privately(
            resolved, tomlkit.dumps(document).encode("utf-8"), before, temporary_path(resolved)
        )
    except FileChangedError as exc:
        raise DefaultBoardError(str(exc)) from None
    except OSError as exc:
        raise DefaultBoardError(
            f"{path}: cannot be written ({exc.strerror or 'I/O error'}); nothing was written"
        ) from None
    return resolved
