"""Local secrets files: refuse open modes (as ssh does), read TOML without echoing a value."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trellolens.errors import CredentialsError

ALLOW_OPEN_FILE_VARIABLE = "TRELLOLENS_ALLOW_OPEN_SECRETS_FILE"
_POSITION = re.compile(r"\(at (line (\d+), column (\d+)|end of document)\)\s*$")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def check_file_mode(path: Path, environ: Mapping[str, str]) -> None:
    """Refuse a secrets file that group or others may read or write.

    ``TRELLOLENS_ALLOW_OPEN_SECRETS_FILE=1`` allows it (filesystems without Unix modes).
    """
    if os.name == "nt" or environ.get(ALLOW_OPEN_FILE_VARIABLE, "").strip() == "1":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialsError(
            f"{path} is accessible by group or others (mode {mode:04o}); "
            f"run `chmod 600 {path}` so only you can read it "
            f"(or set {ALLOW_OPEN_FILE_VARIABLE}=1 on a filesystem without file modes)"
        )


def read_secrets_file(path: Path) -> dict[str, Any]:
    """Parse a secrets TOML file; a syntax error names the file, line and column, never a value."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = None
    except OSError as exc:
        raise CredentialsError(
            f"{path}: cannot read the secrets file ({exc.strerror}); check its owner and mode"
        ) from None
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
