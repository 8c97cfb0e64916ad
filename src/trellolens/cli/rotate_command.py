"""`trellolens authorize-url` (the page that makes a new token) and `trellolens rotate` (use it).

The new token is read from stdin, never from an argument: argv shows in `ps` and shell history.
On a terminal it is prompted for without echo; piped, the first line is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trellolens.cli.errors import OneLineError, reports_errors
from trellolens.cli.options import project_dir_option
from trellolens.credentials import Secret
from trellolens.credentials.model import API_KEY, check_profile
from trellolens.credentials.redaction import redact
from trellolens.errors import CredentialsError, RotationError, TrellolensError
from trellolens.rotation import (
    DEFAULT_EXPIRATION,
    DEFAULT_SCOPE,
    DEFAULT_TOKEN_NAME,
    EXPIRATIONS,
    FAIL_MARK,
    KEY_HINT,
    WARN_MARK,
    AuthorizeRequest,
    RotationOptions,
    Step,
    authorize_url,
    describe,
    fresh_resolver,
    parse_scopes,
    rotate_token,
)
from trellolens.trello import TokenInfo

ROTATION_FAILED = 1
MAX_TOKEN_LENGTH = 512
PROJECT_DIR = project_dir_option("Where .streamlit/secrets.toml is.")
PROFILE = click.option(
    "--profile", help="Profile to use (default: TRELLOLENS_PROFILE or development)."
)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@click.command("authorize-url")
@click.option(
    "--expiration",
    type=click.Choice(EXPIRATIONS),
    default=DEFAULT_EXPIRATION,
    show_default=True,
    help="How long the new token works.",
)
@click.option(
    "--scope",
    default=DEFAULT_SCOPE,
    show_default=True,
    help="read, write, account, comma-separated; the dashboard needs read.",
)
@click.option(
    "--name", default=DEFAULT_TOKEN_NAME, show_default=True, help="App name Trello shows."
)
@click.option(
    "--with-key",
    is_flag=True,
    help="Put the resolved API key into the URL (it is then on your screen and in your history).",
)
@PROFILE
@PROJECT_DIR
@reports_errors
def authorize_url_command(
    expiration: str, scope: str, name: str, with_key: bool, profile: str | None, project_dir: Path
) -> None:
    """Print Trello's page for approving a new token (step 1 of a rotation)."""
    try:
        request = AuthorizeRequest(expiration, parse_scopes(scope), name)
        key = _resolved_key(project_dir, profile) if with_key else None
        url = authorize_url(request, key)
    except ValueError as exc:
        raise OneLineError(str(exc)) from None
    for warning in request.warnings():
        click.echo(f"{WARN_MARK} {warning}", err=True)
    click.echo(url)
    if key is None:
        click.echo(f"Replace YOUR_API_KEY: {KEY_HINT}.", err=True)
    else:
        click.echo(
            "This URL holds your API key: Trello's public id of the app, which trellolens still "
            "keeps out of logs; do not paste the URL into chats or tickets.",
            err=True,
        )
    click.echo(
        "Open it signed in as the member whose boards the dashboard reads, approve, then "
        "run `trellolens rotate` and paste the token it shows.",
        err=True,
    )


def _resolved_key(project_dir: Path, profile: str | None) -> Secret:
    resolution = fresh_resolver(project_dir.resolve()).check(profile)
    key = resolution.values.get(API_KEY)
    if key is None or resolution.errors:
        problem = resolution.errors[0] if resolution.errors else "no api_key found"
        raise CredentialsError(
            f"--with-key needs the API key: {problem} (run `trellolens credentials`)"
        )
    return key


def read_new_token() -> Secret:
    """The new token from stdin: prompted without echo on a terminal, else the first line."""
    if stdin_is_terminal():
        text = click.prompt("New Trello token (input hidden)", hide_input=True, err=True)
    else:
        text = sys.stdin.readline()
    text = text.strip()
    if not text:
        raise RotationError(
            "no new token on stdin: run `trellolens rotate` in a terminal and paste it at the "
            "prompt, or pipe it in (e.g. from your password manager's CLI)"
        )
    if len(text) > MAX_TOKEN_LENGTH or not text.isascii() or not text.isalnum():
        raise RotationError(
            "the new token must be letters and digits only, as Trello shows it after you "
            "approve (ATTA followed by hex digits); paste just the token"
        )
    return Secret(text)


def revoke_policy(revoke_old: bool, yes: bool) -> RevokeDecision:
    return RevokeDecision(revoke_old, yes, stdin_is_terminal())


class RevokeDecision:
    """--keep-old: never; --yes: without asking; a terminal: ask; piped without --yes: keep."""

    def __init__(self, revoke_old: bool, yes: bool, terminal: bool) -> None:
        self.revoke_old = revoke_old
        self.yes = yes
        self.terminal = terminal

    def __call__(self, old_info: TokenInfo, fingerprint: str) -> bool:
        if not self.revoke_old:
            return False
        if self.yes:
            return True
        if not self.terminal:
            click.echo(f"{WARN_MARK} no terminal to confirm and no --yes: keeping the old token")
            return False
        return click.confirm(
            f"Revoke the old token {fingerprint} ({describe(old_info)}) now? "
            "It stops working everywhere, at once and for good",
            default=False,
            err=True,
        )


@click.command()
@PROFILE
@click.option(
    "--revoke-old/--keep-old",
    default=True,
    show_default=True,
    help="Revoke the old token once the new one is in place and verified (asks first).",
)
@click.option("--yes", "-y", is_flag=True, help="Revoke without asking (for scripts).")
@click.option(
    "--write-aws",
    is_flag=True,
    help="When the token lives in AWS Secrets Manager or SSM, write the new one there.",
)
@click.option(
    "--allow-scope",
    "allow_scopes",
    multiple=True,
    type=click.Choice(["write", "account"]),
    help="Accept a new token with this scope beyond read (discouraged: the dashboard only reads, "
    "and a leaked token could then change your boards or account).",
)
@PROJECT_DIR
@click.argument("arguments", nargs=-1, metavar="")
def rotate(
    profile: str | None,
    revoke_old: bool,
    yes: bool,
    write_aws: bool,
    allow_scopes: tuple[str, ...],
    project_dir: Path,
    arguments: tuple[str, ...],
) -> None:
    """Replace the Trello token with a new one read from stdin, verify it, revoke the old one."""
    if arguments:
        # Never echoed: the argument may well be the token itself.
        raise OneLineError(
            "rotate takes no arguments: it reads the new token from stdin (prompted without "
            "echo), because the command line shows in `ps` and shell history; if you typed a "
            "token there, treat it as exposed and create another one"
        )
    try:
        options = RotationOptions(
            project_dir=project_dir.resolve(),
            profile=None if profile is None else check_profile(profile),
            write_aws=write_aws,
            revoke_old=revoke_policy(revoke_old, yes),
            allowed_scopes=frozenset(allow_scopes),
        )
        new_token = read_new_token()
        rotate_token(new_token, options, report=_echo)
    except TrellolensError as exc:
        click.echo(f"{FAIL_MARK} {' '.join(redact(str(exc)).split())}", err=True)
        raise SystemExit(ROTATION_FAILED) from None


def _echo(step: Step) -> None:
    click.echo(redact(str(step)))  # steps hold no value by design; this is the second lock
