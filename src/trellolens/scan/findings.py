"""What the scanner reports: a ``Finding`` (never showing its value) and the secrets-file names."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from trellolens.credentials import Secret
from trellolens.scan.patterns import SECRETS_FILE, preview

FILES = "files"
STAGED = "staged"
HISTORY = "history"
TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist")


def is_secrets_file(path: str) -> bool:
    """``.streamlit/secrets.toml``, ``.env`` and ``.env.*`` (but not ``.env.example``)."""
    parts = PurePosixPath(path).parts
    if not parts:
        return False
    name = parts[-1]
    if name == "secrets.toml" and len(parts) >= 2 and parts[-2] == ".streamlit":
        return True
    if name == ".env":
        return True
    return name.startswith(".env.") and not name.endswith(TEMPLATE_SUFFIXES)


@dataclass(frozen=True)
class Finding:
    """A credential (or a secrets file) at ``file``:``line`` (0: the whole file).

    ``value`` is a ``Secret`` (masked in every repr); only ``preview`` is ever shown.
    ``commit`` is set for history findings; ``verified`` once ``--verify`` asked Trello.
    """

    kind: str
    file: str
    line: int
    value: Secret = field(compare=False)
    source: str = FILES
    commit: str | None = None
    note: str = ""
    allowlisted: bool = False
    verified: str | None = None

    @property
    def preview(self) -> str:
        return "" if self.kind == SECRETS_FILE else preview(self.value.reveal())

    def location(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.commit[:12]} {where}" if self.commit else where

    def describe(self) -> str:
        """One line for a terminal: where, what, the 4-character preview, notes."""
        extras = [text for text in (self.note, self.verified) if text]
        if self.allowlisted:
            extras.append("allowlisted")
        shown = f" {self.preview}" if self.preview else ""
        suffix = f" ({'; '.join(extras)})" if extras else ""
        return f"{self.location()}: {self.kind}{shown}{suffix}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "commit": self.commit,
            "source": self.source,
            "preview": self.preview,
            "note": self.note or None,
            "allowlisted": self.allowlisted,
            "verified": self.verified,
        }


def secrets_file_finding(path: str, source: str, note: str, commit: str | None = None) -> Finding:
    """A secrets file git would (or did) commit; its "value" is its path, for the allowlist."""
    return Finding(SECRETS_FILE, path, 0, Secret(f"{SECRETS_FILE}:{path}"), source, commit, note)
