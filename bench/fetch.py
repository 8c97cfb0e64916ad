"""`trellolens fetch` end to end against py-trello 0.20.1, on the real scrum board, in one run.

The Trello emulator serves tests/fixtures/trello-exports/scrum-board-2018.json over HTTP on
127.0.0.1 with 40 ms of latency on every request. Each side is a fresh process, timed from start
to exit, that loads the same information and saves it as JSON:

- `trellolens fetch BOARD_ID --out FILE` (credentials from the environment);
- a py-trello script: ``get_board``, ``list_lists``, ``get_members``, ``list_cards`` per list,
  ``fetch_checklists`` per card with checklists and each card's history (``Card.fetch_actions``
  with the card-history types, py-trello's way to a card's moves), then ``json.dump``: about
  100 requests. (bench/board_load.py pages the board's actions instead: fewer requests for
  py-trello, compared in-process.)

The emulator's rate limits are relaxed here: under Trello's real 100 requests per 10 s per token,
py-trello's requests would be refused before it has the board (trellolens needs one request).
Interleaved runs; medians. This machine is shared and noisy: compare the ratios. Both sides run
with compiled .pyc files, as any installed package does (PYTHONDONTWRITEBYTECODE, which some
shells set, is dropped: trellolens would otherwise compile its own sources on every run while
py-trello's, compiled by pip, would not).
Goal: at least 20x less wall time than py-trello.

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
from pathlib import Path

from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator
from trellolens.trello import CARD_HISTORY_TYPES

ROOT = Path(__file__).resolve().parent.parent
SCRUM = ROOT / "tests" / "fixtures" / "trello-exports" / "scrum-board-2018.json"
BIN = Path(sys.executable).parent
LATENCY_MS = 40
REPEATS = 7
KEY = "canary" + "0c1d2e3f" * 3 + "KEY3"
TOKEN = "ATTA" + "CANARY" * 10 + "FETCH3"
SECRET = "canary" + "beef" * 14 + "SEC3"
RELAXED = RateLimits(token_max=1_000_000, key_max=1_000_000)

PY_TRELLO = """
import json, sys
import requests
from trello import TrelloClient

base_url, board_id, out, key, secret, token, history = sys.argv[1:]
api = "https://api.trello.com/1"

class Rewriting(requests.Session):  # py-trello has no base-URL setting
    def request(self, method, url, *args, **kwargs):
        return super().request(method, url.replace(api, base_url, 1), *args, **kwargs)

client = TrelloClient(key, secret, token, http_service=Rewriting())
board = client.get_board(board_id)
lists = board.list_lists("all")
members = board.get_members()
cards = [card for trello_list in lists for card in trello_list.list_cards(card_filter="all")]
checklists = [checklist for card in cards for checklist in card.fetch_checklists()]
# Each card's history (its moves, for flow metrics): py-trello's per-card actions.
actions = [action for card in cards for action in card.fetch_actions(history, action_limit=1000)]
saved = {
    "id": board.id, "name": board.name,
    "lists": [{"id": x.id, "name": x.name, "closed": x.closed, "pos": x.pos} for x in lists],
    "members": [{"id": m.id, "fullName": m.full_name, "username": m.username} for m in members],
    "cards": [{"id": c.id, "name": c.name, "idList": c.list_id, "closed": c.closed,
               "idLabels": c.idLabels, "idMembers": c.idMembers} for c in cards],
    "checklists": [{"id": c.id, "name": c.name, "checkItems": c.items} for c in checklists],
    "actions": actions,
}
with open(out, "w", encoding="utf-8") as file:
    json.dump(saved, file)
print(len(lists), len(cards), len(checklists), len(actions))
"""


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {done.stderr.strip()[-500:]}")
    return elapsed, done.stdout.strip()


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
    ours: list[float] = []
    theirs: list[float] = []
    with emulator.serve() as base_url, tempfile.TemporaryDirectory() as folder:
        env |= {
            "TRELLO_API_KEY": KEY,
            "TRELLO_TOKEN": TOKEN,
            "TRELLO_API_BASE_URL": base_url,
            "TRELLOLENS_SOURCES": "env",
            "HOME": folder,
        }
        out = str(Path(folder) / "board.json")
        fetch = [str(BIN / "trellolens"), "fetch", export["id"], "--out", out]
        py_trello = [sys.executable, "-c", PY_TRELLO, base_url, export["id"], out, KEY]
        py_trello += [SECRET, TOKEN, ",".join(CARD_HISTORY_TYPES)]
        timed(fetch, env)  # warm-up: the file cache and .pyc files
        emulator_requests = len(emulator.requests)
        for _ in range(REPEATS):
            ours.append(timed(fetch, env)[0])
            theirs.append(timed(py_trello, env)[0])
        saved = json.loads(Path(out).read_text(encoding="utf-8"))
        their_requests = (len(emulator.requests) - emulator_requests * (1 + REPEATS)) // REPEATS
    print(
        f"Scrum board: {len(export['lists'])} lists, {len(export['cards'])} cards, "
        f"{len(export['actions'])} actions; {LATENCY_MS} ms latency per request; "
        f"emulator rate limits relaxed; {REPEATS} runs interleaved, each a fresh process"
    )
    print(f"  py-trello saved {len(saved['cards'])} cards, {len(saved['actions'])} actions")
    for name, runs, requests in (
        ("trellolens fetch", ours, emulator_requests),
        ("py-trello", theirs, their_requests),
    ):
        print(
            f"  {name:<17} {requests:>4} requests   best {min(runs):6.2f} s   "
            f"median {statistics.median(runs):6.2f} s"
        )
    ratio = statistics.median(theirs) / statistics.median(ours)
    print(f"py-trello / trellolens fetch: {ratio:.1f}x the wall time (goal >= 20x)")


if __name__ == "__main__":
    main()
