"""`trellolens board ...`: look at a board export, or a live board by its id, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from trellolens.board import Board, load_board
from trellolens.cli.errors import reports_errors


def list_summary(board: Board) -> list[dict[str, object]]:
    """Open lists in board order with their open-card counts."""
    counts: dict[str, int] = {}
    for card in board.cards:
        if not card.closed:
            counts[card.list_id] = counts.get(card.list_id, 0) + 1
    return [
        {"id": lst.id, "name": lst.name, "open_cards": counts.get(lst.id, 0)}
        for lst in board.open_lists
    ]


@click.group()
def board() -> None:
    """Look at a Trello board export."""


@board.command()
# Not click.Path(exists=..., dir_okay=False): load_board reports a missing file or a directory
# in the same one-line form as every other bad file.
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@reports_errors
def summary(file: Path, as_json: bool) -> None:
    """Open lists of the board in FILE (or of the live board with that id) with their open-card
    counts."""
    from trellolens.cli.metrics_command import BOARD_ID, file_or_live_board

    if file.exists() or not BOARD_ID.fullmatch(str(file)):
        loaded = load_board(file)  # a missing or bad file says so in its own words
    else:
        loaded, _ = file_or_live_board(str(file))
    lists = list_summary(loaded)
    if as_json:
        payload = {"board": {"id": loaded.id, "name": loaded.name}, "lists": lists}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(f"{loaded.name} ({loaded.id})")
    width = max((len(str(item["name"])) for item in lists), default=4)
    width = max(width, len("List"))
    click.echo(f"  {'List':<{width}}  {'Open cards':>10}")
    for item in lists:
        click.echo(f"  {item['name']!s:<{width}}  {item['open_cards']:>10}")
