"""`trellolens login`: sign in with Trello's OAuth 2.0 and store the refresh token where chosen.

Authorization code + PKCE with a loopback redirect (like `gh auth login`): the browser opens
the authorize page, or with --no-browser the URL is printed for any browser that can reach this
machine's 127.0.0.1 (over SSH: `ssh -L PORT:127.0.0.1:PORT`). Least scopes by default.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trellolens.cli.errors import reports_errors
from trellolens.cli.settings import cli_settings
from trellolens.credentials import Secret, default_resolver
from trellolens.credentials.model import CLIENT_ID, CLIENT_SECRET
from trellolens.errors import CredentialsError
from trellolens.trello.oauth2_login import (
    DEFAULT_PORT,
    DEFAULT_SCOPES,
    WRITE_BOARD,
    LoopbackReceiver,
    finish_login,
    start_login,
)
from trellolens.trello.oauth2_store import (
    RefreshTokenStore,
    SecretsFileStore,
    SecretsManagerStore,
    SsmStore,
)

STORES = ("secrets-file", "aws-secrets-manager", "ssm", "print")


def _client(profile: str | None) -> tuple[Secret, Secret, str]:
    resolution = default_resolver().check(profile)
    client_id, secret = resolution.values.get(CLIENT_ID), resolution.values.get(CLIENT_SECRET)
    if client_id is None or secret is None:
        raise CredentialsError(
            "set the OAuth 2.0 client first: client_id and client_secret in [trello] of "
            ".streamlit/secrets.toml, or TRELLO_CLIENT_ID and TRELLO_CLIENT_SECRET "
            "(docs/credentials.md)"
        )
    return client_id, secret, resolution.profile


def _store(kind: str, profile: str, secrets_file: Path, secret_id: str | None) -> RefreshTokenStore:
    if kind == "secrets-file":
        return SecretsFileStore(secrets_file, ("trello",))
    if kind == "aws-secrets-manager":
        return SecretsManagerStore(secret_id or f"trellolens/{profile}/trello")
    return SsmStore(secret_id or f"/trellolens/{profile}/trello/refresh_token")


@click.command()
@click.option("--no-browser", is_flag=True, help="Print the sign-in URL instead of opening it.")
@click.option(
    "--allow-write", is_flag=True, help=f"Also ask for {WRITE_BOARD} (the dashboard only reads)."
)
@click.option("--store", "store_kind", type=click.Choice(STORES), default="secrets-file")
@click.option(
    "--secrets-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".streamlit/secrets.toml"),
    show_default=True,
)
@click.option("--secret-id", help="Secrets Manager secret id or SSM parameter name.")
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True)
@click.option("--timeout", type=float, default=300.0, show_default=True)
@click.option("--profile", help="Profile (default: TRELLOLENS_PROFILE or development).")
@reports_errors
def login(
    no_browser: bool,
    allow_write: bool,
    store_kind: str,
    secrets_file: Path,
    secret_id: str | None,
    port: int,
    timeout: float,
    profile: str | None,
) -> None:
    """Sign in with Trello (OAuth 2.0 + PKCE) and store the rotating refresh token."""
    client_id, client_secret, profile_name = _client(profile)
    auth_base = cli_settings().auth_base_url
    scopes = (*DEFAULT_SCOPES, WRITE_BOARD) if allow_write else DEFAULT_SCOPES
    receiver = LoopbackReceiver(port)
    request = start_login(client_id, auth_base, receiver.redirect_uri, scopes)
    opened = False
    if not no_browser:
        import webbrowser

        opened = webbrowser.open(request.url)
    if not opened:
        click.echo("Open this URL in a browser to sign in (it redirects to this machine):")
    click.echo(request.url, err=opened)
    sys.stdout.flush()
    callback = receiver.wait(request.state, timeout)
    granted = finish_login(request, callback, client_id, client_secret, auth_base)
    if store_kind == "print":
        click.echo("trellolens: the refresh token follows; store it as refresh_token", err=True)
        click.echo(granted.refresh_token.reveal())
        return
    store = _store(store_kind, profile_name, secrets_file, secret_id)
    store.write(granted.refresh_token)
    click.echo(f"Signed in ({' '.join(granted.scopes)}); refresh token stored in {store.identity}")
