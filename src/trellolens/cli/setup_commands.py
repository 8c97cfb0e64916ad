"""`trellolens init` (set a project up) and `trellolens secrets template` (the TOML to paste).

Neither prints a credential: the template has empty placeholders, the authorize URL a
placeholder key. Library modules are imported inside the commands, so `trellolens --help`
stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from trellolens.cli.errors import reports_errors
from trellolens.cli.options import project_dir_option

T = TypeVar("T")

PROFILE = click.option(
    "--profile",
    help="Write the values of this profile only: [trello.<profile>] (default: [trello]).",
)


@click.group()
def secrets() -> None:
    """Templates for Streamlit secrets (never a value)."""


@secrets.command()
@PROFILE
@click.option("--aws", is_flag=True, help="The variant whose Trello values live in AWS.")
@reports_errors
def template(profile: str | None, aws: bool) -> None:
    """Print the TOML to paste into .streamlit/secrets.toml or Streamlit Cloud's Secrets."""
    from trellolens.templates import secrets_template

    click.echo(secrets_template(profile, aws=aws), nl=False)


@click.command()
@project_dir_option("The project to set up.")
@PROFILE
@click.option(
    "--pre-commit/--no-pre-commit",
    "pre_commit",
    default=None,
    help="Add the trellolens scan hook to .pre-commit-config.yaml (asked on a terminal).",
)
@reports_errors
def init(project_dir: Path, profile: str | None, pre_commit: bool | None) -> None:
    """Create .streamlit/secrets.toml (mode 0600) and a safe .streamlit/config.toml, git-ignore
    the secrets files, add a scan hook."""
    from trellolens.doctor import SECRETS_FILE
    from trellolens.doctor import project_setup as setup
    from trellolens.rotation import AuthorizeRequest, authorize_url

    _step(
        lambda: setup.create_secrets_file(project_dir, profile),
        f"{SECRETS_FILE}: not created",
        f"created {SECRETS_FILE} (mode 0600, only you can read it) from the template",
        f"{SECRETS_FILE} exists: left as it is (`trellolens secrets template` prints one)",
    )
    _step(
        lambda: setup.create_config_file(project_dir),
        f"{setup.CONFIG_FILE}: not created",
        f"created {setup.CONFIG_FILE} (error details hidden from visitors, no usage stats)",
        f"{setup.CONFIG_FILE} exists: left as it is (`trellolens doctor` checks it)",
    )
    _step(
        lambda: setup.ignore_secrets_files(project_dir),
        ".gitignore: not changed",
        lambda added: f".gitignore: added {', '.join(added)}",
        f".gitignore: git already ignores {', '.join(setup.IGNORED_FILES)}",
    )
    _offer_pre_commit(project_dir, pre_commit)
    url = authorize_url(AuthorizeRequest(), None)
    click.echo(
        "\nNext:\n"
        f"  1. put your Power-Up's API key (https://trello.com/power-ups/admin) in api_key of {SECRETS_FILE}\n"
        "  2. open this page with YOUR_API_KEY replaced, approve, and put the token in token:\n"
        f"     {url}\n"
        "  3. check with `trellolens credentials` (names only, never values)"
    )


def _step(
    run: Callable[[], T],
    refused: str,
    done: str | Callable[[T], str],
    unchanged: str,
) -> None:
    """One step of ``init``: its one line, or why it was refused (a link out of the project)."""
    from trellolens.doctor.project_setup import OutsideProjectError

    try:
        result = run()
    except OutsideProjectError as exc:
        click.echo(f"{refused}: {exc}")
        return
    if not result:
        click.echo(unchanged)
    else:
        click.echo(done(result) if callable(done) else done)


def _offer_pre_commit(project_dir: Path, wanted: bool | None) -> None:
    from trellolens.doctor import project_setup as setup

    state = setup.pre_commit_state(project_dir)
    if state == "present":
        click.echo(f"pre-commit: {setup.PRE_COMMIT_CONFIG} already runs {setup.HOOK_ID}")
        return
    if state == "other":
        click.echo(
            f"pre-commit: to refuse commits holding Trello secrets, add under `repos:` in "
            f"{setup.PRE_COMMIT_CONFIG}:\n{setup.PRE_COMMIT_HOOK.rstrip()}"
        )
        return
    if wanted is None and sys.stdin.isatty():
        wanted = click.confirm(
            "Add a pre-commit hook that refuses commits holding Trello secrets?", default=True
        )
    if wanted:
        setup.add_pre_commit_hook(project_dir)
        click.echo(
            f"pre-commit: created {setup.PRE_COMMIT_CONFIG} with {setup.HOOK_ID}; "
            "run `pre-commit install` to turn it on"
        )
    else:
        click.echo("pre-commit: not added (`trellolens init --pre-commit` adds the scan hook)")
