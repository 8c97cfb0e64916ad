"""Start-up stays light: the everyday commands import no heavy library they do not need.

Each command runs in a fresh interpreter (a clean ``sys.modules``), from a folder with no
credentials, no AWS configuration and no secrets file; the modules loaded at exit are checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from trellolens.cli.main import COMMANDS, cli

SCRUM_EXPORT = Path(__file__).resolve().parents[1] / "fixtures/trello-exports/scrum-board-2018.json"
HEAVY = ("pandas", "numpy", "streamlit", "altair", "boto3", "botocore", "redis")
HTTP_CLIENT = ("httpx", "httpcore")
"""Imported only by commands that talk to Trello (about 0.07 s of start-up)."""

PROBE = """
import json, sys
sys.argv = ["trellolens", *json.loads(sys.argv[1])]
from trellolens.cli.main import main
try:
    main()
except SystemExit:
    pass
finally:
    print("\\nMODULES " + json.dumps(sorted(m for m in sys.modules if "." not in m)))
"""


def loaded_modules(args: list[str], cwd: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_", "STREAMLIT"))}
    env["HOME"] = str(cwd)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["scan"], ["credentials"], ["doctor"]],
    ids=lambda args: " ".join(args),
)
def test_everyday_commands_import_no_heavy_library(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing secret here\n")
    loaded = loaded_modules(args, tmp_path)
    assert "trellolens" in loaded  # the probe really ran the command
    assert "click" in loaded
    assert sorted(loaded.intersection(HEAVY)) == []


@pytest.mark.parametrize(
    "args",
    [["--version"], ["scan"], ["credentials"], ["doctor"]],
    ids=lambda args: " ".join(args),
)
def test_commands_that_send_no_request_import_no_http_client(
    args: list[str], tmp_path: Path
) -> None:
    loaded = loaded_modules(args, tmp_path)
    assert "trellolens" in loaded
    assert sorted(loaded.intersection(HTTP_CLIENT)) == []


def test_the_probe_sees_the_http_client_of_webhooks(tmp_path: Path) -> None:
    """`webhooks` talks to Trello: its module brings httpx (so the test above can fail)."""
    assert "httpx" in loaded_modules(["webhooks", "list", "--help"], tmp_path)


def test_fetch_loads_the_http_client_only_to_send_a_request(tmp_path: Path) -> None:
    """`fetch --help` sends nothing; the client comes with the credentials' scheme."""
    assert "httpx" not in loaded_modules(["fetch", "--help"], tmp_path)


def test_the_probe_sees_what_a_command_needs(tmp_path: Path) -> None:
    """`metrics` on an export does need pandas: the probe sees it (so the test above can fail)."""
    loaded = loaded_modules(["metrics", str(SCRUM_EXPORT)], tmp_path)
    assert {"pandas", "numpy"} <= loaded


def test_every_registered_command_loads_and_is_listed() -> None:
    context = click.Context(cli)
    listed = cli.list_commands(context)
    assert set(COMMANDS) <= set(listed)
    for name in listed:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command), name
        assert command.name == name
    assert cli.get_command(context, "no-such-command") is None
