"""`trellolens fetch` end to end against py-trello 0.20.1, on the real scrum board, in one run.

The Trello emulator serves tests/fixtures/trello-exports/scrum-board-2018.json over HTTP on
127.0.0.1 with 40 ms of latency on every request. Each side is a fresh process, timed from start
to exit, that loads the same information (lists, cards open and archived with custom field values,
checklists, labels, members, custom field definitions, the card history's action types) and saves
it as JSON:

- `trellolens fetch BOARD_ID --out FILE` (credentials from the environment);
- py-trello with its board-level calls, the headline peer (bench/py_trello_load.py
  ``board_level``): ``all_cards()``, ``get_checklists()``, ``get_labels()``,
  ``get_custom_field_definitions()``, ``fetch_actions(types, 1000, before=)`` pages, then
  ``json.dump``;
- py-trello per card, a second row (``per_card``: ``fetch_checklists`` and ``fetch_actions`` per
  card, what its object API invites; about two requests per card);
- the floor: a stdlib script that GETs the same one board request trellolens makes
  (urllib.request), then ``json.loads`` and ``json.dump``: what no client of that request beats.

Every command gets one warm-up run (the file cache, .pyc files), then REPEATS runs interleaved;
best and median. The emulator's rate limits are relaxed: under Trello's real 100 requests per
10 s per token the per-card script would be refused on a big board. Both sides run with compiled
.pyc files, as any installed package does (PYTHONDONTWRITEBYTECODE, which some shells set, is
dropped). This machine is shared and noisy: compare the ratios.

Run: .venv/bin/python bench/fetch.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from results import best_median, record, repeats
from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator
from trellolens.trello import CARD_HISTORY_TYPES
from trellolens.trello.history import ACTIONS_PAGE
from trellolens.trello.snapshot import board_params

ROOT = Path(__file__).resolve().parent.parent
SCRUM = ROOT / "tests" / "fixtures" / "trello-exports" / "scrum-board-2018.json"
BIN = Path(sys.executable).parent
LATENCY_MS = 40
REPEATS = repeats(7, 3)
PEER = Path(__file__).resolve().parent / "py_trello_load.py"
KEY = "canary" + "0c1d2e3f" * 3 + "KEY3"
TOKEN = "ATTA" + "CANARY" * 10 + "FETCH3"
SECRET = "canary" + "beef" * 14 + "SEC3"
RELAXED = RateLimits(token_max=1_000_000, key_max=1_000_000)

FLOOR = """
import json, sys, urllib.parse, urllib.request
url, out, key, token, params = sys.argv[1:]
request = urllib.request.Request(
    url + "?" + params,
    headers={"Authorization": f'OAuth oauth_consumer_key="{key}", oauth_token="{token}"'},
)
with urllib.request.urlopen(request) as answer:
    board = json.loads(answer.read())
with open(out, "w", encoding="utf-8") as file:
    json.dump(board, file)
"""


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {done.stderr.strip()[-500:]}")
    return elapsed, done.stdout.strip()


def commands(export: dict[str, Any], base_url: str, out: str) -> dict[str, list[str]]:
    board_id, types = export["id"], ",".join(CARD_HISTORY_TYPES)
    peer = [sys.executable, str(PEER)]
    credentials = [KEY, SECRET, TOKEN, types]
    query = urllib.parse.urlencode(board_params(types, ACTIONS_PAGE))
    return {
        "trellolens fetch": [str(BIN / "trellolens"), "fetch", board_id, "--out", out],
        "py-trello board-level": [*peer, "board_level", base_url, board_id, out, *credentials],
        "py-trello per card": [*peer, "per_card", base_url, board_id, out, *credentials],
        "floor (urllib + json)": [
            sys.executable,
            "-c",
            FLOOR,
            f"{base_url}/boards/{board_id}",
            out,
            KEY,
            TOKEN,
            query,
        ],
    }


def measure(
    emulator: TrelloEmulator, argvs: dict[str, list[str]], env: dict[str, str], out: str
) -> tuple[dict[str, list[float]], dict[str, int], dict[str, dict[str, int]]]:
    seconds: dict[str, list[float]] = {name: [] for name in argvs}
    requests: dict[str, int] = {}
    loaded: dict[str, dict[str, int]] = {}
    for round_number in range(1 + REPEATS):  # round 0: everyone's warm-up
        for name, argv in argvs.items():
            before = len(emulator.requests)
            elapsed, _ = timed(argv, env)
            requests[name] = len(emulator.requests) - before
            loaded[name] = saved_counts(Path(out))
            if round_number:
                seconds[name].append(elapsed)
    return seconds, requests, loaded


def saved_counts(path: Path) -> dict[str, int]:
    saved = json.loads(path.read_text(encoding="utf-8"))
    names = ("lists", "cards", "checklists", "labels", "members", "customFields", "actions")
    return {name: len(saved.get(name) or []) for name in names}


def main() -> None:
    export = json.loads(SCRUM.read_text(encoding="utf-8"))
    emulator = TrelloEmulator(
        boards=[export],
        key=KEY,
        tokens=[TokenSpec(TOKEN)],
        latency_ms=LATENCY_MS,
        rate_limits=RELAXED,
    )
    dropped = ("TRELLO", "AWS_", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    with emulator.serve() as base_url, tempfile.TemporaryDirectory() as folder:
        env |= {
            "TRELLO_API_KEY": KEY,
            "TRELLO_TOKEN": TOKEN,
            "TRELLO_API_BASE_URL": base_url,
            "TRELLOLENS_SOURCES": "env",
            "HOME": folder,
        }
        out = str(Path(folder) / "board.json")
        seconds, requests, loaded = measure(emulator, commands(export, base_url, out), env, out)
    report(export, seconds, requests, loaded)


def report(
    export: dict[str, Any],
    seconds: dict[str, list[float]],
    requests: dict[str, int],
    loaded: dict[str, dict[str, int]],
) -> None:
    print(
        f"Scrum board: {len(export['lists'])} lists, {len(export['cards'])} cards, "
        f"{len(export['actions'])} actions; {LATENCY_MS} ms latency per request; "
        f"emulator rate limits relaxed; one warm-up each, {REPEATS} runs interleaved"
    )
    for name, runs in seconds.items():
        print(f"  {name:<22} {requests[name]:>4} requests   {best_median(runs)}   {loaded[name]}")
    if loaded["py-trello board-level"] != loaded["trellolens fetch"]:
        raise SystemExit(f"the loads differ: {loaded}")
    ours = statistics.median(seconds["trellolens fetch"])
    floor = statistics.median(seconds["floor (urllib + json)"])
    for name, how in (
        (
            "py-trello board-level",
            "board-level calls (all_cards, get_checklists, get_labels, "
            "get_custom_field_definitions, fetch_actions pages)",
        ),
        ("py-trello per card", "second row, per card (fetch_checklists, fetch_actions)"),
    ):
        ratio = statistics.median(seconds[name]) / ours
        got, wanted = loaded[name]["actions"], loaded["trellolens fetch"]["actions"]
        if got != wanted:  # per card misses the history actions that belong to no card
            how += f"; {got} of the {wanted} history actions"
        print(f"{name} / trellolens fetch: {ratio:.2f}x the wall time")
        record(
            "fetch",
            f"`trellolens fetch` of the 81-card scrum board, {LATENCY_MS} ms latency, fresh "
            f"process end to end ({requests['trellolens fetch']} request)",
            best_median(seconds["trellolens fetch"]),
            f"py-trello 0.20.1, {how}, same data saved with json.dump: "
            f"{best_median(seconds[name])}, {requests[name]} requests",
            f"{ratio:.2f}x less wall time",
            f"{ours / floor:.2f}x one stdlib GET of the same request + json.loads/json.dump "
            f"({floor:.2f} s)",
        )


if __name__ == "__main__":
    main()
