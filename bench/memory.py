"""Memory: what a board costs, beside its JSON and the ways a script could hold it, in one run.

A generated board of 10,000 cards and 100,000 actions (as bench/metrics.py makes it) is held, one
candidate at a time in this process, each measured by tracemalloc as what stays allocated once it
is built and the garbage collector has run (the bytes of the export excluded):

- ``json.loads`` of the export: the dicts a naive script keeps (the peer);
- ``msgspec.json.decode`` into plain typed Structs of the same fields (``gc=False``): the floor
  for a typed model that keeps every field the board's pages and metrics read and each action's
  payload;
- ``parse_board_bytes``: trellolens' Board, with tracemalloc's top allocation sites.

Then a real `trellolens run` server (its own process) and the repository's Trello emulator over
real HTTP, Debian's chromium via Playwright as the visitor: the server's resident memory fresh,
then idle (one page of the bundled demo board served: every module the pages use imported, so
what follows is the board, not pandas' and altair's first import), then with one session
showing the overview of the big board (opened with ``?board=ID``), and, in a second server, with
one session on the Boards page over 20 boards of 500 cards and 2,500 actions. Both baselines are
reported side by side. Goals (issue 29): the Board at most 1.5x the JSON; a session on the big
board at most 2x the JSON above the idle server.

Run: .venv/bin/python bench/memory.py
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from results import record
from trellolens.board import parse_board_bytes
from trellolens.testing import generate_export

CARDS, ACTIONS = 10_000, 100_000
PORTFOLIO_BOARDS, PORTFOLIO_CARDS, PORTFOLIO_ACTIONS = 20, 500, 2_500
MIB = 1024 * 1024
TOP_SITES = 6


class Ref(msgspec.Struct, gc=False):
    id: str | None = None
    name: str | None = None


class ActionData(msgspec.Struct, gc=False):
    card: Ref | None = None
    list: Ref | None = None
    listBefore: Ref | None = None  # noqa: N815 - Trello's names
    listAfter: Ref | None = None  # noqa: N815
    board: Ref | None = None
    label: Ref | None = None
    member: Ref | None = None
    text: str | None = None
    old: dict[str, Any] | None = None


class PlainAction(msgspec.Struct, gc=False):
    id: str
    type: str
    date: str
    idMemberCreator: str | None = None  # noqa: N815
    data: ActionData | None = None


class PlainCard(msgspec.Struct, gc=False):
    id: str
    name: str
    idList: str  # noqa: N815
    closed: bool = False
    pos: float = 0.0
    due: str | None = None
    dueComplete: bool = False  # noqa: N815
    start: str | None = None
    dateLastActivity: str | None = None  # noqa: N815
    shortUrl: str = ""  # noqa: N815
    idLabels: list[str] = []  # noqa: N815
    idMembers: list[str] = []  # noqa: N815
    idChecklists: list[str] = []  # noqa: N815
    customFieldItems: list[dict[str, Any]] = []  # noqa: N815


class PlainList(msgspec.Struct, gc=False):
    id: str
    name: str
    pos: float = 0.0
    closed: bool = False


class PlainBoard(msgspec.Struct, gc=False):
    id: str
    name: str
    lists: list[PlainList] = []
    cards: list[PlainCard] = []
    labels: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    checklists: list[dict[str, Any]] = []
    customFields: list[dict[str, Any]] = []  # noqa: N815
    actions: list[PlainAction] = []


def retained(build: Callable[[], object]) -> tuple[int, int, tracemalloc.Snapshot]:
    """(bytes kept by what ``build`` returns, peak bytes while building, the snapshot)."""
    gc.collect()
    tracemalloc.start(1)
    try:
        before = tracemalloc.get_traced_memory()[0]
        held = build()
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del held
    gc.collect()
    return kept - before, peak - before, snapshot


def top_sites(snapshot: tracemalloc.Snapshot) -> list[str]:
    root = str(Path(__file__).resolve().parent.parent)
    lines = []
    for stat in snapshot.statistics("lineno")[:TOP_SITES]:
        frame = stat.traceback[0]
        where = frame.filename.replace(root + "/", "")
        lines.append(f"{stat.size / MIB:6.1f} MiB  {stat.count:>8,} blocks  {where}:{frame.lineno}")
    return lines


def in_process(raw: bytes) -> dict[str, tuple[int, int]]:
    decoder = msgspec.json.Decoder(PlainBoard)
    candidates: dict[str, Callable[[], object]] = {
        "json.loads": lambda: json.loads(raw),
        "msgspec Structs": lambda: decoder.decode(raw),
        "Board": lambda: parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1),
    }
    figures: dict[str, tuple[int, int]] = {}
    for name, build in candidates.items():
        kept, peak, snapshot = retained(build)
        figures[name] = (kept, peak)
        print(f"{name:16} kept {kept / MIB:7.1f} MiB ({kept / len(raw):.2f}x), "
              f"peak {peak / MIB:7.1f} MiB")  # fmt: skip
        if name == "Board":
            print("  top allocation sites of the Board:")
            for line in top_sites(snapshot):
                print(f"    {line}")
    return figures


def main() -> None:
    from memory_dashboard import dashboard_rss

    export = generate_export(lists=6, cards=CARDS, actions=ACTIONS, months=12, seed=1)
    export["name"] = "Big board"
    raw = json.dumps(export).encode()
    size = len(raw)
    print(f"board: {CARDS:,} cards, {ACTIONS:,} actions, JSON {size / MIB:.1f} MiB")
    figures = in_process(raw)
    del raw
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        rss = dashboard_rss(Path(folder), export, PORTFOLIO_BOARDS, PORTFOLIO_CARDS)
        print(f"dashboard measured in {time.perf_counter() - started:.0f} s")
    big = rss["big_session"] - rss["big_warm"]
    many = rss["boards_session"] - rss["boards_warm"]
    print(f"server fresh {rss['big_idle']:.0f} MiB, idle (one demo page served) "
          f"{rss['big_warm']:.0f} MiB; one session on the big board +{big:.0f} MiB above idle "
          f"({big * MIB / size:.2f}x the JSON), +{rss['big_session'] - rss['big_idle']:.0f} MiB "
          "above fresh")  # fmt: skip
    print(f"server fresh {rss['boards_idle']:.0f} MiB, idle {rss['boards_warm']:.0f} MiB; Boards "
          f"page over {PORTFOLIO_BOARDS} boards of {PORTFOLIO_CARDS} cards +{many:.0f} MiB "
          "above idle")  # fmt: skip
    report(size, figures, rss)


def report(size: int, figures: dict[str, tuple[int, int]], rss: dict[str, float]) -> None:
    board = f"{CARDS:,} cards and {ACTIONS:,} actions ({size / MIB:.0f} MiB of JSON)"
    loads, floor, ours = figures["json.loads"][0], figures["msgspec Structs"][0], figures["Board"]
    record(
        "memory",
        f"a parsed Board of {board}, kept (tracemalloc); peak while parsing",
        f"{ours[0] / MIB:,.0f} MiB = {ours[0] / size:.2f}x the JSON (goal <= 1.5x); "
        f"peak {ours[1] / MIB:,.0f} MiB",
        f"`json.loads` of the same bytes, kept: {loads / MIB:,.0f} MiB ({loads / size:.2f}x)",
        f"{ours[0] / loads:.2f}x",
        f"{ours[0] / floor:.2f}x of msgspec plain Structs ({floor / MIB:,.0f} MiB)",
    )
    big = rss["big_session"] - rss["big_warm"]
    record(
        "memory",
        "a dashboard session on that board (`?board=`, overview drawn): server RSS above the "
        "idle server (one demo page served, every module imported); above a fresh one",
        f"+{big:,.0f} MiB = {big * MIB / size:.2f}x the JSON (goal <= 2x); "
        f"+{rss['big_session'] - rss['big_idle']:,.0f} MiB above fresh "
        f"({rss['big_idle']:,.0f} MiB; idle {rss['big_warm']:,.0f} MiB)",
        "the JSON itself",
        f"{big * MIB / size:.2f}x",
    )
    many = rss["boards_session"] - rss["boards_warm"]
    record(
        "memory",
        f"Boards page over {PORTFOLIO_BOARDS} boards of {PORTFOLIO_CARDS} cards and "
        f"{PORTFOLIO_ACTIONS:,} actions: server RSS above idle; above fresh",
        f"+{many:,.0f} MiB; +{rss['boards_session'] - rss['boards_idle']:,.0f} MiB",
        "none",
        "-",
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
