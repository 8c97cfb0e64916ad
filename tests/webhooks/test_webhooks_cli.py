"""`trellolens webhooks register|list|delete` against the emulator; `serve` refuses to start
without what it needs, in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
import redis
from click.testing import CliRunner, Result

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.webhooks.support import CANARY_SECRET, Setup
from tests.webhooks.test_webhooks import SECRET, delivery
from trellolens.cli.main import cli
from trellolens.testing.redis_server import RedisServer, free_port
from trellolens.webhooks.signature import webhook_signature


@pytest.fixture
def env(setup: Setup) -> Setup:
    for name in [n for n in os.environ if n.startswith(("TRELLO", "AWS_"))]:
        del os.environ[name]  # tests/conftest.py restores them
    os.environ.update(
        {
            "TRELLOLENS_SOURCES": "env",
            "TRELLO_API_KEY": CANARY_KEY,
            "TRELLO_OAUTH_TOKEN": CANARY_TOKEN,
            "TRELLO_API_BASE_URL": setup.base_url,
        }
    )
    return setup


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert_no_canary(result.stdout + result.stderr)
    assert CANARY_SECRET not in result.stdout + result.stderr
    return result


def test_register_list_delete(env: Setup) -> None:
    registered = invoke("webhooks", "register", env.board_id, "--callback", env.callback_url)
    assert registered.exit_code == 0, registered.stderr
    hook_id = registered.stdout.split()[0]
    listed = invoke("webhooks", "list")
    assert listed.stdout.strip() == f"{hook_id}  board {env.board_id} -> {env.callback_url}"
    deleted = invoke("webhooks", "delete", hook_id)
    assert deleted.exit_code == 0
    assert invoke("webhooks", "list").stdout == ""


def test_bad_input_is_one_line(env: Setup) -> None:
    for args in (
        ["register", "not-an-id", "--callback", env.callback_url],
        ["register", env.board_id, "--callback", "http://example.com/hook"],
        ["delete", "../boards"],
    ):
        result = invoke("webhooks", *args)
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1


def test_serve_needs_the_api_secret_and_redis(env: Setup) -> None:
    no_secret = invoke("webhooks", "serve", "--callback", env.callback_url)
    assert no_secret.exit_code == 2
    assert "api_secret" in no_secret.stderr
    os.environ["TRELLO_API_SECRET"] = CANARY_SECRET
    os.environ.pop("TRELLOLENS_REDIS_URL", None)
    no_redis = invoke("webhooks", "serve", "--callback", env.callback_url)
    assert no_redis.exit_code == 2
    assert "TRELLOLENS_REDIS_URL" in no_redis.stderr


def test_serve_receives_a_signed_delivery_as_its_own_process(
    env: Setup, redis_server: RedisServer
) -> None:
    """`trellolens webhooks serve` itself (uvicorn): HEAD answers, a signed POST bumps Redis.

    It runs with the API secret and Redis only: no API key, no token in its environment.
    """
    port = free_port()
    callback = f"http://127.0.0.1:{port}/trello/webhook"
    server_env = {
        **{
            k: v for k, v in os.environ.items() if k not in ("TRELLO_API_KEY", "TRELLO_OAUTH_TOKEN")
        },
        "TRELLO_API_SECRET": CANARY_SECRET,
        "TRELLOLENS_REDIS_URL": redis_server.url,
    }
    args = ["webhooks", "serve", "--callback", callback, "--port", str(port)]
    with subprocess.Popen(
        [sys.executable, "-m", "trellolens.cli", *args],
        env=server_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as receiver:
        try:
            until = time.monotonic() + 30
            while True:
                try:
                    if httpx.head(callback, timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert receiver.poll() is None, "the receiver exited"
                assert time.monotonic() < until, "the receiver did not answer HEAD"
                time.sleep(0.1)
            body = delivery(env)
            signed = {"X-Trello-Webhook": webhook_signature(SECRET, body, callback)}
            assert httpx.post(callback, content=body, headers=signed).status_code == 200
            forged = {"X-Trello-Webhook": webhook_signature(SECRET, body + b" ", callback)}
            assert httpx.post(callback, content=body, headers=forged).status_code == 401
        finally:
            receiver.terminate()
            output, _ = receiver.communicate(timeout=10)
    with redis.Redis.from_url(redis_server.url) as check:
        assert check.get(f"trellolens:board-version:{env.board_id}") == b"1"
    text = output.decode(errors="replace")
    assert "signature does not match" in text
    assert CANARY_SECRET not in text
    assert redis_server.password not in text
    assert_no_canary(text)
