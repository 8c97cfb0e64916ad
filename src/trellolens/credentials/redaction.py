"""Mask every secret value in every log record, whichever logger or handler it goes through.

    from trellolens.credentials import redaction
    redaction.install()                 # the app and the CLI do this at start; idempotent
    redaction.register_secret(value)    # a str (or Secret) that is not a ``Secret`` already
    redaction.redact(text)              # the one function: log lines, URLs, error messages

The one module for it: log records, URLs (``/1/tokens/{token}`` is the one credentialed path
Trello has) and messages shown to people all go through ``redact()``, and a secret is always
replaced by ``MASK`` (``[REDACTED]``). ``Secret``'s own ``repr`` shows ``**********``: that is a
different thing, the stand-in for a value that was never revealed, not the trace of a removal.

What is masked, as ``[REDACTED]``:
- the value of every ``Secret`` made in this process (the credentials layer keeps a weak list of
  them, so the resolver's key, token and API secret and any token a client is given are covered
  without a call at each place), and every value passed to ``register_secret``; each also in its
  percent-encoded, form-encoded and JSON-escaped spellings, in any letter case. Values are remembered after their
  ``Secret`` is gone (the last ``REMEMBERED`` of them), since a copy may still be logged later;
- any run of ``MIN_LENGTH`` (8) or more characters of a credential-shaped known value (16 or more
  letters, digits, ``_`` or ``-``), with the rest of the word it is in: a truncated copy (an
  error showing an entry's first 20 characters, a cut log line) is masked too;
- shapes that are secret whatever their value: Trello tokens (``ATTA...``) and their prefixes
  (``ATTA`` and 8 or more letters or digits), the ``Authorization``
  header (``oauth_token="..."``, ``Bearer ...``), ``key=``/``token=`` query parameters, the
  ``/1/tokens/{token}`` path, and ``"api_key": "..."``-like fields in JSON or TOML text.

How: the log record factory is wrapped, so each record is cleaned once, when it is made, before
any logger filter or handler sees it: records of every logger (ours, httpx, httpcore, urllib3,
botocore, streamlit, whose loggers do not propagate) reach every handler (present, future, or a
test's) clean. A ``RedactingFilter`` is also added to the handlers that exist at ``install()``
(the root's, Streamlit's, ``logging.lastResort``), as a second line for records built without
the factory (``logging.makeLogRecord``) or a factory set later by someone else.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

from trellolens.credentials.secret import Secret, live_secrets, secrets_version

MASK = "[REDACTED]"
"""What a secret is replaced with, in log lines, URLs and messages alike."""
TOKEN_PATH = re.compile(r"(/tokens/)[^/?#\s\"']+")
"""The token endpoint's path segment (``/1/tokens/{token}``): the token is the path, by design."""

MIN_LENGTH = 8
"""Shorter values are not masked: they would blank out ordinary words."""
REMEMBERED = 1024
"""Distinct values of ``Secret`` objects remembered after the objects are gone."""
CREDENTIAL_SHAPED = re.compile(r"[A-Za-z0-9_-]{16,}")
"""Values whose every 8-character run is masked as well (keys, tokens, API secrets)."""
MIN_DISTINCT_IN_RUN = 4
_CANDIDATE_RUN = re.compile(r"[A-Za-z0-9_-]{8,}")
"""Where a run of a credential-shaped value can be, in the text searched."""

_SHAPES: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    # (substrings one of which every match contains, the pattern, its replacement)
    (("atta",), re.compile(r"\bATTA[A-Za-z0-9]{32,}", re.IGNORECASE), MASK),
    # A token's prefix (cut by a length limit); case-sensitive, so "attachments" stays.
    (("ATTA",), re.compile(r"\bATTA[A-Za-z0-9]{8,}"), MASK),
    (
        ("oauth_",),
        re.compile(r'(\boauth_(?:consumer_key|token|signature)\s*=\s*\\*")[^"\\]*'),
        rf"\1{MASK}",
    ),
    (("Bearer",), re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1{MASK}"),
    (
        ("key=", "token=", "secret="),
        re.compile(r"""([?&;](?:key|token|api_key|api_secret|oauth_token)=)[^&\s"'#]+"""),
        rf"\1{MASK}",
    ),
    # The token endpoint's path (httpx logs every request URL at INFO).
    (("/tokens/",), TOKEN_PATH, rf"\1{MASK}"),
    (
        ("key", "Key", "token", "secret", "Secret"),
        re.compile(
            r"""(\b(?:api_key|api_secret|apiKey|apiSecret|oauth_token|token|secret)\\*["']?"""
            r"""\s*[:=]\s*\\*["'])[^"'\\\s]{8,}"""
        ),
        rf"\1{MASK}",
    ),
)
_STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def spellings(value: str) -> set[str]:
    """``value`` as it may appear in text: itself, percent- and form-encoded, JSON-escaped."""
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    return {form for form in forms if len(form) >= MIN_LENGTH}


class _Registry:
    """The values to mask; refreshed from the live ``Secret`` objects when they change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._explicit: set[str] = set()
        self._remembered: OrderedDict[str, None] = OrderedDict()
        self._version = -1
        self.forms: tuple[str, ...] = ()
        """Every spelling, lower-cased, longest first."""
        self.runs: frozenset[str] = frozenset()
        """Every ``MIN_LENGTH``-character run of a credential-shaped value, lower-cased."""

    def add(self, value: str) -> None:
        with self._lock:
            self._explicit.add(value)
            self._rebuild()

    def refresh(self) -> None:
        version = secrets_version()
        if version == self._version:
            return
        values = [secret.reveal() for secret in live_secrets()]
        with self._lock:
            self._version = version
            known = set(self._remembered)
            for value in values:
                self._remembered[value] = None
                self._remembered.move_to_end(value)
            while len(self._remembered) > REMEMBERED:
                self._remembered.popitem(last=False)
            if set(self._remembered) != known:
                self._rebuild()

    def _rebuild(self) -> None:
        forms: set[str] = set()
        for value in (*self._explicit, *self._remembered):
            forms |= spellings(value)
        # Longest first, so a value containing another is masked whole; compared lower-cased,
        # so a copy whose case was changed on the way (``.lower()`` in a message) is caught too.
        self.forms = tuple(sorted({form.lower() for form in forms}, key=len, reverse=True))
        runs = (
            value[start : start + MIN_LENGTH].lower()
            for value in (*self._explicit, *self._remembered)
            if CREDENTIAL_SHAPED.fullmatch(value)
            for start in range(len(value) - MIN_LENGTH + 1)
        )
        # A run with few distinct characters ("ffffffff", "00000000") is no fingerprint of a
        # secret: ids and padding share it. A random secret's other runs still catch its copies.
        self.runs = frozenset(run for run in runs if len(set(run)) >= MIN_DISTINCT_IN_RUN)


_registry = _Registry()


def register_secret(value: Secret | str) -> None:
    """Mask ``value`` in every log record from now on (for as long as the process runs)."""
    _registry.add(value.reveal() if isinstance(value, Secret) else value)


def redact(text: str) -> str:
    """``text`` with every known secret value and secret-shaped string replaced by ``MASK``."""
    _registry.refresh()
    lowered = text.lower()
    for form in _registry.forms:
        if form in lowered:
            text = re.sub(re.escape(form), MASK, text, flags=re.IGNORECASE)
            lowered = text.lower()
    if _registry.runs:
        text = _CANDIDATE_RUN.sub(lambda found: _mask_runs(found.group(), _registry.runs), text)
        lowered = text.lower()
    for triggers, pattern, replacement in _SHAPES:
        if any(trigger in text or trigger in lowered for trigger in triggers):
            text = pattern.sub(replacement, text)
    return text


def _mask_runs(word: str, runs: frozenset[str]) -> str:
    """``word`` (letters, digits, ``_``, ``-``) as MASK when any run of it is a known secret's.

    The whole word goes: the rest of a cut token next to a known run is as secret as the run.
    """
    lowered = word.lower()
    for start in range(len(word) - MIN_LENGTH + 1):
        if lowered[start : start + MIN_LENGTH] in runs:
            return MASK
    return word


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Clean ``record`` in place: message and arguments, exception, stack and extra fields."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 -- a bad format must not print its raw arguments later
        message = f"{record.msg} (arguments: {record.args!r})"
        record.msg, record.args = redact(message), ()
    else:
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[1] is not None:
        rendered = _render_exception(record)
        clean = redact(rendered)
        if clean != rendered:
            # The exception object holds the value: handlers get only the cleaned text.
            record.exc_text, record.exc_info = clean, None
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    for name, value in list(record.__dict__.items()):
        if name not in _STANDARD_ATTRIBUTES and isinstance(value, str):
            setattr(record, name, redact(value))
    return record


def _render_exception(record: logging.LogRecord) -> str:
    if record.exc_text:
        return record.exc_text
    try:
        return logging.Formatter().formatException(record.exc_info)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 -- an exception whose str() fails
        return f"{type(exc).__name__} while rendering an exception"


class RedactingFilter(logging.Filter):
    """A handler filter running ``redact_record``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_FILTER = RedactingFilter()
_install_lock = threading.Lock()


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(factory(*args, **kwargs))

    make_record.redacting = True  # type: ignore[attr-defined]
    return make_record


def _handlers() -> list[logging.Handler]:
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger
        for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    handlers = [handler for logger in loggers for handler in logger.handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    return handlers


def install_httpx_filter() -> None:
    """Clean the records of the ``httpx`` logger (its request lines hold URLs); once per process.

    ``TrelloClient`` calls this, so a library user who never calls ``install()`` still gets no
    token in httpx's ``HTTP Request: GET .../1/tokens/<token>`` lines.
    """
    logger = logging.getLogger("httpx")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def install() -> None:
    """Redact every log record of this process from now on; cheap to call again (every rerun)."""
    with _install_lock:
        factory = logging.getLogRecordFactory()
        if not getattr(factory, "redacting", False):
            logging.setLogRecordFactory(_redacting(factory))
        for handler in _handlers():
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)


def installed() -> bool:
    """Whether the record factory in place redacts (``install()`` ran and nobody replaced it)."""
    return bool(getattr(logging.getLogRecordFactory(), "redacting", False))
