"""A clone works anywhere: no tracked file points outside the repository for its data."""

from __future__ import annotations

import re
import subprocess

from tests.helpers.paths import REPO_ROOT

OUTSIDE = re.compile(r"\.\./shared\b|/work[/]shared\b")
"""The folder the board exports were once read from, beside the repository."""


def test_no_file_refers_to_a_folder_beside_the_repository() -> None:
    listed = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert listed
    offenders = []
    for name in listed:
        path = REPO_ROOT / name
        if not path.is_file() or (path.suffix in {".png", ".json"} and path.stat().st_size > 1e6):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders += [
            f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)
        ]
    assert offenders == []
