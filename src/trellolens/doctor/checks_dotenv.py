"""Checks on a ``.env`` file, under the secrets-file rules: git-ignored, untracked, private.

Only a project that has a ``.env`` gets these checks. The mode rule is the resolver's own
(``check_file_mode``): doctor fails when trellolens would refuse the file or only warns about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from trellolens.credentials.sources.dotenv_file import DOTENV_FILE
from trellolens.credentials.sources.secrets_file import check_file_mode
from trellolens.doctor.check import Check, failed, passed
from trellolens.doctor.checks_files import run_git
from trellolens.errors import CredentialsError

GIT_TITLE = ".env kept out of git"
MODE_TITLE = ".env permissions"


def dotenv_checks(
    project_dir: Path, environ: Mapping[str, str], allow_open: bool = False
) -> list[Check]:
    """Fail when git tracks ``.env`` or would add it, or when others may read it."""
    path = project_dir / DOTENV_FILE
    if not path.is_file():
        return []
    return [_git_check(project_dir, environ), _mode_check(path, allow_open)]


def _git_check(project_dir: Path, environ: Mapping[str, str]) -> Check:
    name = str(DOTENV_FILE)
    if run_git(project_dir, ["rev-parse", "--is-inside-work-tree"], environ).code != 0:
        return passed("dotenv.git", GIT_TITLE, f"{project_dir} is not a git work tree")
    if run_git(project_dir, ["ls-files", "--error-unmatch", "--", name], environ).code == 0:
        return failed(
            "dotenv.git",
            GIT_TITLE,
            f"git tracks {name}: its values are in the repository for anyone who clones it",
            f"git rm --cached {name}, commit, then rotate every credential in it",
        )
    if run_git(project_dir, ["check-ignore", "-q", "--no-index", "--", name], environ).code != 0:
        return failed(
            "dotenv.git",
            GIT_TITLE,
            f"{name} is not git-ignored: `git add .` would commit it",
            f"add the line `{name}` to .gitignore (`trellolens init` does)",
        )
    return passed("dotenv.git", GIT_TITLE, f"git ignores {name} and does not track it")


def _mode_check(path: Path, allow_open: bool) -> Check:
    try:
        warning = check_file_mode(path, allow_open)
    except CredentialsError as exc:
        return failed("dotenv.mode", MODE_TITLE, str(exc), f"chmod 600 {path}")
    if warning is not None:  # read, but others may read it too
        return failed("dotenv.mode", MODE_TITLE, warning, f"chmod 600 {path}")
    return passed("dotenv.mode", MODE_TITLE, f"trellolens accepts the mode of {path}")
