"""Canaries in every credential source, and an ``Evidence`` of everything a run could show.

Evidence holds, by where it was seen: rendered elements, log records (as caplog keeps them and
as a real handler formats them), stdout/stderr, exception text and CSV downloads. ``verify``
fails naming the places and canaries (never printing a value).
"""

from __future__ import annotations

import io
import logging
import os
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from tests.helpers.aws import put_json_secret, put_parameters
from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, canary, write_secrets
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export

if TYPE_CHECKING:
    from collections.abc import Sequence

TOML_SECRET = CANARY_SECRET
ENV_SECRET = canary("env-secret")
SM_SECRET = canary("sm-secret")
SSM_SECRET = canary("ssm-secret")
WRONG_KEY = "canary" + "badbad00" * 3 + "KEY9"
SECRET_ID = "trellolens/development/trello"
SSM_PATH = "/trellolens/development/trello/"
FRAGMENTS = ("CANARY", "0a1b2c3d0a1b2c3d", "f00df00df00d", "badbad00badbad00")
"""Pieces of the canaries: a value cut short or partly shown is a leak too."""


def new_token() -> str:
    """A fresh canary token (``ATTA`` + 72 alphanumerics), so runs never share rate windows."""
    return "ATTA" + ("CANARY" * 10 + uuid.uuid4().hex)[:72]


@dataclass
class Canaries:
    key: str = field(default=CANARY_KEY, repr=False)
    token: str = field(default_factory=new_token, repr=False)
    wrong_token: str = field(default_factory=new_token, repr=False)

    def values(self) -> tuple[str, ...]:
        return (
            self.key,
            self.token,
            self.wrong_token,
            TOML_SECRET,
            ENV_SECRET,
            SM_SECRET,
            SSM_SECRET,
            WRONG_KEY,
        )

    def trello_table(self, token: str | None = None) -> dict[str, str]:
        return {"api_key": self.key, "token": token or self.token, "api_secret": TOML_SECRET}

    def toml(self, token: str | None = None) -> str:
        table = self.trello_table(token)
        return "[trello]\n" + "".join(f'{name} = "{value}"\n' for name, value in table.items())

    def seed_environment(self, token: str | None = None) -> None:
        os.environ.update(
            {
                "TRELLO_API_KEY": self.key,
                "TRELLO_OAUTH_TOKEN": token or self.token,
                "TRELLO_API_SECRET": ENV_SECRET,
            }
        )

    def seed_aws(self, token: str | None = None) -> None:
        """Secrets Manager and SSM (moto, over HTTP) both hold the key, the token and a secret."""
        put_json_secret(
            SECRET_ID, {"api_key": self.key, "token": token or self.token, "api_secret": SM_SECRET}
        )
        put_parameters(
            SSM_PATH, {"api_key": self.key, "token": token or self.token, "api_secret": SSM_SECRET}
        )

    def seed_file(self, path: Path, token: str | None = None, *, mode: int = 0o600) -> Path:
        return write_secrets(path, self.toml(token), mode)

    def emulator(self) -> TrelloEmulator:
        board = generate_export(lists=4, cards=12, actions=40, seed=61)
        board["name"] = "Canary board"
        return TrelloEmulator(boards=[board], key=self.key, tokens=[TokenSpec(self.token)])


def spellings(value: str) -> set[str]:
    return {value, quote(value, safe=""), quote_plus(value)}


@dataclass
class Evidence:
    """Texts a run produced, by place; ``verify`` checks them all for canaries."""

    canaries: Canaries
    gather: Callable[[Evidence], None] | None = None
    parts: list[tuple[str, str]] = field(default_factory=list, repr=False)
    verified: bool = False
    issued: list[Callable[[], Sequence[str]]] = field(default_factory=list, repr=False)
    """More secret values, known only at the end (an OAuth 2.0 server's tokens and codes)."""

    def add(self, where: str, text: object) -> None:
        self.parts.append((where, text if isinstance(text, str) else repr(text)))

    def add_exception(self, where: str, exc: BaseException | None) -> None:
        if exc is not None:
            self.add(where, "".join(traceback.format_exception(exc)) + str(exc) + repr(exc))

    def leaks(self) -> list[str]:
        found = []
        values = [*self.canaries.values(), *(v for more in self.issued for v in more() if v)]
        needles = [s for value in values for s in spellings(value)]
        for where, text in self.parts:
            if any(needle in text for needle in (*needles, *FRAGMENTS)):
                found.append(where)
        return found

    def verify(self) -> str:
        """Gather logs and output, fail naming every place a canary reached; the text seen."""
        self.verified = True
        if self.gather is not None:
            self.gather(self)
        leaks = self.leaks()
        assert not leaks, f"a canary reached: {sorted(set(leaks))}"
        return self.text()

    def text(self) -> str:
        return "\n".join(text for _, text in self.parts)


class LogTap:
    """Every record of every logger at DEBUG: as records (like caplog) and as a handler prints."""

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self.printed = io.StringIO()
        self._lock = threading.Lock()

    def collect(self, evidence: Evidence) -> None:
        for record in self.records:
            where = f"log record of {record.name}"
            evidence.add(where, record.getMessage())
            evidence.add(where, (record.msg, record.args, record.stack_info, record.exc_text))
            evidence.add(where, record.__dict__)
            if record.exc_info and record.exc_info[1] is not None:
                evidence.add_exception(f"exc_info of {record.name}", record.exc_info[1])
        evidence.add("formatted log lines", self.printed.getvalue())


class _Recorder(logging.Handler):
    def __init__(self, tap: LogTap) -> None:
        super().__init__(logging.DEBUG)
        self.tap = tap

    def emit(self, record: logging.LogRecord) -> None:
        self.tap.records.append(record)


@contextmanager
def tapped_logs() -> Iterator[LogTap]:
    """Records of every existing logger (Streamlit's do not propagate) and the root, at DEBUG."""
    tap = LogTap()
    printer = logging.StreamHandler(tap.printed)
    printer.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handlers: list[logging.Handler] = [_Recorder(tap), printer]
    loggers = [logging.getLogger()] + [
        logger
        for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    levels = {"": logging.getLogger().level}
    touched = [logging.getLogger(name) for name in ("streamlit", "httpx", "httpcore", "botocore")]
    for logger in touched + loggers:
        levels.setdefault(logger.name, logger.level)
        logger.setLevel(logging.DEBUG)
    # Streamlit's own console handlers print into the tap, with their own formatter.
    streams: dict[logging.StreamHandler[Any], Any] = {
        handler: handler.stream
        for logger in loggers
        for handler in logger.handlers
        if type(handler) is logging.StreamHandler
    }
    for stream_handler in streams:
        # Not setStream: it flushes the old, maybe closed, stream.
        stream_handler.stream = tap.printed
    for logger in loggers:
        for handler in handlers:
            logger.addHandler(handler)
    try:
        yield tap
    finally:
        for logger in loggers:
            for handler in handlers:
                logger.removeHandler(handler)
        for stream_handler, stream in streams.items():
            stream_handler.stream = stream
        for name, level in levels.items():
            logging.getLogger(name or None).setLevel(level)


class _Echo(BaseHTTPRequestHandler):
    """A hostile Trello: echoes the request's Authorization header and path in its body."""

    status = 403
    json_cut = False

    def do_GET(self) -> None:
        echoed = f"{self.headers.get('Authorization', '')} {self.path}"
        if self.json_cut:
            body = ('{"id": "' + echoed.replace('"', "'") + '", "lists": [').encode()
            self.send_response(200)
        else:
            body = f"forbidden: {echoed}".encode()
            self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logging.getLogger("tests.canary.echo").debug(format, *args)


@contextmanager
def echoing_server(status: int = 403, json_cut: bool = False) -> Iterator[str]:
    """A real server on 127.0.0.1 answering every GET with ``status`` (or cut JSON), echoing."""
    handler = type("Echo", (_Echo,), {"status": status, "json_cut": json_cut})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def secrets_files(paths: Sequence[Path]) -> Iterator[None]:
    """Streamlit reads only ``paths``; its process-wide ``st.secrets`` forgets them afterwards."""
    from streamlit.runtime.secrets import secrets_singleton
    from streamlit.testing.v1.util import patch_config_options

    with patch_config_options({"secrets.files": [str(path) for path in paths]}):
        secrets_singleton._reset()
        try:
            yield
        finally:
            secrets_singleton._reset()
