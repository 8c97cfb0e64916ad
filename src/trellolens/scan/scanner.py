"""The scanner: Trello credentials and secrets files in files, staged changes or git history.

from trellolens.scan.scanner import ScanRequest, scan
result = scan(ScanRequest(paths=("."), history=True))
for finding in result.findings: print(finding.describe())   # previews only, never values
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trellolens.credentials import Secret
from trellolens.errors import ScanError
from trellolens.scan.allowlist import DEFAULT_NAME
from trellolens.scan.findings import (
    FILES,
    HISTORY,
    STAGED,
    Finding,
    is_secrets_file,
    secrets_file_finding,
)
from trellolens.scan.git_sources import (
    Hunk,
    changed_paths,
    git_root,
    history_hunks,
    is_ignored,
    is_tracked,
    message_hunks,
    read_text,
    staged_hunks,
    tracked_files,
    walked_files,
)
from trellolens.scan.patterns import find_credentials

TRACKED_NOTE = "tracked by git: `git rm --cached` it and rotate what it holds"
NOT_IGNORED_NOTE = "not ignored by git: add it to .gitignore"
STAGED_NOTE = "staged for commit: `git restore --staged` it and add it to .gitignore"
SECRETS_FILE_SKIPPED = (
    "{path}: a secrets file {why}, so the credentials in it are where they belong and are not "
    "reported (`trellolens doctor` checks who may read it)"
)
COMMITTED_NOTE = "committed to the history: rotate what it held"


@dataclass(frozen=True)
class ScanRequest:
    """What to scan: ``paths`` (default: the current folder), and which sources."""

    paths: tuple[str, ...] = ()
    staged: bool = False
    history: bool = False
    excludes: tuple[str, ...] = ()


@dataclass
class ScanResult:
    """Findings, with paths relative to ``root`` (the git work tree, or the scanned folder)."""

    root: Path
    in_git: bool
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """One line each about what was deliberately not reported (a git-ignored secrets file)."""


def scan(request: ScanRequest, cwd: Path | None = None) -> ScanResult:
    """Scan as ``request`` says; a ``ScanError`` for a bad path or a git mode outside git."""
    here = (cwd or Path.cwd()).resolve()
    targets = [_existing(here, text) for text in request.paths] or [here]
    repository = git_root(targets[0])
    if (request.staged or request.history) and repository is None:
        mode = "--staged" if request.staged else "--history"
        raise ScanError(f"{mode} needs a git repository, and {targets[0]} is not in one")
    root = repository or (targets[0] if targets[0].is_dir() else targets[0].parent)
    result = ScanResult(root, repository is not None)
    if repository is not None:
        specs = [_pathspec(repository, target) for target in targets]
        # Without PATHs, --staged and --history cover the whole repository, wherever run from.
        changes = specs if request.paths else [":(literal)."]
        if request.staged:
            result.findings += _scan_changes(repository, changes, history=False)
        if request.history:
            result.findings += _scan_changes(repository, changes, history=True)
            if not request.paths or repository in targets:  # messages: the whole repository
                result.findings += list(_findings_in_hunks(message_hunks(repository), HISTORY))
        if not (request.staged or request.history):
            result.findings += _scan_git_files(repository, specs, targets, result.notes)
    else:
        for target in targets:
            result.findings += _scan_walk(root, target, result.notes)
    result.findings = [f for f in result.findings if not _excluded(f.file, request.excludes)]
    return result


def _existing(here: Path, text: str) -> Path:
    path = (here / text).resolve()
    if not path.exists():
        raise ScanError(f"{text}: no such file or folder")
    return path


def _pathspec(root: Path, target: Path) -> str:
    if not target.is_relative_to(root):
        raise ScanError(f"{target} is outside the git repository {root}; scan it on its own")
    relative = target.relative_to(root).as_posix()
    return ":(literal)" + relative


def _excluded(path: str, globs: Sequence[str]) -> bool:
    """True when ``path`` matches a glob (``*`` and ``**`` cross folders) or sits under one."""
    for glob in globs:
        pattern = glob.strip().rstrip("/")
        if fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern.rstrip("*") + "/"):
            return True
        if pattern.endswith("/**") and path.startswith(pattern[:-3] + "/"):
            return True
    return False


def _scan_git_files(
    root: Path, specs: Sequence[str], targets: Sequence[Path], notes: list[str]
) -> list[Finding]:
    listed = set(tracked_files(root, specs))
    # A file named explicitly is scanned even when git ignores it.
    listed |= {t.relative_to(root).as_posix() for t in targets if t.is_file()}
    findings: list[Finding] = []
    for relative in sorted(listed):
        if relative == DEFAULT_NAME:
            continue
        if is_secrets_file(relative) and (root / relative).exists():
            if is_tracked(root, relative):
                findings.append(secrets_file_finding(relative, FILES, TRACKED_NOTE))
            elif is_ignored(root, relative):
                notes.append(SECRETS_FILE_SKIPPED.format(path=relative, why="git ignores"))
                continue
            else:
                findings.append(secrets_file_finding(relative, FILES, NOT_IGNORED_NOTE))
        findings += _scan_file(root / relative, relative)
    return findings


def _scan_walk(root: Path, target: Path, notes: list[str]) -> list[Finding]:
    files = [target] if target.is_file() else list(walked_files(target))
    findings: list[Finding] = []
    for path in files:
        relative = Path(os.path.relpath(path, root)).as_posix()
        if path.name == DEFAULT_NAME:
            continue
        if is_secrets_file(relative):
            why = "outside any git repository (nothing can commit it)"
            notes.append(SECRETS_FILE_SKIPPED.format(path=relative, why=why))
            continue
        findings += _scan_file(path, relative)
    return findings


def _scan_file(path: Path, relative: str) -> list[Finding]:
    text = read_text(path)
    if text is None:
        return []
    return list(_findings_in(text.splitlines(), None, relative, None, FILES))


def _scan_changes(root: Path, specs: Sequence[str], *, history: bool) -> list[Finding]:
    source = HISTORY if history else STAGED
    hunks = history_hunks(root, specs) if history else staged_hunks(root, specs)
    findings = list(_findings_in_hunks(hunks, source))
    note = COMMITTED_NOTE if history else STAGED_NOTE
    first_commit: dict[str, str | None] = {}
    for path, commit in changed_paths(root, specs, history):
        if is_secrets_file(path):
            first_commit[path] = commit  # the log runs newest first: keep the oldest
    findings += [secrets_file_finding(p, source, note, c) for p, c in first_commit.items()]
    return findings


def _findings_in_hunks(hunks: Iterable[Hunk], source: str) -> Iterator[Finding]:
    for hunk in hunks:
        if hunk.path == DEFAULT_NAME or not hunk.added:
            continue
        yield from _findings_in(
            hunk.lines, hunk.added, hunk.path, hunk.commit, source, hunk.first_line
        )


def _findings_in(
    lines: Sequence[str],
    report: set[int] | None,
    file: str,
    commit: str | None,
    source: str,
    first_line: int = 1,
) -> Iterator[Finding]:
    for match in find_credentials(lines, report):
        line = first_line + match.index
        yield Finding(match.kind, file, line, Secret(match.value), source, commit)
