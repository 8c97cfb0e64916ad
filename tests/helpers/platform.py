"""Start the app the way a hosting platform does: a shell command, a port, an environment.

Shared by the deployment tests (Procfile, requirements.txt): ``start`` runs ``command`` through
``sh -c`` (as Heroku runs a Procfile line) and waits for ``/_stcore/health``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.helpers.servers import serving
from trellolens.board import Board


def procfile_command(procfile: Path, process: str = "web") -> str:
    """The command of one process type in a Procfile (``web: <command>``)."""
    for line in procfile.read_text(encoding="utf-8").splitlines():
        name, colon, command = line.partition(":")
        if colon and name.strip() == process:
            return command.strip()
    raise AssertionError(f"{procfile} has no {process}: line")


def listening_on_all_interfaces(port: int) -> bool:
    """Whether a socket listens on 0.0.0.0:port or [::]:port (from /proc/net/tcp*)."""
    wanted = f":{port:04X}"
    for table, anywhere in (("/proc/net/tcp", "00000000"), ("/proc/net/tcp6", "0" * 32)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and local == anywhere + wanted:  # 0A: LISTEN
                return True
    return False


@contextmanager
def start(command: str, *, cwd: Path, env: dict[str, str], port: int) -> Iterator[str]:
    """Run ``sh -c command`` in ``cwd``; yield the app's loopback URL once it answers healthy."""
    shell = ["/bin/sh", "-c", f"exec {command}"]
    with serving(shell, cwd=cwd, env=env, port=port, log_name="platform.log", timeout=120) as url:
        yield url


def pick_live_board(page: Any, url: str, board: Board) -> None:
    """As a visitor: the token's only board, ``board``, opens by itself on the Board overview
    (the sidebar's picker names it), with its lists."""
    page.goto(url)
    main = page.locator("[data-testid='stMain']")
    picker = page.get_by_role("combobox", name="Your boards (1)")
    picker.wait_for()
    main.locator("h1").filter(has_text=board.name).first.wait_for()
    assert picker.input_value() == board.name
    for trello_list in board.lists:
        main.get_by_text(trello_list.name, exact=True).first.wait_for()
    assert "Traceback" not in main.inner_text()
