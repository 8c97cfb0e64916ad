"""deploy/haproxy/haproxy.cfg run by Debian's haproxy in front of the webhook receiver, over real
HTTP: a Content-Length above 1 MB is refused at the proxy, a huge chunked body is cut off, a slow
body is dropped within seconds (not the 60 s client timeout), and a genuine delivery still passes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.deploy.test_scale_out_deploy import HAPROXY, HAPROXY_CFG
from tests.webhooks.receiver_probe import Answer, post_headers, send_chunked, trickle_slow_body
from tests.webhooks.support import CANARY_SECRET, serving
from trellolens.credentials import Secret
from trellolens.testing.redis_server import free_port
from trellolens.webhooks.receiver import receiver_app
from trellolens.webhooks.signature import webhook_signature

HELD_AT_MOST = 8.0
"""Seconds a slow body may hold a connection through the proxy."""
BOARD_ID = "5f" + "0" * 22


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(haproxy's port, the callback URL, the boards the receiver saw change)."""
    if not shutil.which(HAPROXY):
        pytest.fail("haproxy is not installed: `make test` installs Debian's haproxy")
    listen = free_port()
    callback = f"http://127.0.0.1:{listen}/trello/webhook"
    changed: list[str] = []
    with serving(receiver_app(Secret(CANARY_SECRET), callback, changed.append)) as receiver:
        unused = str(free_port())
        env = {
            **os.environ,
            "TRELLOLENS_LISTEN": f"127.0.0.1:{listen}",
            "TRELLOLENS_WEBHOOKS": f"127.0.0.1:{receiver}",
            **{f"TRELLOLENS_APP{n}": f"127.0.0.1:{unused}" for n in (1, 2, 3)},
        }
        log = (tmp_path / "haproxy.log").open("wb")
        process = subprocess.Popen(
            [HAPROXY, "-f", str(HAPROXY_CFG)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(listen, process)
            yield listen, callback, changed
        finally:
            process.terminate()
            process.wait(10)
            log.close()


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    until = time.monotonic() + 10
    while True:
        assert process.poll() is None, "haproxy exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < until, "haproxy did not listen"
            time.sleep(0.05)


def test_a_content_length_above_one_megabyte_is_refused_at_the_proxy(
    proxy: tuple[int, str, list[str]],
) -> None:
    port, _, _ = proxy
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        answer = Answer(conn)
        conn.sendall(post_headers("Content-Length: 50000000\r\n"))
        text = answer.wait(5)
    assert text.startswith("HTTP/1.1 413"), text[:200]
    assert "<h1>413" in text, "refused by haproxy itself, before the receiver"


def test_a_huge_chunked_body_is_cut_off(proxy: tuple[int, str, list[str]]) -> None:
    port, _, _ = proxy
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        answer = Answer(conn)
        sent = send_chunked(conn, 50_000_000)
        text = answer.wait(10)
    assert text.startswith("HTTP/1.1 413"), text[:200]
    assert sent < 50_000_000


def test_a_slow_body_is_dropped_within_seconds(proxy: tuple[int, str, list[str]]) -> None:
    port, _, _ = proxy
    text, held = trickle_slow_body(port, give_up_after=30)
    assert text.startswith("HTTP/1.1 408"), text[:200]
    assert "<h1>408" in text, "the proxy itself must drop a slow body, not wait on the receiver"
    assert held < HELD_AT_MOST, f"a slow body held the connection for {held:.1f} s"


def test_a_genuine_delivery_still_reaches_the_receiver(proxy: tuple[int, str, list[str]]) -> None:
    _, callback, changed = proxy
    moment = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    body = (
        f'{{"action": {{"id": "a1", "date": "{moment}", "data": {{"board": {{"id": "{BOARD_ID}"}}}}}},'
        f' "model": {{"id": "{BOARD_ID}"}}}}'
    ).encode()
    signed = {"X-Trello-Webhook": webhook_signature(Secret(CANARY_SECRET), body, callback)}
    answer = httpx.post(callback, content=body, headers=signed, timeout=10)
    assert answer.status_code == 200, answer.text
    assert changed == [BOARD_ID]
