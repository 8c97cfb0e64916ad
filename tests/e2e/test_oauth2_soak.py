"""The OAuth 2.0 soak: three library processes (``TrelloConnection``) and three app replicas (real
Streamlit servers, their pages loaded in Debian's chromium) share one grant and one real
redis-server, with 2-second access tokens, for a minute (SOAK_SECONDS). Each has its own lock
folder, so only Redis keeps them from refreshing at once. Shown: 0 reuse revocations (no refresh
token presented twice), 0 failed requests and 0 failed page loads; meanwhile no access token,
refresh token or client secret in ``ps`` output, in Redis or in the servers' logs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.helpers.canaries import write_secrets
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET, token_for
from tests.helpers.paths import REPO_ROOT
from tests.helpers.servers import clean_env, free_port, wait_healthy
from tests.testing.emulator_support import make_emulator
from trellolens.testing import TrelloEmulator
from trellolens.testing.redis_server import RedisServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
COPIES = 3
APP = Path(__file__).parent / "soak" / "oauth2_app.py"
PAGE_TIMEOUT_MS = 20_000
GRANT = """[trello]
client_id = "{client_id}"
client_secret = "{client_secret}"
refresh_token = "{refresh}"
"""


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    emulator.oauth2.access_token_ttl = 2
    with emulator.serve() as base_url:
        yield emulator, base_url


def environment(
    project: Path, base_url: str, auth_base: str, redis_url: str, board_id: str, index: str
) -> dict[str, str]:
    locks = project / "locks" / index  # a lock folder each: as if on separate machines
    locks.mkdir(parents=True)
    return {
        **clean_env(),
        "PYTHONPATH": str(REPO_ROOT),
        "TMPDIR": str(locks),
        "TRELLOLENS_SOURCES": "streamlit",
        "TRELLO_API_BASE_URL": base_url,
        "TRELLO_AUTH_BASE_URL": auth_base,
        "TRELLOLENS_REDIS_URL": redis_url,
        "SOAK_BOARD_ID": board_id,
    }


@contextmanager
def started(
    command: list[str], cwd: Path, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def replica(
    stack: ExitStack, project: Path, env: dict[str, str], index: int
) -> tuple[str, subprocess.Popen[bytes], Path]:
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    command += ["--server.headless", "true"]
    log = project / f"replica{index}.log"
    process = stack.enter_context(started(command, project, env, log))
    return f"http://127.0.0.1:{port}", process, log


def load_pages(
    browser: Any, urls: list[str], until: float, midway: Callable[[], None]
) -> tuple[int, list[str]]:
    """Load every replica's page at once, again and again until the soak ends: (loads, failures).
    ``midway`` is called once, after the first round (every process is refreshing by then)."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context()
    pages = [context.new_page() for _ in urls]
    loads, failures = 0, []
    try:
        while time.time() < until:
            for page, url in zip(pages, urls, strict=True):
                page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
            for page in pages:
                try:
                    line = page.get_by_text("soak-", exact=False).first
                    line.wait_for(timeout=PAGE_TIMEOUT_MS)
                    text = line.inner_text()
                    if not text.startswith("soak-ok"):
                        failures.append(text)
                except PlaywrightError as exc:  # a timeout: the page never showed the board
                    shown = page.inner_text("body")[:160] if not page.is_closed() else ""
                    failures.append(f"{type(exc).__name__} at {page.url}: {shown!r}")
                loads += 1
            if loads == len(urls):
                midway()
    finally:
        context.close()
    return loads, failures


def no_secret_in_redis(url: str, values: list[str]) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    for key in client.scan_iter():
        kind = client.type(key)
        stored = str(key)
        if kind == "string":
            stored += str(client.get(key))
        elif kind == "hash":
            stored += str(client.hgetall(key))
        assert not [value for value in values if value in stored], key


def test_three_processes_and_three_replicas_share_one_grant_for_a_minute(
    served: tuple[TrelloEmulator, str], redis_server: RedisServer, browser: Any, tmp_path: Path
) -> None:
    emulator, base_url = served
    auth_base = emulator.oauth2.base_url(base_url)
    refresh = str(token_for(auth_base)["refresh_token"])
    write_secrets(
        tmp_path / ".streamlit" / "secrets.toml",
        GRANT.format(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh=refresh),
    )
    board_id = emulator.board_ids[0]

    def env(index: str) -> dict[str, str]:
        return environment(tmp_path, base_url, auth_base, redis_server.url, board_id, index)

    with ExitStack() as stack:
        servers = [replica(stack, tmp_path, env(f"replica{i}"), i) for i in range(COPIES)]
        for url, process, log in servers:
            wait_healthy(url, process, log, 60)
        until = time.time() + SECONDS
        worker = [sys.executable, "-m", "tests.e2e.soak.oauth2_worker"]
        workers = [
            subprocess.Popen(
                worker,
                cwd=tmp_path,
                env={**env(f"worker{i}"), "SOAK_END": str(until)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(COPIES)
        ]
        started_at = time.monotonic()
        listings: list[str] = []

        def list_processes() -> None:
            ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
            listings.append(ps.stdout)

        loads, failures = load_pages(browser, [u for u, _, _ in servers], until, list_processes)
        outputs = [w.communicate(timeout=120) for w in workers]
        elapsed = time.monotonic() - started_at
    oauth2 = emulator.oauth2
    values = [*oauth2.secrets(), CLIENT_SECRET]
    assert oauth2.reuse_detections == 0
    assert failures == []
    for (out, err), done in zip(outputs, workers, strict=True):
        assert done.returncode == 0, out + err
    requests = sum(int(out.split()[1]) for out, _ in outputs)
    assert requests >= COPIES * SECONDS / 2  # each worker asked Trello every ~0.3 s
    assert loads >= COPIES * 2  # every replica served several fresh page loads
    assert oauth2.refreshes >= SECONDS / 2  # a refresh every 1.5 s or so, shared by all
    assert "oauth2_worker" in listings[0]  # taken while every copy ran
    assert not [value for value in values if value in listings[0]]  # nothing in `ps`
    no_secret_in_redis(redis_server.url, values)
    logs = "".join((tmp_path / f"replica{i}.log").read_text() for i in range(COPIES))
    logs += "".join(out + err for out, err in outputs)
    assert not [value for value in values if value in logs]
    print(
        f"soak: {COPIES} processes + {COPIES} replicas, {elapsed:.0f} s, 2 s access tokens: "
        f"{oauth2.refreshes} refreshes, {requests} worker requests, {loads} page loads, "
        "0 reuse revocations, 0 failures"
    )
