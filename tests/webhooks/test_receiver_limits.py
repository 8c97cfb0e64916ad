"""The receiver over real HTTP against hostile bodies: a huge chunked body is refused before it is
buffered (the process does not grow by its size), a ``Content-Length`` above the limit is refused
without reading, and a body trickling in is cut off within seconds."""

from __future__ import annotations

import asyncio
import socket
import time
import tracemalloc
from collections.abc import Iterator

import pytest
from starlette.requests import Request

from tests.webhooks.receiver_probe import Answer, post_headers, send_chunked, trickle_slow_body
from tests.webhooks.support import CANARY_SECRET, serving
from trellolens.credentials import Secret
from trellolens.webhooks.body import BodyRefused, bounded_body
from trellolens.webhooks.receiver import MAX_BODY_BYTES, receiver_app

HOSTILE_BYTES = 50_000_000
HELD_AT_MOST = 7.0
"""Seconds a slow body may hold a connection (the receiver allows 5)."""


@pytest.fixture
def port() -> Iterator[int]:
    changed: list[str] = []
    app = receiver_app(Secret(CANARY_SECRET), "http://127.0.0.1/trello/webhook", changed.append)
    with serving(app) as port:
        yield port
    assert changed == []


def test_a_huge_unsigned_chunked_body_is_refused_before_it_is_buffered(port: int) -> None:
    tracemalloc.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            answer = Answer(conn)
            sent = send_chunked(conn, HOSTILE_BYTES)
            text = answer.wait(10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert text.startswith("HTTP/1.1 413"), text[:200]
    assert peak < 8 * MAX_BODY_BYTES, f"the process grew by {peak / 1e6:.0f} MB for one request"
    assert sent < HOSTILE_BYTES, "the receiver read the whole 50 MB before refusing it"


def test_a_content_length_above_the_limit_is_refused_without_reading(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        answer = Answer(conn)
        conn.sendall(post_headers(f"Content-Length: {HOSTILE_BYTES}\r\n"))
        text = answer.wait(3)
    assert text.startswith("HTTP/1.1 413"), text[:200]
    assert "body too large" in text


def test_a_slow_body_is_cut_off_within_seconds(port: int) -> None:
    text, held = trickle_slow_body(port, give_up_after=20)
    assert text.startswith("HTTP/1.1 408"), text[:200]
    assert held < HELD_AT_MOST, f"a slow body held the connection for {held:.1f} s"


def test_a_sender_that_hangs_up_mid_body_changes_nothing(
    port: int, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(post_headers("Content-Length: 1000\r\n") + b'{"action": ')
        time.sleep(0.2)
    until = time.monotonic() + 5
    while "went away" not in caplog.text:
        assert time.monotonic() < until, caplog.text
        time.sleep(0.05)


def test_a_content_length_that_is_not_a_number_is_refused() -> None:
    async def nothing() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"12x")]}
    refused = asyncio.run(bounded_body(Request(scope, nothing), 10, 1.0))
    assert refused == BodyRefused(400, "bad Content-Length")
