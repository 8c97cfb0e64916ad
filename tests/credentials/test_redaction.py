"""Log redaction through real handlers: every logger, every part of a record, every spelling."""

from __future__ import annotations

import gc
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

import trellolens
from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN
from trellolens.credentials import Secret, redaction
from trellolens.credentials.redaction import MASK

LIBRARY_LOGGERS = (
    "httpx",
    "httpcore.http11",
    "urllib3.connectionpool",
    "botocore.endpoint",
    "boto3.resources",
    "streamlit.runtime.scriptrunner",
    "trellolens.trello.requester",
    "a.logger.made.after.install",
)


def assert_clean(text: str, *values: str) -> None:
    for value in (CANARY_KEY, CANARY_TOKEN, CANARY_SECRET, *values):
        assert value not in text
        assert quote(value, safe="") not in text
    assert "CANARY" not in text


@pytest.fixture
def credentials() -> tuple[Secret, Secret, Secret]:
    redaction.install()
    return Secret(CANARY_KEY), Secret(CANARY_TOKEN), Secret(CANARY_SECRET)


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """A real StreamHandler, added after ``install()``, on each library logger (not propagating)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    saved = []
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    yield out
    for logger, level, propagate in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.mark.parametrize("name", LIBRARY_LOGGERS)
def test_every_part_of_a_record_is_masked_on_every_logger(
    name: str, credentials: tuple[Secret, Secret, Secret], stream: io.StringIO
) -> None:
    key, token, secret = (c.reveal() for c in credentials)
    logger = logging.getLogger(name)
    logger.debug("message with %s", token)
    logger.info(f"f-string with {key} and {secret}")
    logger.warning("dict args %(token)s", {"token": token})
    logger.error("stack", stack_info=True, extra={"header": f"oauth_token={token}"})
    try:
        raise RuntimeError(f"failed with key {key}")
    except RuntimeError:
        logger.exception("caught")
    text = stream.getvalue()
    assert_clean(text)
    assert text.count(MASK) >= 5
    assert "RuntimeError: failed with key [REDACTED]" in text  # the traceback is still there


def test_spellings_and_header_forms_are_masked(credentials: tuple[Secret, Secret, Secret]) -> None:
    key, token, _ = (c.reveal() for c in credentials)
    lines = [
        f"GET /1/tokens/{quote(token)}?fields=all",
        f'Authorization: OAuth oauth_consumer_key="{key}", oauth_token="{token}"',
        f"GET /1/boards/x?key={quote(key)}&token={token} HTTP/1.1",
        f'{{"api_key": "{key}", "token": "{token}"}}',
    ]
    for line in lines:
        assert_clean(redaction.redact(line))


def test_secret_shapes_are_masked_before_any_secret_is_known() -> None:
    redaction.install()
    unknown_token = "ATTA" + "f" * 72
    body = b'{"SecretString":"{\\"api_key\\":\\"0123456789abcdef0123456789abcdef\\"}"}'
    text = redaction.redact(f"token {unknown_token}; Response body: {body!r}; Bearer abcdefgh1234")
    assert unknown_token not in text
    assert "0123456789abcdef" not in text
    assert "abcdefgh1234" not in text


def test_register_secret_masks_a_plain_string_and_short_values_are_left(
    stream: io.StringIO,
) -> None:
    redaction.install()
    plain = "plain" + "CANARY" * 4
    redaction.register_secret(plain)
    redaction.register_secret(Secret("short"))
    logging.getLogger("httpx").warning("%s and a short word", plain)
    assert_clean(stream.getvalue(), plain)
    assert "short word" in stream.getvalue()


def test_a_value_stays_masked_after_its_secret_is_gone(stream: io.StringIO) -> None:
    redaction.install()
    value = "gone" + "CANARY" * 5
    secret = Secret(value)
    logging.getLogger("httpx").info("warm %s", secret)  # the record factory sees it alive
    del secret
    gc.collect()
    logging.getLogger("httpx").info("later %s", value)
    assert_clean(stream.getvalue(), value)


def test_records_built_by_hand_are_cleaned_by_the_handler_filter(
    credentials: tuple[Secret, Secret, Secret], caplog: pytest.LogCaptureFixture
) -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redaction.install()  # the filter goes on handlers that exist at install time
        record = logging.makeLogRecord({"msg": f"by hand {credentials[1].reveal()}"})
        handler.handle(record)
    finally:
        root.removeHandler(handler)
    assert_clean(out.getvalue())
    assert MASK in out.getvalue()


def test_a_bad_format_does_not_print_its_arguments_raw(
    credentials: tuple[Secret, Secret, Secret], capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    logger = logging.getLogger("a.logger.with.a.bad.format")
    handler = logging.StreamHandler(out)
    logger.addHandler(handler)
    try:
        logger.warning("two %s %s", credentials[1].reveal())
    finally:
        logger.removeHandler(handler)
    assert_clean(out.getvalue() + capsys.readouterr().err)
    assert "two %s %s (arguments: ('[REDACTED]',))" in out.getvalue()


def test_streamlits_own_console_handler_prints_masked_lines(
    credentials: tuple[Secret, Secret, Secret],
) -> None:
    from streamlit.logger import get_logger

    logger = get_logger("streamlit.trellolens_redaction_test")
    (handler,) = logger.handlers  # Streamlit's console handler; the logger does not propagate
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    previous = handler.setStream(out)
    try:
        logger.warning("uncaught: %s", credentials[0].reveal())
    finally:
        handler.setStream(previous)
    assert not logger.propagate
    assert_clean(out.getvalue())
    assert "uncaught: [REDACTED]" in out.getvalue()


def test_install_is_idempotent() -> None:
    redaction.install()
    factory = logging.getLogRecordFactory()
    filters = [len(h.filters) for h in logging.getLogger().handlers]
    redaction.install()
    assert logging.getLogRecordFactory() is factory
    assert [len(h.filters) for h in logging.getLogger().handlers] == filters
    assert redaction.installed()


def test_one_token_path_pattern_and_one_mask_spelling() -> None:
    path = f"GET https://api.trello.com/1/tokens/{'abc' * 4}/member HTTP/1.1"
    masked = "GET https://api.trello.com/1/tokens/[REDACTED]/member HTTP/1.1"
    assert redaction.redact(path) == masked
    assert redaction.redact(masked) == masked
    assert MASK == "[REDACTED]"
    assert any(pattern is redaction.TOKEN_PATH for _, pattern, _ in redaction._SHAPES)
    assert not (Path(trellolens.__file__).parent / "trello" / "redaction.py").exists()


def test_trello_client_cleans_httpx_request_lines_without_install() -> None:
    redaction.install_httpx_filter()
    redaction.install_httpx_filter()
    httpx_logger = logging.getLogger("httpx")
    assert httpx_logger.filters.count(redaction._FILTER) == 1
    record = httpx_logger.makeRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: %s",
        ("GET /1/tokens/abcdefghijkl",),
        None,
    )
    assert httpx_logger.filter(record)
    assert record.getMessage() == "HTTP Request: GET /1/tokens/[REDACTED]"
