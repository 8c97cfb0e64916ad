"""Accepted findings, stored as salted fingerprints: the file never holds a credential.

Like detect-secrets' baseline, but an entry is ``sha256(salt + value)`` with a random salt kept in
the file, so nobody can confirm a guessed key against it without the file. ``file``, ``kind``
and ``line`` are for the humans who review the file; matching uses the fingerprint alone, so an
accepted value stays accepted wherever it moves.

    {"version": 1, "salt": "...", "entries": [{"fingerprint": "...", "kind": "token",
     "file": "tests/fixtures/app.env", "line": 3}]}
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trellolens.errors import ScanError
from trellolens.files import MEGABYTE, SmallFileError, read_small_file
from trellolens.scan.findings import Finding

DEFAULT_NAME = ".trellolens-scan-allowlist.json"
VERSION = 1
ALLOWLIST_CAP = 16 * MEGABYTE
"""Fingerprints only: even a large repository's allowlist is far smaller."""


@dataclass
class Allowlist:
    """Fingerprints of accepted values, and the salt they were made with."""

    salt: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    entries: list[dict[str, Any]] = field(default_factory=list)

    def fingerprint(self, finding: Finding) -> str:
        return hashlib.sha256((self.salt + finding.value.reveal()).encode()).hexdigest()

    def accepts(self, finding: Finding) -> bool:
        return self.fingerprint(finding) in {entry["fingerprint"] for entry in self.entries}

    def add(self, findings: Iterable[Finding]) -> int:
        """Accept ``findings`` not yet accepted; how many entries were added."""
        known = {entry["fingerprint"] for entry in self.entries}
        added = 0
        for finding in findings:
            fingerprint = self.fingerprint(finding)
            if fingerprint in known:
                continue
            known.add(fingerprint)
            entry: dict[str, Any] = {"fingerprint": fingerprint, "kind": finding.kind}
            entry.update({"file": finding.file, "line": finding.line})
            if finding.commit:
                entry["commit"] = finding.commit
            self.entries.append(entry)
            added += 1
        return added

    def to_json(self) -> dict[str, Any]:
        return {"version": VERSION, "salt": self.salt, "entries": self.entries}


def load_allowlist(path: Path, *, must_exist: bool) -> Allowlist:
    """The allowlist at ``path``; an empty one when it does not exist (unless ``must_exist``)."""
    if not path.exists():
        if must_exist:
            raise ScanError(f"--allowlist {path}: no such file (create it with --update-allowlist)")
        return Allowlist()
    try:
        data = json.loads(read_small_file(path, ALLOWLIST_CAP, "an allowlist").decode("utf-8"))
    except SmallFileError as exc:
        raise ScanError(f"allowlist {path}: {exc.problem}; fix or delete it") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ScanError(f"allowlist {path}: not valid JSON; fix or delete it") from None
    return _parse(path, data)


def _parse(path: Path, data: object) -> Allowlist:
    problem = f"allowlist {path}: expected {{'version': 1, 'salt': ..., 'entries': [...]}}"
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ScanError(problem)
    salt, entries = data.get("salt"), data.get("entries")
    if not isinstance(salt, str) or not salt or not isinstance(entries, list):
        raise ScanError(problem)
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ScanError(f"{problem}; every entry needs a 'fingerprint'")
    return Allowlist(salt, entries)


def save_allowlist(allowlist: Allowlist, path: Path) -> None:
    """Write ``allowlist`` to ``path`` atomically (it holds no secret, only fingerprints)."""
    folder = path.parent
    text = json.dumps(allowlist.to_json(), indent=2) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        Path(temporary).replace(path)
    except OSError as exc:
        raise ScanError(
            f"cannot write the allowlist {path}: {exc.strerror or 'I/O error'}"
        ) from None
