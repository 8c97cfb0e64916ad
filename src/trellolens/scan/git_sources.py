"""Where the scanner reads text: files on disk, the staged changes, every commit of the history.

Files come from ``git ls-files -co --exclude-standard`` inside a git repository (tracked, plus
untracked files git does not ignore), else from a walk of the folder. Diffs come from
``git diff --cached`` and ``git log -p --all --full-history --text`` (binary files too), parsed into
hunks that hold the new version's line numbers: added lines are reported, unchanged ones only
give context. ``--history`` also reads every commit message and annotated tag message.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trellolens.errors import ScanError

MAX_FILE_BYTES = 5 * 1024 * 1024
SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox"}
    | {".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis"}
)
"""Folders a walk outside git skips (inside git, .gitignore decides)."""
COMMIT_MARK = "\x00commit "
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv", "--text", "-M", "-U3")
"""``--text``: a binary file's diff is read like any other (a token in a .sqlite or .pyc counts)."""
COMMIT_MESSAGE = "(commit message)"
TAG_MARK = "\x00tag "


@dataclass
class Hunk:
    """Lines of one file's new version around a change; ``added`` indexes the added ones."""

    path: str
    commit: str | None
    first_line: int
    lines: list[str] = field(default_factory=list)
    added: set[int] = field(default_factory=set)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotepath=false", *args],
        capture_output=True,
        check=False,
    )


def git_root(path: Path) -> Path | None:
    """The top folder of the git work tree holding ``path``, or None outside git."""
    folder = path if path.is_dir() else path.parent
    try:
        done = _git(folder, "rev-parse", "--show-toplevel")
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return Path(os.fsdecode(done.stdout.strip())).resolve()


def tracked_files(root: Path, pathspecs: Sequence[str]) -> list[str]:
    """Files git tracks or would add (not ignored) under ``pathspecs``, relative to ``root``."""
    done = _git(root, "ls-files", "-co", "--exclude-standard", "-z", "--", *pathspecs)
    if done.returncode != 0:
        raise ScanError(f"git ls-files failed in {root}: {_first_line(done.stderr)}")
    names = os.fsdecode(done.stdout).split("\0")
    return sorted({name for name in names if name})


def is_tracked(root: Path, relative: str) -> bool:
    return _git(root, "ls-files", "--error-unmatch", "--", relative).returncode == 0


def is_ignored(root: Path, relative: str) -> bool:
    """Whether git's ignore rules (global excludes too) cover the untracked ``relative``."""
    return _git(root, "check-ignore", "-q", "--", relative).returncode == 0


def walked_files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` outside git, skipping VCS and tool folders."""
    for current, directories, files in os.walk(folder):
        directories[:] = sorted(d for d in directories if d not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            yield Path(current) / name


def read_text(path: Path) -> str | None:
    """The file as text, or None when it is a link, unreadable or over 5 MB.

    A binary file is read too (bytes that are not UTF-8 become U+FFFD): a credential in a
    database, a compiled file or an archive index is still a credential.
    """
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")


def staged_hunks(root: Path, pathspecs: Sequence[str]) -> Iterator[Hunk]:
    """The hunks of ``git diff --cached``: what the next commit would add."""
    command = ["diff", "--cached", *_DIFF_OPTIONS, "--", *pathspecs]
    yield from _diff_hunks(root, command)


def history_hunks(root: Path, pathspecs: Sequence[str]) -> Iterator[Hunk]:
    """The hunks of every commit reachable from any ref, deleted files included."""
    command = ["log", "-p", "--all", "--full-history", "--format=%x00commit %H"]
    yield from _diff_hunks(root, [*command, *_DIFF_OPTIONS, "--", *pathspecs])


def message_hunks(root: Path) -> Iterator[Hunk]:
    """Every commit message (all refs) and annotated tag message, each as one all-added hunk."""
    log = _git(root, "log", "--all", "--format=%x00commit %H%n%B")
    if log.returncode != 0:
        raise ScanError(f"git log failed in {root}: {_first_line(log.stderr)}")
    for commit, lines in _messages(log.stdout, COMMIT_MARK):
        yield Hunk(COMMIT_MESSAGE, commit, 1, lines, set(range(len(lines))))
    tag_format = "%00tag %(objecttype) %(objectname) %(refname:short)%0a%(contents)"
    tags = _git(root, "for-each-ref", f"--format={tag_format}", "refs/tags")
    if tags.returncode != 0:
        raise ScanError(f"git for-each-ref failed in {root}: {_first_line(tags.stderr)}")
    for header, lines in _messages(tags.stdout, TAG_MARK):
        kind, object_id, name = [*header.split(" ", 2), "", ""][:3]
        if kind == "tag":  # annotated; a lightweight tag names a commit, read above
            yield Hunk(f"(tag {name} message)", object_id, 1, lines, set(range(len(lines))))


def _messages(output: bytes, mark: str) -> Iterator[tuple[str, list[str]]]:
    """``git log``/``for-each-ref`` output split at ``mark``: (the header after it, the lines)."""
    text = output.decode("utf-8", errors="replace")
    for block in text.split(mark)[1:]:
        header, _, body = block.partition("\n")
        yield header.strip(), body.rstrip("\n").splitlines()


def changed_paths(
    root: Path, pathspecs: Sequence[str], history: bool
) -> Iterator[tuple[str, str | None]]:
    """(path, commit) of every file staged for the next commit (or ever added, with ``history``)."""
    if history:
        args = ["log", "--all", "--full-history", "--format=%x00commit %H", "--name-only"]
        args += ["--diff-filter=ACMR", "--", *pathspecs]
    else:
        args = ["diff", "--cached", "--name-only", "--diff-filter=ACMR", "--", *pathspecs]
    done = _git(root, *args)
    if done.returncode != 0:
        raise ScanError(f"git {args[0]} failed in {root}: {_first_line(done.stderr)}")
    commit: str | None = None
    for line in done.stdout.decode("utf-8", errors="replace").splitlines():
        if line.startswith(COMMIT_MARK):
            commit = line[len(COMMIT_MARK) :].strip()
        elif line.strip():
            yield line, commit


def _diff_hunks(root: Path, args: Sequence[str]) -> Iterator[Hunk]:
    command = ["git", "-C", str(root), "-c", "core.quotepath=false", *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        lines = (raw.decode("utf-8", errors="replace") for raw in process.stdout)
        yield from parse_diff(lines)
        errors = process.stderr.read() if process.stderr else b""
        status = process.wait()
    if status != 0:
        raise ScanError(f"git {args[0]} failed in {root}: {_first_line(errors)}")


def parse_diff(lines: Iterable[str]) -> Iterator[Hunk]:
    """Hunks from unified diff text (``git diff``, or ``git log -p`` with commit marks).

    Each hunk's header gives how many old and new lines it holds; counting them is what tells an
    added line that reads ``++ x`` from the next file's ``+++ b/x`` header.
    """
    commit: str | None = None
    path: str | None = None
    hunk: Hunk | None = None
    old_left = new_left = 0
    for raw in lines:
        line = raw.rstrip("\n").removesuffix("\r")
        if hunk is not None and (old_left > 0 or new_left > 0):
            marker = line[:1]
            if marker == "\\":
                continue
            if marker in {"+", " ", ""}:
                if marker == "+":
                    hunk.added.add(len(hunk.lines))
                hunk.lines.append(line[1:])
                new_left -= 1
            if marker in {"-", " ", ""}:
                old_left -= 1
            if old_left > 0 or new_left > 0:
                continue
            yield hunk
            hunk = None
            continue
        if line.startswith(COMMIT_MARK):
            commit, path = line[len(COMMIT_MARK) :].strip(), None
        elif line.startswith("diff --git "):
            path = None
        elif line.startswith("+++ "):
            path = _diff_path(line[4:])
        elif path is not None and (match := _HUNK.match(line)):
            hunk = Hunk(path, commit, int(match.group(3)))
            old_left = _count(match.group(2))
            new_left = _count(match.group(4))
            if old_left == 0 and new_left == 0:
                hunk = None


def _count(text: str | None) -> int:
    return 1 if text is None else int(text)


def _diff_path(text: str) -> str | None:
    """``b/src/app.py`` -> ``src/app.py``; ``/dev/null`` (a deleted file) -> None."""
    text = text.rstrip("\t")
    if text.startswith('"') and text.endswith('"'):
        raw = codecs.escape_decode(text[1:-1].encode())[0]
        text = raw.decode("utf-8", errors="replace")
    if text == "/dev/null":
        return None
    return text[2:] if text.startswith("b/") else text


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", errors="replace").strip()
    return text.splitlines()[0] if text else "no message"
