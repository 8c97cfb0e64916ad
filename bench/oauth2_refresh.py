"""OAuth 2.0 refresh under contention: 3 replicas on one Redis, 2-second access tokens, 60 s.

Three processes, each with its own lock folder (so only the Redis lock keeps them apart, as on
three machines), share one secrets file holding the rotating refresh token and read a board from
the Trello emulator every 0.2 s through ``BearerAuth``. The emulator revokes the whole chain the
first time a spent refresh token comes back. Goal: 0 reuse revocations, 0 failed requests.
Run: .venv/bin/python bench/oauth2_refresh.py [SECONDS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET  # noqa: E402
from tests.testing.emulator_support import make_emulator  # noqa: E402
from tests.trello.oauth2_support import OAuth2Served  # noqa: E402

from trellolens.testing.redis_server import RedisServer  # noqa: E402

REPLICAS = 3


def main(seconds: str) -> int:
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    emulator.oauth2.access_token_ttl = 2
    with (
        emulator.serve() as base_url,
        RedisServer.start() as redis,
        tempfile.TemporaryDirectory() as tmp,
    ):
        served = OAuth2Served(emulator, base_url, emulator.oauth2.base_url(base_url))
        path = served.secrets_file(Path(tmp))
        board = f"/boards/{emulator.board_ids[0]}"
        workers = []
        for index in range(REPLICAS):
            folder = Path(tmp) / f"machine{index}"
            folder.mkdir()
            workers.append(
                served.worker(
                    f"file:{path}",
                    TEST_SECONDS=seconds,
                    TEST_PATH=board,
                    TEST_LOCK_FOLDER=str(folder),
                    TRELLOLENS_REDIS_URL=redis.url,
                )
            )
        started = time.monotonic()
        outputs = [
            worker.communicate(timeout=float(seconds) + 240)[0].strip() for worker in workers
        ]
        elapsed = time.monotonic() - started
    api = [r for r in emulator.requests if r.path.startswith("/1/")]
    failed = sum(1 for r in api if r.status != 200)
    print(f"{REPLICAS} replicas, {seconds} s ({elapsed:.0f} s with start-up), 2 s access tokens")
    print(
        f"  refreshes {emulator.oauth2.refreshes}, reuse revocations {emulator.oauth2.reuse_detections}"
    )
    print(f"  API requests {len(api)}, failed {failed}; workers: {outputs}")
    return 0 if emulator.oauth2.reuse_detections == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "60"))
