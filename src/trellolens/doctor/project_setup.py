"""``trellolens init``: a private secrets file from the template, git-ignored, with a scan hook,
and the safe ``.streamlit/config.toml``.

Each step says what it did; none overwrites a file the user already has.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from trellolens.credentials.sources.dotenv_file import DOTENV_FILE
from trellolens.doctor.checks_files import SECRETS_FILE, run_git
from trellolens.errors import TrellolensError
from trellolens.files import (
    SECRETS_CAP,
    SmallFileError,
    link_out_of,
    open_no_follow,
    read_small_file,
)
from trellolens.templates import secrets_template, streamlit_config

IGNORED_FILES: tuple[str, ...] = (str(SECRETS_FILE), str(DOTENV_FILE))
"""What ``init`` makes sure git ignores: the secrets file and ``.env``."""
PRE_COMMIT_CONFIG = Path(".pre-commit-config.yaml")
CONFIG_FILE = Path(".streamlit") / "config.toml"
HOOK_ID = "trellolens-scan"
PRE_COMMIT_HOOK = f"""\
  - repo: local
    hooks:
      - id: {HOOK_ID}
        name: trellolens scan (Trello keys, tokens and secrets files)
        entry: trellolens scan --staged
        language: system
        pass_filenames: false
        always_run: true
"""
"""A local pre-commit hook running the scanner of the installed trellolens on staged changes."""
GITIGNORE_CAP = SECRETS_CAP


class OutsideProjectError(TrellolensError):
    """``init`` would write through a symbolic link out of the project, or cannot read a file."""


def create_secrets_file(project_dir: Path, profile: str | None = None) -> bool:
    """Write ``.streamlit/secrets.toml`` from the template, mode 0600; False if one exists.

    The file is created with its final mode (``O_EXCL``), so it is never readable by others,
    not even for a moment, and an existing file is never replaced.
    """
    path = project_dir / SECRETS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    outside = link_out_of(path.parent, project_dir)
    if outside is not None:
        raise OutsideProjectError(outside)
    try:
        fd = open_no_follow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(secrets_template(profile))
    path.chmod(0o600)  # a umask may have taken bits away; never adds any for others
    return True


def create_config_file(project_dir: Path) -> bool:
    """Write the safe ``.streamlit/config.toml``; False if one exists (never replaced)."""
    path = project_dir / CONFIG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    outside = link_out_of(path.parent, project_dir) or link_out_of(path, project_dir)
    if outside is not None:
        raise OutsideProjectError(outside)
    try:
        fd = open_no_follow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(streamlit_config())
    return True


def _ignored_by_git(project_dir: Path, entry: str, environ: Mapping[str, str]) -> bool:
    return (
        run_git(project_dir, ["check-ignore", "-q", "--no-index", "--", entry], environ).code == 0
    )


def ignore_secrets_files(project_dir: Path, environ: Mapping[str, str] | None = None) -> list[str]:
    """Append to ``.gitignore`` each of ``IGNORED_FILES`` git does not ignore yet; the added ones."""
    env = os.environ if environ is None else environ
    gitignore = project_dir / ".gitignore"
    outside = link_out_of(gitignore, project_dir)
    if outside is not None:
        raise OutsideProjectError(outside)
    text = _read_gitignore(gitignore)
    present = {line.strip() for line in text.splitlines()}
    added = [
        entry
        for entry in IGNORED_FILES
        if entry not in present and not _ignored_by_git(project_dir, entry, env)
    ]
    if added:
        lines = ["# Secrets: never committed (trellolens init)", *added]
        prefix = "" if not text or text.endswith("\n") else "\n"
        target = gitignore.resolve()  # inside the project (checked above)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        with os.fdopen(open_no_follow(target, flags, 0o644), "a", encoding="utf-8") as file:
            file.write(prefix + "\n".join(lines) + "\n")
    return added


def _read_gitignore(gitignore: Path) -> str:
    if not gitignore.exists():
        return ""
    try:
        return read_small_file(gitignore, GITIGNORE_CAP, "a .gitignore").decode(
            "utf-8", errors="replace"
        )
    except SmallFileError as exc:
        raise OutsideProjectError(str(exc)) from None


def pre_commit_state(project_dir: Path) -> str:
    """``present`` (the hook is configured), ``absent`` (no config file) or ``other`` (a config
    without the hook, left for the user to edit)."""
    path = project_dir / PRE_COMMIT_CONFIG
    if not path.exists() and not path.is_symlink():
        return "absent"
    try:
        text = read_small_file(path, SECRETS_CAP, "a pre-commit configuration")
    except SmallFileError:
        return "other"  # a link to nowhere, a FIFO...: the user's to look at
    return "present" if HOOK_ID.encode() in text else "other"


def add_pre_commit_hook(project_dir: Path) -> None:
    """Create ``.pre-commit-config.yaml`` with the hook (only where there is none yet)."""
    path = project_dir / PRE_COMMIT_CONFIG
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    with os.fdopen(open_no_follow(path, flags, 0o644), "w", encoding="utf-8") as file:
        file.write("repos:\n" + PRE_COMMIT_HOOK)
