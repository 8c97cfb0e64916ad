"""Several processes (and replicas sharing Redis) refreshing one rotating refresh token with a
2-second access-token lifetime: nobody ever presents a spent refresh token."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.helpers.oauth2 import CLIENT_SECRET
from tests.trello.oauth2_support import OAuth2Served, oauth2_served
from trellolens.testing.redis_server import RedisServer

__all__ = ["oauth2_served"]
SECONDS = "8"
PROCESSES = 3


def run_together(served: OAuth2Served, store: str, envs: list[dict[str, str]]) -> list[str]:
    path = f"/boards/{served.emulator.board_ids[0]}"  # not /members: 100 per 15 minutes
    workers = [served.worker(store, TEST_SECONDS=SECONDS, TEST_PATH=path, **env) for env in envs]
    time.sleep(3)  # refreshing by now
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
    oauth2 = served.emulator.oauth2
    with oauth2.lock:
        values = [CLIENT_SECRET, *oauth2.access, *oauth2.refresh]
    assert not [value for value in values if value in listing.stdout]  # nothing in `ps`
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, out + err
        outputs.append(out.strip())
    return outputs


def test_processes_on_one_machine_never_reuse_a_refresh_token(
    oauth2_served: OAuth2Served, tmp_path: Path
) -> None:
    served = oauth2_served
    served.emulator.oauth2.access_token_ttl = 2
    path = served.secrets_file(tmp_path)
    outputs = run_together(served, f"file:{path}", [{} for _ in range(PROCESSES)])
    refreshes = sum(int(line.split()[1]) for line in outputs)
    assert all(line.split()[2] == "0" for line in outputs)  # no failed request
    assert served.emulator.oauth2.reuse_detections == 0
    assert served.emulator.oauth2.refreshes == refreshes
    assert refreshes >= PROCESSES * 4  # each process refreshed every ~1.5 s
    print(f"{PROCESSES} processes, {SECONDS} s, 2 s tokens: {refreshes} refreshes, 0 reuse")


def test_replicas_sharing_redis_never_reuse_a_refresh_token(
    oauth2_served: OAuth2Served, tmp_path: Path, redis_server: RedisServer
) -> None:
    served = oauth2_served
    served.emulator.oauth2.access_token_ttl = 2
    path = served.secrets_file(tmp_path)
    machines = []
    for index in range(PROCESSES):  # a lock folder each: only Redis keeps them apart
        folder = tmp_path / f"machine{index}"
        folder.mkdir()
        machines.append({"TEST_LOCK_FOLDER": str(folder), "TRELLOLENS_REDIS_URL": redis_server.url})
    outputs = run_together(served, f"file:{path}", machines)
    refreshes = sum(int(line.split()[1]) for line in outputs)
    assert served.emulator.oauth2.reuse_detections == 0
    assert refreshes >= PROCESSES * 4
    print(f"{PROCESSES} replicas on Redis, {SECONDS} s, 2 s tokens: {refreshes} refreshes, 0 reuse")
