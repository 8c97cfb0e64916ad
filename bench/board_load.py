"""Loading one big board: trellolens' client against py-trello 0.20.1, side by side in one run.

A generated board (20 lists, 2,000 cards, nearly all with checklists, 10,000 card-history actions)
is served by the Trello emulator's real HTTP server on 127.0.0.1 with 40 ms of latency injected into
every request. Both clients load the same information: lists, cards (open and archived) with their
labels and members, every checklist, and the whole card history.

- trellolens: ``TrelloClient.board_snapshot`` (the board with everything nested, then pages of
  1000 older actions); the median of 3 runs after a warm-up (py-trello's ~2,000 requests, about
  80 s, run once: their own average).
- py-trello: ``get_board``, ``list_lists``, ``get_members``, ``list_cards`` per list,
  ``fetch_checklists`` per card with checklists, and ``fetch_actions`` pages of 1000 (its largest),
  through one pooled ``requests.Session`` (its ``http_service`` hook; ``requests_adapter``).

The floor is what no client can avoid: the board request plus full pages of actions until a short
(or empty) page says the history ended, each costing the 40 ms latency in turn (each page needs the
previous one's oldest id), plus decoding those JSON bodies (timed here on the same bodies).

Rate limits: the emulator runs with Trello's limits RELAXED (1,000,000 per 10 s): py-trello has no
rate limiting and no retries, so under Trello's real 100 requests per 10 s per token its ~2,000
requests would stop at the first 429. trellolens needs 11 requests, far inside the real limits.

Run: .venv/bin/python bench/board_load.py
"""

from __future__ import annotations

import json
import math
import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any

import httpx

from trellolens.credentials import Secret
from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator, generate_export
from trellolens.testing.emulator import requests_adapter
from trellolens.trello import CARD_HISTORY_TYPES, TrelloClient, WindowRegistry

LISTS, CARDS, ACTIONS = 20, 2_000, 10_000
CHECKLISTS_PER_CARD = 3.0  # a Poisson mean: about 95 % of the cards have at least one
LATENCY_MS = 40
PAGE = 1000
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


def load_with_py_trello(base_url: str, board_id: str) -> dict[str, int]:
    from trello import TrelloClient as PyTrelloClient

    client = PyTrelloClient(KEY, SECRET, TOKEN, http_service=requests_adapter(base_url))
    board = client.get_board(board_id)
    lists = board.list_lists("all")
    members = board.get_members()
    cards = [card for trello_list in lists for card in trello_list.list_cards(card_filter="all")]
    checklists = [checklist for card in cards for checklist in card.fetch_checklists()]
    actions: list[Any] = []
    before = None
    while True:
        page = board.fetch_actions(",".join(CARD_HISTORY_TYPES), action_limit=PAGE, before=before)
        actions.extend(page)
        if len(page) < PAGE:
            break
        before = page[-1]["id"]
    return {
        "lists": len(lists),
        "cards": len(cards),
        "card labels": sum(len(card.idLabels) for card in cards),
        "members": len(members),
        "checklists": len(checklists),
        "check items": sum(len(checklist.items) for checklist in checklists),
        "actions": len(actions),
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


def timed(control: Control, load: Any, *args: Any) -> tuple[dict[str, int], float, int]:
    control.reset()
    started = time.perf_counter()
    loaded = load(*args)
    return loaded, time.perf_counter() - started, control.request_count()


def main() -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(child,), daemon=True)
    server.start()
    try:
        base_url, board_id = parent.recv()
        control = Control(base_url)
        urls: list[str] = []
        load_with_trellolens(base_url, board_id, [])  # warm-up: imports, first connection
        runs = [timed(control, load_with_trellolens, base_url, board_id, urls) for _ in range(3)]
        ours, our_seconds, our_requests = sorted(runs, key=lambda run: run[1])[1]  # the median
        urls = urls[: len(urls) // 3]
        theirs, their_seconds, their_requests = timed(
            control, load_with_py_trello, base_url, board_id
        )
        plain_fetch, decode = plain_fetch_and_decode(urls)
    finally:
        parent.send("stop")
        server.join(10)
    if ours != theirs:
        raise SystemExit(f"the two loads differ: trellolens {ours} vs py-trello {theirs}")
    floor_requests = unavoidable_requests(ACTIONS)
    floor = floor_requests * LATENCY_MS / 1000 + decode
    print(
        f"Board: {LISTS} lists, {CARDS} cards, {ours['checklists']} checklists, {ACTIONS} history "
        f"actions; {LATENCY_MS} ms latency per request; emulator rate limits relaxed"
    )
    print(f"Both loaded the same: {ours}")
    print(f"{'':12}{'requests':>10}{'wall s':>10}")
    print(f"{'trellolens':12}{our_requests:>10}{our_seconds:>10.2f}")
    print(f"{'py-trello':12}{their_requests:>10}{their_seconds:>10.2f}")
    print(
        f"{'floor':12}{floor_requests:>10}{floor:>10.2f}   "
        f"({floor_requests} x {LATENCY_MS} ms + {decode * 1000:.0f} ms JSON decoding)"
    )
    print(
        f"py-trello / trellolens: {their_requests / our_requests:.0f}x the requests, "
        f"{their_seconds / our_seconds:.1f}x the wall time"
    )
    print(f"trellolens / floor: {our_seconds / floor:.2f}x the wall time")
    print(
        f"(plain httpx GETs of the same {len(urls)} URLs, no decoding: {plain_fetch:.2f} s; beyond "
        f"the latency that is the emulator building and sending the JSON, which the floor leaves out)"
    )


if __name__ == "__main__":
    main()
