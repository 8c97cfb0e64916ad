"""Loading one big board: trellolens' client against py-trello 0.20.1, side by side in one run.

A generated board (20 lists, 2,000 cards, nearly all with checklists, 10,000 card-history actions)
is served by the Trello emulator's real HTTP server on 127.0.0.1 with 40 ms of latency injected into
every request. Both clients load the same information: lists, cards (open and archived) with their
labels and members, every checklist, and the whole card history.

- trellolens: ``TrelloClient.board_snapshot`` (the board with everything nested, then pages of
  1000 older actions);
- py-trello with its board-level calls (the headline peer, bench/py_trello_load.py
  ``board_level``: ``all_cards()``, ``get_checklists()``, ``get_labels()``,
  ``get_custom_field_definitions()``, ``fetch_actions`` pages of 1000 with ``before=``), through
  one pooled ``requests.Session`` (its ``http_service`` hook);
- py-trello per card, a second row (``per_card``: ``fetch_checklists`` and ``fetch_actions`` per
  card; about 4,000 requests and minutes of waiting, so only with BENCH_NAIVE=1, run once after
  the others; bench/fetch.py shows the same per-card row on a small board every time).
trellolens and py-trello board-level get one warm-up each, then RUNS runs interleaved; medians.

The floor is what no client can avoid: the board request plus full pages of actions until a short
(or empty) page says the history ended, each costing the 40 ms latency in turn (each page needs the
previous one's oldest id), plus decoding those JSON bodies (timed here on the same bodies).

Rate limits: the emulator runs with Trello's limits RELAXED (1,000,000 per 10 s): py-trello has no
rate limiting and no retries, so under Trello's real 100 requests per 10 s per token its per-card
way would stop at the first 429; board-level it needs 17 requests, trellolens 11.

Run: .venv/bin/python bench/board_load.py
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import statistics
import time
from multiprocessing.connection import Connection
from typing import Any

import httpx

import py_trello_load
from results import best_median, record, repeats
from trellolens.credentials import Secret
from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator, generate_export
from trellolens.trello import CARD_HISTORY_TYPES, TrelloClient, WindowRegistry

LISTS, CARDS, ACTIONS = 20, 2_000, 10_000
CHECKLISTS_PER_CARD = 3.0  # a Poisson mean: about 95 % of the cards have at least one
LATENCY_MS = 40
PAGE = 1000
RUNS = repeats(3, 2)
KEY = "canary" + "0a1b2c3d" * 3 + "KEY1"
TOKEN = "ATTA" + "CANARY" * 10 + "TOK1"
SECRET = "canary" + "f00d" * 14 + "SEC1"
RELAXED = RateLimits(token_max=1_000_000, key_max=1_000_000)


class RecordingTransport(httpx.HTTPTransport):
    """The default transport, noting each URL asked for (to time decoding the same bodies)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return super().handle_request(request)


def load_with_trellolens(base_url: str, board_id: str, urls: list[str]) -> dict[str, int]:
    transport = RecordingTransport()
    with TrelloClient(
        Secret(KEY),
        Secret(TOKEN),
        base_url=base_url,
        registry=WindowRegistry(),
        transport=transport,
    ) as client:
        board = client.board_snapshot(board_id)
    urls.extend(transport.urls)
    return {
        "lists": len(board.lists),
        "cards": len(board.cards),
        "card labels": sum(len(card.label_ids) for card in board.cards),
        "members": len(board.members),
        "checklists": len(board.checklists),
        "check items": sum(len(cl.items) for cl in board.checklists),
        "actions": len(board.actions),
    }


def load_with_py_trello(base_url: str, board_id: str, mode: str) -> dict[str, int]:
    loader = py_trello_load.board_level if mode == "board_level" else py_trello_load.per_card
    trello = py_trello_load.client(base_url, KEY, SECRET, TOKEN)
    loaded = loader(trello, board_id, ",".join(CARD_HISTORY_TYPES))
    cards, checklists = loaded["cards"], loaded["checklists"]
    return {
        "lists": len(loaded["lists"]),
        "cards": len(cards),
        "card labels": sum(len(card.idLabels) for card in cards),
        "members": len(loaded["members"]),
        "checklists": len(checklists),
        "check items": sum(len(checklist.items) for checklist in checklists),
        "actions": len(loaded["actions"]),
    }


def unavoidable_requests(actions: int) -> int:
    """The board (with the newest page nested), then full pages until a short or empty one."""
    older = max(actions - PAGE, 0)
    pages = math.ceil(older / PAGE) + (1 if actions >= PAGE and actions % PAGE == 0 else 0)
    return 1 + pages


def plain_fetch_and_decode(urls: list[str]) -> tuple[float, float]:
    """Seconds to fetch the bodies at ``urls`` with plain httpx, and best-of-3 to decode them."""
    header = f'OAuth oauth_consumer_key="{KEY}", oauth_token="{TOKEN}"'
    with httpx.Client(headers={"Authorization": header}) as http:
        started = time.perf_counter()
        bodies = [http.get(url).raise_for_status().content for url in urls]
        fetch = time.perf_counter() - started
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        for body in bodies:
            json.loads(body)
        best = min(best, time.perf_counter() - started)
    return fetch, best


def serve(connection: Connection) -> None:
    """The emulator in a process of its own, like a real server: its work is not ours to time."""
    export = generate_export(
        lists=LISTS, cards=CARDS, actions=ACTIONS, checklists_per_card=CHECKLISTS_PER_CARD, seed=7
    )
    emulator = TrelloEmulator(
        boards=[export],
        key=KEY,
        tokens=[TokenSpec(TOKEN)],
        latency_ms=LATENCY_MS,
        rate_limits=RELAXED,
    )
    with emulator.serve() as base_url:
        connection.send((base_url, export["id"]))
        connection.recv()  # until the parent is done


class Control:
    """The emulator's control API: reset its log, count the requests it saw."""

    def __init__(self, base_url: str) -> None:
        self.origin = base_url.removesuffix("/1")

    def reset(self) -> None:
        httpx.post(f"{self.origin}/_emulator/reset").raise_for_status()

    def request_count(self) -> int:
        count: int = httpx.get(f"{self.origin}/_emulator/requests").json()["count"]
        return count


Run = tuple[dict[str, int], float, int]
"""What a load got, its wall seconds, and how many requests the emulator saw."""


def timed(control: Control, load: Any, *args: Any) -> Run:
    control.reset()
    started = time.perf_counter()
    loaded = load(*args)
    return loaded, time.perf_counter() - started, control.request_count()


def measure(base_url: str, board_id: str) -> dict[str, Any]:
    control = Control(base_url)
    urls: list[str] = []
    load_with_trellolens(base_url, board_id, urls)  # warm-ups: imports, first connection
    load_with_py_trello(base_url, board_id, "board_level")
    ours: list[Run] = []
    theirs: list[Run] = []
    for _ in range(RUNS):
        ours.append(timed(control, load_with_trellolens, base_url, board_id, []))
        theirs.append(timed(control, load_with_py_trello, base_url, board_id, "board_level"))
    naive = None
    if os.environ.get("BENCH_NAIVE") == "1":
        naive = timed(control, load_with_py_trello, base_url, board_id, "per_card")
    plain_fetch, decode = plain_fetch_and_decode(urls)
    return {
        "ours": ours,
        "theirs": theirs,
        "naive": naive,
        "urls": urls,
        "fetch": plain_fetch,
        "decode": decode,
    }


def main() -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(child,), daemon=True)
    server.start()
    try:
        base_url, board_id = parent.recv()
        runs = measure(base_url, board_id)
    finally:
        parent.send("stop")
        server.join(10)
    report(runs)


def report(runs: dict[str, Any]) -> None:
    ours, theirs, naive = runs["ours"], runs["theirs"], runs["naive"]
    loaded = ours[0][0]
    for name, run in (("py-trello board-level", theirs[0]), ("py-trello per card", naive)):
        if run is not None and run[0] != loaded:
            print(f"  note: {name} loaded {run[0]}")
    if theirs[0][0] != loaded:
        raise SystemExit(f"the two loads differ: trellolens {loaded} vs py-trello {theirs[0][0]}")
    floor_requests = unavoidable_requests(ACTIONS)
    floor = floor_requests * LATENCY_MS / 1000 + runs["decode"]
    print(
        f"Board: {LISTS} lists, {CARDS} cards, {loaded['checklists']} checklists, {ACTIONS} history "
        f"actions; {LATENCY_MS} ms latency per request; emulator rate limits relaxed"
    )
    print(f"Both loaded the same: {loaded}")
    our_seconds = statistics.median(run[1] for run in ours)
    rows = [("trellolens", ours), ("py-trello board-level", theirs)]
    if naive is not None:
        rows.append(("py-trello per card", [naive]))
    for name, measured in rows:
        seconds = [run[1] for run in measured]
        print(f"  {name:<22} {measured[0][2]:>6} requests   {best_median(seconds)}")
    print(
        f"  {'floor':<22} {floor_requests:>6} requests   {floor:.2f} s   "
        f"({floor_requests} x {LATENCY_MS} ms + {runs['decode'] * 1000:.0f} ms JSON decoding)"
    )
    floor_ratio = f"{our_seconds / floor:.2f}x the floor ({floor:.2f} s: {floor_requests} x "
    floor_ratio += f"{LATENCY_MS} ms + json.loads of the same bodies)"
    for name, measured, how in (
        (
            "py-trello board-level",
            theirs,
            "board-level calls (all_cards, get_checklists, "
            "get_labels, get_custom_field_definitions, fetch_actions pages of 1000)",
        ),
        (
            "py-trello per card",
            [naive] if naive else [],
            "second row, per card (fetch_checklists, fetch_actions per card; run once)",
        ),
    ):
        if not measured:
            continue
        seconds = [run[1] for run in measured]
        ratio = statistics.median(seconds) / our_seconds
        print(f"{name} / trellolens: {ratio:.1f}x the wall time")
        record(
            "board_load",
            f"loading a {CARDS:,}-card board with checklists and {ACTIONS:,} actions, "
            f"{LATENCY_MS} ms latency, in-process ({ours[0][2]} requests)",
            best_median([run[1] for run in ours]),
            f"py-trello 0.20.1, {how}: {best_median(seconds)}, {measured[0][2]} requests",
            f"{ratio:.1f}x less wall time",
            floor_ratio,
        )
    print(
        f"(plain httpx GETs of the same {len(runs['urls'])} URLs, no decoding: {runs['fetch']:.2f} s;"
        " beyond the latency that is the emulator building and sending the JSON)"
    )


if __name__ == "__main__":
    main()
