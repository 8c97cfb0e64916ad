"""`trellolens fetch BOARD_ID --out FILE`: a live board saved in Trello's export format.

The credentials come from the resolver (secrets file, environment, AWS), legacy key + token or
OAuth 2.0 (a Bearer access token refreshed as needed); nothing secret is ever printed. ``--list`` prints the boards the token can read, to find an id.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trellolens.cli.errors import OneLineError, reports_errors
from trellolens.cli.settings import cli_settings
from trellolens.cli.wording import counted
from trellolens.credentials import check_credentials

if TYPE_CHECKING:  # the model loads while the board's request is on the way (client.py)
    from trellolens.board import Board
    from trellolens.settings import Settings
    from trellolens.trello import TrelloClient


def live_client(settings: Settings | None = None) -> TrelloClient:
    """A client on the process's credentials, whichever scheme they are, with the settings the
    doctor checks in this folder (``cli_settings``)."""
    from trellolens.trello.clients import client_for, credentials_of

    settings = cli_settings() if settings is None else settings
    return client_for(credentials_of(check_credentials()), settings=settings)


def _progress(actions: int) -> None:
    click.echo(f"  {actions} history actions...", err=True)


def _notice(line: str) -> None:
    """Rate-limit waits and a board loaded in parts, one line each on stderr."""
    click.echo(f"  {line}", err=True)


def fetch_live_board(board_id: str, max_actions: int | None = None, quiet: bool = False) -> Board:
    """The board through the board service (shared with the dashboard's replicas through Redis
    when the settings name one), with the process's credentials and ``cli_settings()``."""
    from trellolens.service import BoardService, Callbacks

    watch = Callbacks(None if quiet else _progress, None if quiet else _notice).watch
    settings = cli_settings()
    service = BoardService(settings=lambda: settings)
    with live_client(settings) as client:
        return service.board(client, board_id, max_actions=max_actions, watch=watch).board


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by its owner only (boards are private)."""
    directory = path.parent if str(path.parent) else Path()
    if not directory.is_dir():
        raise OneLineError(f"--out {path}: the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OneLineError(f"--out {path}: cannot write ({exc.strerror or 'I/O error'})") from None


@click.command()
@click.argument("board_id", required=False)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to save the board as a Trello JSON export.",
)
@click.option(
    "--max-actions",
    type=click.IntRange(min=1),
    help="Keep at most this many history actions, newest first (default: all).",
)
@click.option("--list", "list_boards", is_flag=True, help="List the boards the token can read.")
@reports_errors
def fetch(
    board_id: str | None, out: Path | None, max_actions: int | None, list_boards: bool
) -> None:
    """Save the live Trello board BOARD_ID to --out FILE, for offline use (`trellolens metrics FILE`)."""
    if list_boards:
        with live_client() as client:
            for summary in client.boards(notice=_notice):
                archived = "  (archived)" if summary.closed else ""
                click.echo(f"{summary.id}  {summary.name}{archived}")
        return
    if board_id is None or out is None:
        raise OneLineError(
            "give a board id and --out FILE, e.g. `trellolens fetch 5a1b2c3d4e5f60718293a4b5 "
            "--out board.json` (`trellolens fetch --list` shows the ids)"
        )
    board = fetch_live_board(board_id, max_actions)
    from trellolens.board.fast_json import dumps
    from trellolens.board.to_export import board_to_export

    write_private(out, dumps(board_to_export(board)))
    click.echo(
        f"Saved {board.name}: {counted(len(board.lists), 'list')}, {counted(len(board.cards), 'card')}, "
        f"{counted(len(board.actions), 'history action')} to {out}"
    )
