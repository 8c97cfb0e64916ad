"""Single-flight refresh: one refresh at a time per refresh-token store, everywhere it is shared.

Three locks, taken in this order and released in reverse: a lock per store in this process
(threads), an ``flock`` on a private file named after the store (processes on this machine; the
kernel drops it if the holder dies), and, with ``TRELLOLENS_REDIS_URL``, a Redis lock with a
lease (replicas). Whoever holds them re-reads the store before refreshing, so a token rotated by
another holder is used instead of the spent one. Lock names hash the store's identity: no value.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from trellolens.errors import TrelloUnavailableError

if TYPE_CHECKING:
    from redis import Redis

LEASE_SECONDS = 20.0
"""How long a Redis lock outlives a holder that died (a refresh takes well under a second)."""
WAIT_SECONDS = 60.0
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_thread_locks: dict[str, threading.Lock] = {}
_registry_lock = threading.Lock()


def _digest(identity: str) -> str:
    return hashlib.sha256(b"trellolens-refresh-lock:" + identity.encode()).hexdigest()[:20]


def _thread_lock(identity: str) -> threading.Lock:
    with _registry_lock:
        return _thread_locks.setdefault(identity, threading.Lock())


def lock_file(identity: str, folder: Path | None = None) -> Path:
    """The private lock file for a store: in the temporary folder, named per user and store."""
    base = folder or Path(tempfile.gettempdir())
    return base / f"trellolens-{os.getuid()}-refresh-{_digest(identity)}.lock"


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _redis_lock(client: Redis, name: str, wait: float, lease: float) -> Iterator[None]:
    from redis.exceptions import RedisError

    holder = secrets.token_hex(16)
    deadline = time.monotonic() + wait
    pause = 0.02
    try:
        while not client.set(name, holder, nx=True, px=int(lease * 1000)):
            if time.monotonic() > deadline:
                raise TrelloUnavailableError(
                    "another replica has been refreshing the OAuth 2.0 token for over "
                    f"{wait:.0f} s (Redis lock); try again shortly"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.25)
    except RedisError as exc:
        raise TrelloUnavailableError(
            f"cannot take the OAuth 2.0 refresh lock in Redis ({type(exc).__name__}); "
            "refusing to refresh without it, as replicas could spend the same token twice"
        ) from None
    try:
        yield
    finally:
        with contextlib.suppress(RedisError):
            client.eval(_RELEASE, 1, name, holder)


class RefreshLock:
    """Held around every refresh of one store: ``with lock.held(): ...``."""

    def __init__(
        self,
        identity: str,
        redis: Redis | None = None,
        *,
        folder: Path | None = None,
        wait: float = WAIT_SECONDS,
        lease: float = LEASE_SECONDS,
    ) -> None:
        self._thread = _thread_lock(identity)
        self.path = lock_file(identity, folder)
        self._redis = redis
        self.redis_key = "trellolens:oauth2:refresh-lock:" + _digest(identity)
        self._wait = wait
        self._lease = lease

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._thread, _file_lock(self.path):
            if self._redis is None:
                yield
                return
            with _redis_lock(self._redis, self.redis_key, self._wait, self._lease):
                yield
