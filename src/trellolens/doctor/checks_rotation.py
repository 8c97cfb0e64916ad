"""A temporary file an interrupted ``trellolens rotate`` left beside a secrets file.

``rotate`` writes the new secrets file to ``secrets.toml.rotating-<random>.tmp`` in the same
directory, then renames it over ``secrets.toml``. A process killed in between leaves that file
behind, holding the new token. The name matches ``secrets.toml.rotating-*``, which the shipped
``.gitignore`` ignores; the doctor reports any such file so it is deleted, not committed.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path

from trellolens.doctor.check import Check, passed, warned

LEFTOVER_TITLE = "No leftover rotation file"
ROTATING_MARK = ".rotating-"
IGNORE_RULE = "secrets.toml.rotating-*"
"""The ``.gitignore`` rule covering every temporary file ``temporary_path`` names."""


def temporary_path(path: Path) -> Path:
    """A fresh, unguessable temporary name beside ``path``: ``secrets.toml.rotating-<hex>.tmp``."""
    return path.with_name(f"{path.name}{ROTATING_MARK}{secrets.token_hex(6)}.tmp")


def leftovers(files: Sequence[Path]) -> list[Path]:
    """Temporary files of interrupted rotations beside any of the secrets ``files``."""
    found: list[Path] = []
    for path in files:
        if path.parent.is_dir():
            found += sorted(path.parent.glob(f"{path.name}{ROTATING_MARK}*"))
    return found


def leftover_check(files: Sequence[Path]) -> Check:
    found = leftovers(files)
    if not found:
        return passed("rotation.leftover", LEFTOVER_TITLE, "no temporary file of `rotate` left")
    listed = ", ".join(str(path) for path in found)
    return warned(
        "rotation.leftover",
        LEFTOVER_TITLE,
        f"{listed}: left by an interrupted `trellolens rotate`; it may hold a token",
        "delete it (the secrets file beside it is the one in use), then run "
        f"`trellolens doctor` again; keep `{IGNORE_RULE}` in .gitignore",
    )
