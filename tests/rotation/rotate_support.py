"""What the rotate tests share: canary tokens in the emulator's real server, and running the CLI.

Every run collects stdout, stderr, the exception and every log record, and checks that no canary
(old token, new token, key) reached any of them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers.aws import aws_environment
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from trellolens.cli.main import cli
from trellolens.credentials import Secret
from trellolens.errors import InvalidTokenError
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.trello import TrelloClient

NOW = datetime.now(UTC)
OLD = CANARY_TOKEN
NEW = "ATTA" + "CANARY" * 10 + "NEW1"
OTHER_MEMBERS = "ATTA" + "CANARY" * 10 + "OTH1"
BROAD = "ATTA" + "CANARY" * 10 + "BRD1"
EXPIRED = "ATTA" + "CANARY" * 10 + "EXP1"
UNKNOWN = "ATTA" + "CANARY" * 10 + "UNK1"
DEV = "ATTA" + "CANARY" * 10 + "DEV1"
ALL_TOKENS = (OLD, NEW, OTHER_MEMBERS, BROAD, EXPIRED, UNKNOWN, DEV)


def specs() -> list[TokenSpec]:
    month = NOW + timedelta(days=30)
    return [
        TokenSpec(OLD, expires=month, created=NOW - timedelta(days=100)),
        TokenSpec(NEW, expires=month, created=NOW),
        TokenSpec(DEV, expires=month, created=NOW),
        TokenSpec(OTHER_MEMBERS, expires=month, member_id="5f0000000000000000000abc"),
        TokenSpec(BROAD, scopes=("read", "write", "account"), expires=None),
        TokenSpec(EXPIRED, expires=NOW - timedelta(days=1), created=NOW - timedelta(days=31)),
    ]


def isolate(tmp_path: Path) -> Path:
    """No credentials from the machine, an empty home; returns the project directory."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_", "STREAMLIT_")):
            del os.environ[name]
    home = tmp_path / "home"
    home.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    os.environ.update({"HOME": str(home), "TRELLOLENS_SOURCES": "streamlit,env"})
    return project


def isolate_on_moto(tmp_path: Path) -> Path:
    """``isolate``, keeping the ``AWS_*`` variables that point at moto (the ``aws`` fixture)."""
    moto = aws_environment()
    project = isolate(tmp_path)
    os.environ.update(moto)
    return project


@contextmanager
def serving_emulator() -> Iterator[TrelloEmulator]:
    """The emulator with every test token, its real server in ``TRELLO_API_BASE_URL``."""
    emulator = TrelloEmulator(key=CANARY_KEY, tokens=specs())
    with emulator.serve() as base_url:
        os.environ["TRELLO_API_BASE_URL"] = base_url
        yield emulator


def accepted(token: str) -> bool:
    """Whether Trello (the emulator) still accepts ``token``."""
    with TrelloClient(Secret(CANARY_KEY), Secret(token)) as client:
        try:
            client.token_info()
        except InvalidTokenError:
            return False
    return True


@dataclass
class Run:
    result: Result
    stdout: str
    stderr: str

    @property
    def code(self) -> int:
        return self.result.exit_code


def rotate(
    caplog: pytest.LogCaptureFixture, project: Path, *args: str, stdin: str = NEW + "\n"
) -> Run:
    """``trellolens rotate --project-dir PROJECT ARGS`` with ``stdin``; checked for canaries."""
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(cli, ["rotate", "--project-dir", str(project), *args], input=stdin)
    raised = result.exception
    exception = "" if raised is None or isinstance(raised, SystemExit) else repr(raised)
    logs = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    for text in (result.stdout, result.stderr, exception, logs):
        assert_no_canary(text, *ALL_TOKENS)
    assert not exception, "rotate raised instead of printing one line"
    return Run(result, result.stdout, result.stderr)
