"""`trellolens webhooks serve|register|list|delete`: Trello tells the app when a board changes.

``serve`` runs the receiver (Starlette on uvicorn, what Streamlit runs on); each verified delivery
goes to ``BoardService.board_changed``, which bumps the board's version in Redis
(``TRELLOLENS_REDIS_URL``, required), so every replica's next rerun loads the board again. The API secret signs deliveries: it comes from the resolver, and
it is all ``serve`` needs of the credentials (its deployment holds no key and no token).
"""

from __future__ import annotations

import click

from trellolens.cli.errors import OneLineError, reports_errors
from trellolens.cli.settings import cli_settings
from trellolens.credentials import Secret, check_credentials, resolve_credentials
from trellolens.credentials.model import API_SECRET
from trellolens.trello import TrelloClient

CALLBACK_HELP = "The exact public URL Trello posts to (it signs with it), e.g. https://host/trello"
MAX_CONNECTIONS = 64
"""Concurrent connections the receiver serves (each holds at most one 1 MB body); more get 503."""


@click.group()
def webhooks() -> None:
    """Trello webhooks: boards refresh on every replica when they change."""


@webhooks.command()
@click.option("--callback", required=True, help=CALLBACK_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8502, show_default=True, type=click.IntRange(1, 65535))
@reports_errors
def serve(callback: str, host: str, port: int) -> None:
    """Receive Trello's webhook deliveries and mark changed boards in Redis."""
    from trellolens.service import BoardService
    from trellolens.webhooks.api import check_callback_url
    from trellolens.webhooks.receiver import receiver_app

    check_callback_url(callback)
    api_secret = _api_secret()
    settings = cli_settings()
    service = BoardService(settings=lambda: settings)
    if service.shared is None:
        raise OneLineError(
            "webhooks serve needs TRELLOLENS_REDIS_URL: it tells every replica through Redis"
        )

    import uvicorn

    app = receiver_app(api_secret, callback, service.board_changed)
    click.echo(f"Receiving Trello webhooks on http://{host}:{port} for {callback}", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=5,
    )


def _api_secret() -> Secret:
    """The API secret alone: a source's error stops, a missing key or token does not."""
    resolution = check_credentials()
    if resolution.errors:
        raise OneLineError(resolution.errors[0])
    secret = resolution.values.get(API_SECRET)
    if secret is None:
        raise OneLineError(
            "webhooks serve needs the app's api_secret (TRELLO_API_SECRET or api_secret in "
            "[trello]): Trello signs each delivery with it"
        )
    return secret


@webhooks.command()
@click.argument("board_id")
@click.option("--callback", required=True, help=CALLBACK_HELP)
@click.option("--description", default="trellolens", show_default=True)
@reports_errors
def register(board_id: str, callback: str, description: str) -> None:
    """Ask Trello to post BOARD_ID's changes to --callback (the receiver must be running)."""
    from trellolens.webhooks.api import register_webhook

    with TrelloClient.from_credentials(resolve_credentials(), settings=cli_settings()) as client:
        hook = register_webhook(client, board_id, callback, description)
    click.echo(f"{hook.id}  board {hook.board_id} -> {hook.callback_url}")


@webhooks.command(name="list")
@reports_errors
def list_command() -> None:
    """This token's webhooks."""
    from trellolens.webhooks.api import list_webhooks

    with TrelloClient.from_credentials(resolve_credentials(), settings=cli_settings()) as client:
        for hook in list_webhooks(client):
            state = "" if hook.active else "  (inactive)"
            click.echo(f"{hook.id}  board {hook.board_id} -> {hook.callback_url}{state}")


@webhooks.command()
@click.argument("webhook_id")
@reports_errors
def delete(webhook_id: str) -> None:
    """Delete one of this token's webhooks."""
    from trellolens.webhooks.api import delete_webhook

    with TrelloClient.from_credentials(resolve_credentials(), settings=cli_settings()) as client:
        delete_webhook(client, webhook_id)
    click.echo(f"Deleted webhook {webhook_id}")
