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


def create_secrets_file(project_dir: Path, profile: str | None = None) -> bool:
    """Write ``.streamlit/secrets.toml`` from the template, mode 0600; False if one exists.

    The file is created with its final mode (``O_EXCL``), so it is never readable by others,
    not even for a moment, and an existing file is never replaced.
    """
    path = project_dir / SECRETS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
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
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(streamlit_config())
    except FileExistsError:
        return False
    return True


def _ignored_by_git(project_dir: Path, entry: str, environ: Mapping[str, str]) -> bool:
    return (
        run_git(project_dir, ["check-ignore", "-q", "--no-index", "--", entry], environ).code == 0
    )


def ignore_secrets_files(project_dir: Path, environ: Mapping[str, str] | None = None) -> list[str]:
    """Append to ``.gitignore`` each of ``IGNORED_FILES`` git does not ignore yet; the added ones."""
    env = os.environ if environ is None else environ
    gitignore = project_dir / ".gitignore"
    text = gitignore.read_text(encoding="utf-8") if gitignore.is_file() else ""
    present = {line.strip() for line in text.splitlines()}
    added = [
        entry
        for entry in IGNORED_FILES
        if entry not in present and not _ignored_by_git(project_dir, entry, env)
    ]
    if added:
        lines = ["# Secrets: never committed (trellolens init)", *added]
        prefix = "" if not text or text.endswith("\n") else "\n"
        with gitignore.open("a", encoding="utf-8") as file:
            file.write(prefix + "\n".join(lines) + "\n")
    return added


def pre_commit_state(project_dir: Path) -> str:
    """``present`` (the hook is configured), ``absent`` (no config file) or ``other`` (a config
    without the hook, left for the user to edit)."""
    path = project_dir / PRE_COMMIT_CONFIG
    if not path.is_file():
        return "absent"
    return "present" if HOOK_ID in path.read_text(encoding="utf-8") else "other"


def add_pre_commit_hook(project_dir: Path) -> None:
    """Create ``.pre-commit-config.yaml`` with the hook (only where there is none yet)."""
    path = project_dir / PRE_COMMIT_CONFIG
    with path.open("x", encoding="utf-8") as file:
        file.write("repos:\n" + PRE_COMMIT_HOOK)
