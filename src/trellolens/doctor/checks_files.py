"""Checks on the local secrets file: is it committed, is it ignored, who may read it.

Git answers through its own commands (``git ls-files --error-unmatch`` and
``git check-ignore --no-index``), so every ignore rule git honours counts, global excludes too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from trellolens.credentials.sources.secrets_file import (
    ALLOW_OPEN_FILE_VARIABLE,
    assess_file,
    tighten,
)
from trellolens.doctor.check import Check, failed, passed, warned
from trellolens.files import link_out_of, project_of

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
"""Where Streamlit (and so trellolens) looks for secrets, relative to the project directory."""
GIT_TIMEOUT_SECONDS = 15
_GIT_LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR")
TRACKED_TITLE = "secrets.toml kept out of git"
IGNORED_TITLE = "secrets.toml git-ignored"
GIT_TITLE = "secrets.toml and git"
MODE_TITLE = "Secrets file permissions"


@dataclass(frozen=True)
class GitAnswer:
    code: int
    """git's exit status; -1 when git could not be run at all."""
    message: str
    """git's first line on stderr, or why it could not run."""


def run_git(project_dir: Path, args: Sequence[str], environ: Mapping[str, str]) -> GitAnswer:
    """Run ``git -C project_dir ARGS``; never raises, never reads more than git's stderr."""
    git = shutil.which("git")
    if git is None:
        return GitAnswer(-1, "git is not installed")
    env = {k: v for k, v in environ.items() if k not in _GIT_LOCATION_VARIABLES}
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(
            [git, "-C", str(project_dir), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return GitAnswer(-1, f"git did not run ({type(exc).__name__})")
    lines = done.stderr.strip().splitlines()
    return GitAnswer(done.returncode, lines[0] if lines else "")


def git_checks(project_dir: Path, environ: Mapping[str, str]) -> list[Check]:
    """Whether git tracks ``.streamlit/secrets.toml`` (fail) and whether it ignores it (fail)."""
    inside = run_git(project_dir, ["rev-parse", "--is-inside-work-tree"], environ)
    if inside.code != 0:
        why = inside.message if inside.code == -1 else "not inside a git work tree"
        return [
            warned(
                "secrets_file.git",
                GIT_TITLE,
                f"{project_dir}: {why}, so git was not asked about {SECRETS_FILE}",
                "nothing to do if this copy is never committed; in a clone, run doctor from its "
                "root (or pass --project-dir)",
            )
        ]
    path = str(SECRETS_FILE)
    exists = (project_dir / SECRETS_FILE).is_file()
    tracked = run_git(project_dir, ["ls-files", "--error-unmatch", "--", path], environ)
    ignored = run_git(project_dir, ["check-ignore", "-q", "--no-index", "--", path], environ)
    return [_tracked_check(tracked, path), _ignored_check(ignored, path, exists)]


def _tracked_check(answer: GitAnswer, path: str) -> Check:
    if answer.code == 0:
        return failed(
            "secrets_file.tracked",
            TRACKED_TITLE,
            f"git tracks {path}: its values are in the repository for anyone who clones it",
            f"git rm --cached {path}, commit, then rotate every credential in it "
            "(docs/security.md, 'Rotating a token'): the old values stay in git history",
        )
    if answer.code == 1:
        return passed("secrets_file.tracked", TRACKED_TITLE, f"git does not track {path}")
    return warned(
        "secrets_file.tracked",
        TRACKED_TITLE,
        f"git could not say whether it tracks {path}: {answer.message}",
        f"run `git ls-files --error-unmatch {path}` in the project to see why",
    )


def _ignored_check(answer: GitAnswer, path: str, exists: bool) -> Check:
    if answer.code == 0:
        return passed("secrets_file.ignored", IGNORED_TITLE, f"git ignores {path}")
    if answer.code == 1:
        detail = (
            f"{path} is not git-ignored: `git add .` would commit it"
            if exists
            else f"no {path} yet, but one created here would not be git-ignored"
        )
        return failed(
            "secrets_file.ignored",
            IGNORED_TITLE,
            detail,
            f"add the line `{path}` to .gitignore",
        )
    return warned(
        "secrets_file.ignored",
        IGNORED_TITLE,
        f"git could not say whether it ignores {path}: {answer.message}",
        f"run `git check-ignore -v --no-index {path}` in the project to see why",
    )


def secrets_files(project_dir: Path, home: Path) -> list[Path]:
    """The secrets files Streamlit reads by default: the user's, then the project's."""
    return [home / SECRETS_FILE, project_dir / SECRETS_FILE]


def mode_check(files: Sequence[Path], allow_open: bool) -> Check:
    """The mode rules of ``assess_file`` on every file of ``files`` that exists.

    Fail when a file is refused, or is ours and readable by other users (``doctor --fix`` tightens
    it); pass for ``0600`` and for read-only files root provides (a mounted Secret). Only a warning
    under ``TRELLOLENS_ALLOW_OPEN_SECRETS_FILE=1``, the resolver's own override.
    """
    present = [path for path in files if path.is_file()]
    if not present:
        return passed("secrets_file.mode", MODE_TITLE, "no secrets file here; nothing to protect")
    if os.name == "nt":
        return passed(
            "secrets_file.mode", MODE_TITLE, "file modes are not checked on Windows (use ACLs)"
        )
    found = [assess_file(path) for path in present]
    refused = [access for access in found if access.refusal is not None]
    readable = [access for access in found if access.readable_by_others]
    if allow_open and (refused or readable):
        described = ", ".join(f"{a.path} (mode {a.mode:04o})" for a in [*refused, *readable])
        return warned(
            "secrets_file.mode",
            MODE_TITLE,
            f"other users may read or change {described}; {ALLOW_OPEN_FILE_VARIABLE}=1 lets "
            "trellolens read it anyway (meant for filesystems without file modes)",
            f"chmod 600 {' '.join(str(a.path) for a in [*refused, *readable])}, or unset "
            f"{ALLOW_OPEN_FILE_VARIABLE} where the filesystem has modes",
        )
    if refused:
        return failed(
            "secrets_file.mode",
            MODE_TITLE,
            "; ".join(f"{a.refusal}" for a in refused) + "; trellolens refuses such a file",
            "; ".join(a.remedy for a in refused),
        )
    if readable:
        described = ", ".join(f"{a.path} (mode {a.mode:04o})" for a in readable)
        return failed(
            "secrets_file.mode",
            MODE_TITLE,
            f"other users of this machine may read {described}; trellolens reads it, but "
            "anyone logged in here can copy the token",
            f"trellolens doctor --fix, or chmod 600 {' '.join(str(a.path) for a in readable)}",
        )
    notes = [
        f"{a.path} is read-only here and owned by root (a mounted secret)"
        if a.provided
        else f"only the owner may read {a.path}"
        for a in found
    ]
    return passed("secrets_file.mode", MODE_TITLE, "; ".join(notes))


def fix_modes(files: Sequence[Path], skipped: list[str] | None = None) -> list[str]:
    """``chmod 600`` each file of ``files`` that is ours and readable by others; what was done.

    A file reached through a symbolic link out of its project (or home) folder is not changed:
    one line on why goes to ``skipped``.
    """
    done = []
    for path in files:
        if os.name == "nt" or not path.is_file():
            continue
        access = assess_file(path)
        if not access.fixable:
            continue
        outside = link_out_of(path, project_of(path))
        if outside is not None:
            if skipped is not None:
                skipped.append(outside)
            continue
        tighten(replace(access, path=path.resolve()))
        done.append(f"{path}: mode {access.mode:04o} -> 0600")
    return done
