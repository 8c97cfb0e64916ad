"""``python -m trellolens.testing.emulator`` as a real process, stopped by SIGTERM and SIGINT."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers.paths import SCRUM_2018
from tests.testing.emulator_support import KEY, TOKEN, auth_header

COMMAND = [sys.executable, "-m", "trellolens.testing.emulator", "--port", "0"]


def start(*args: str) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [*COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line.strip())
        if line.startswith("base URL:"):
            return process, lines
    process.kill()
    pytest.fail(f"the emulator did not start: {process.stderr.read() if process.stderr else ''}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serves_given_credentials_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    process, lines = start(
        "--board",
        str(SCRUM_2018),
        "--generate",
        "4,30,100",
        "--key",
        KEY,
        "--token",
        f"{TOKEN}:read,write",
        "--latency-ms",
        "5",
    )
    base_url = lines[-1].removeprefix("base URL: ")
    boards = [line.removeprefix("board: ") for line in lines if line.startswith("board: ")]
    try:
        mine = httpx.get(f"{base_url}/members/me/boards", headers=auth_header(), timeout=5)
        assert sorted(b["id"] for b in mine.json()) == sorted(boards)
        assert len(boards) == 2
        info = httpx.get(f"{base_url}/tokens/{TOKEN}", headers=auth_header(), timeout=5).json()
        assert next(p for p in info["permissions"] if p["modelType"] == "Board")["write"]
    finally:
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "emulator stopped" in out
    assert TOKEN not in "\n".join(lines) + out + err
    assert KEY not in "\n".join(lines) + out + err
    assert err == ""


def test_prints_generated_test_credentials_that_work() -> None:
    process, lines = start("--generate", "3,10,20")
    try:
        key = next(line.split()[1] for line in lines if line.startswith("key: "))
        token = next(line.split()[1] for line in lines if line.startswith("token: "))
        base_url = lines[-1].removeprefix("base URL: ")
        me = httpx.get(f"{base_url}/members/me", headers=auth_header(key, token), timeout=5)
        assert me.status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_bad_board_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x", "name":', encoding="utf-8")
    result = subprocess.run(
        [*COMMAND, "--board", str(broken)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.startswith("emulator: error: broken.json: $: truncated JSON")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_response_limits_from_the_command_line() -> None:
    process, lines = start(
        "--generate", "3,10,20", "--max-cards", "5", "--key", KEY, "--token", TOKEN
    )
    try:
        base_url = lines[-1].removeprefix("base URL: ")
        board = next(line.removeprefix("board: ") for line in lines if line.startswith("board: "))
        refused = httpx.get(f"{base_url}/boards/{board}/cards", headers=auth_header(), timeout=5)
        assert refused.status_code == 403
        assert refused.json()["error"] == "API_TOO_MANY_CARDS_REQUESTED"
    finally:
        process.terminate()
        process.communicate(timeout=10)
