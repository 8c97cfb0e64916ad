"""A separate process that uses the OAuth 2.0 token manager (``python -m tests.helpers.oauth2_worker``).

Configured by TEST_* variables; kills itself with SIGKILL at TEST_CRASH_AT (a refresh step).
Prints one line: ``ok <refreshes>`` or ``error: <message>``; exit status 0 or 1.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import httpx

from trellolens.credentials import Secret
from trellolens.errors import TrellolensError
from trellolens.trello.oauth2 import BearerAuth, TokenManager
from trellolens.trello.oauth2_store import (
    RefreshTokenStore,
    SecretsFileStore,
    SecretsManagerStore,
    SsmStore,
)


def store() -> RefreshTokenStore:
    kind, place = os.environ["TEST_STORE"].split(":", 1)
    if kind == "file":
        return SecretsFileStore(Path(place))
    if kind == "sm":
        return SecretsManagerStore(place)
    return SsmStore(place)


def checkpoint(step: str) -> None:
    if os.environ.get("TEST_CRASH_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    lock_folder = os.environ.get("TEST_LOCK_FOLDER")
    manager = TokenManager(
        Secret(os.environ["TEST_CLIENT_ID"]),
        Secret(os.environ["TEST_CLIENT_SECRET"]),
        store(),
        auth_base_url=os.environ["TEST_AUTH_BASE"],
        checkpoint=checkpoint,
        lock_folder=Path(lock_folder) if lock_folder else None,
    )
    seconds = float(os.environ.get("TEST_SECONDS", "0"))
    api = httpx.Client(base_url=os.environ["TEST_API_BASE"], auth=BearerAuth(manager))
    failures = 0
    try:
        end = time.monotonic() + seconds
        while True:
            if api.get(os.environ.get("TEST_PATH", "/members/me")).status_code != 200:
                failures += 1
            if time.monotonic() >= end:
                break
            time.sleep(0.2)
    except TrellolensError as error:
        print(f"error: {error}", flush=True)
        return 1
    print(f"ok {manager.refreshes} {failures}", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
