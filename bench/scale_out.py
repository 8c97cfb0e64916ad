"""Three app replicas behind haproxy, with and without Redis: what reaches Trello and visitors.

Each run starts Debian's haproxy with deploy/haproxy/haproxy.cfg (cookie affinity) in front of
three separate `streamlit run` processes (bench/scale_out_page.py: a live board through the
dashboard's caching boundary, trellolens.ui.data.cache), all against the Trello emulator with Trello's
real limits (100 requests per token and 300 per key in 10 s) over HTTP. SESSIONS concurrent
sessions, each a Streamlit websocket through haproxy (its own replica cookie), open one of two
boards (each 30,000 history actions: 30 requests to load) and rerun every 2 s for DURATION s.
The third run (with Redis) moves a card: the emulator delivers the webhook, the receiver bumps the
board's version, one replica asks Trello for the changes since its newest action (one request)
and every replica merges them; its sessions rerun every 0.5 s so the pages show when that lands.

Printed for both runs, side by side: snapshot fetches per board (Trello's one-request board call),
all requests Trello saw, 429s Trello sent, and 429s (or errors) that reached a visitor's page.
Without Redis each replica loads each board for itself and the three limiters overshoot together;
with Redis one replica loads each board once and the windows are shared.

Run: .venv/bin/python bench/scale_out.py            (12 sessions x 15 s: a few minutes on 2 cores)
     .venv/bin/python bench/scale_out.py --full     (60 sessions x 60 s, as in the issue)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import quick, record  # noqa: E402
from trellolens.credentials import Secret  # noqa: E402
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export  # noqa: E402
from trellolens.testing.redis_server import RedisServer, free_port  # noqa: E402
from trellolens.trello import TrelloClient, WindowRegistry  # noqa: E402
from trellolens.webhooks.api import register_webhook  # noqa: E402

PAGE = ROOT / "bench" / "scale_out_page.py"
HAPROXY_CFG = ROOT / "deploy" / "haproxy" / "haproxy.cfg"
KEY = "canary" + "0c1a2b3d" * 3 + "KEY3"
TOKEN = "ATTA" + "CANARY" * 10 + "BENCH3"
REPLICAS = 3
RERUN_SECONDS = 2.0
CHAOS_RERUN_SECONDS = 0.5
"""The webhook run reruns more often, so a page shows a change about when the replica has it."""
PHASE_SECONDS = 8.0
ACTIONS = 30_000
WRITE_TOKEN = "ATTA" + "CANARY" * 10 + "BENCH3W"
STATE = re.compile(rb"STATE-([0-9a-f]{12})")
LOADED = re.compile(rb"LOADED-([0-9.]+)")


@dataclass
class Outcome:
    label: str
    visits: Counter[str] = field(default_factory=Counter)
    replicas: Counter[str] = field(default_factory=Counter)
    trello: Counter[int] = field(default_factory=Counter)
    rerun_seconds: float = RERUN_SECONDS
    snapshots: dict[str, int] = field(default_factory=dict)
    """Full loads of each board (``GET /1/boards/{id}`` without ``actions_since``)."""
    refreshes: list[tuple[float, float]] = field(default_factory=list)
    """(started, finished) of each incremental refresh (``actions_since``), the emulator's clock."""
    first_seconds: list[float] = field(default_factory=list)
    views: list[tuple[float, str, str, str]] = field(default_factory=list)
    """(finished at, replica, board id, the page's STATE-... digest of card positions)"""
    events: dict[str, float] = field(default_factory=dict)
    loaded: dict[tuple[str, str, str], float] = field(default_factory=dict)
    """(replica, board id, STATE digest) -> when that replica got that copy (``time.time()``)."""
    rerun_seconds_taken: list[float] = field(default_factory=list)
    """How long each rerun took, from the request to ``script_finished``."""
    moved_wall: float = 0.0
    """When the card was moved, by ``time.time()`` (the replicas' ``LOADED-`` clock)."""
    deliveries: int = 0
    redis_warnings: int = 0
    """"Redis is unreachable" warnings in the replicas' logs."""


def wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited early")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy")


@contextmanager
def process(args: list[str], env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``args``; its output goes to ``cwd/<pid>.log`` (read by ``redis_warnings``)."""
    with tempfile.NamedTemporaryFile(dir=cwd, suffix=".log", delete=False) as log:
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def stack(
    base_url: str, redis_url: str | None, workdir: Path, api_secret: str | None = None
) -> Iterator[str]:
    """Three replicas and haproxy (and, given ``api_secret``, the webhook receiver behind it at
    /trello/webhook); yields haproxy's address."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_"))}
    env.update(
        {
            "TRELLOLENS_SOURCES": "env",
            "TRELLO_API_KEY": KEY,
            "TRELLO_OAUTH_TOKEN": TOKEN,
            "TRELLO_API_BASE_URL": base_url,
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "HOME": str(workdir),
        }
    )
    if redis_url is not None:
        env["TRELLOLENS_REDIS_URL"] = redis_url
    ports = [free_port() for _ in range(REPLICAS)]
    listen, receiver_port = free_port(), free_port()
    with ExitStack() as running:
        if api_secret is not None:
            callback = f"http://127.0.0.1:{listen}/trello/webhook"
            receiver_args = ["--callback", callback, "--port", str(receiver_port)]
            receiver = running.enter_context(
                process(
                    [sys.executable, "-m", "trellolens.cli", "webhooks", "serve", *receiver_args],
                    {**env, "TRELLO_API_SECRET": api_secret},
                    workdir,
                )
            )
            wait_healthy(f"http://127.0.0.1:{receiver_port}/trello/webhook", receiver)
        procs = [
            running.enter_context(
                process(
                    [
                        sys.executable,
                        "-m",
                        "streamlit",
                        "run",
                        str(PAGE),
                        "--server.port",
                        str(port),
                        "--server.address",
                        "127.0.0.1",
                        "--server.headless",
                        "true",
                    ],
                    env,
                    workdir,
                )
            )
            for port in ports
        ]
        for port, proc in zip(ports, procs, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc)
        proxy_env = {
            **env,
            "TRELLOLENS_LISTEN": f"127.0.0.1:{listen}",
            **{f"TRELLOLENS_APP{i + 1}": f"127.0.0.1:{p}" for i, p in enumerate(ports)},
            "TRELLOLENS_WEBHOOKS": f"127.0.0.1:{receiver_port}",
        }
        proxy = running.enter_context(
            process(["/usr/sbin/haproxy", "-f", str(HAPROXY_CFG)], proxy_env, workdir)
        )
        wait_healthy(f"http://127.0.0.1:{listen}/_stcore/health", proxy)
        yield f"127.0.0.1:{listen}"


async def session(
    proxy: str, boards: list[str], stop: asyncio.Event, outcome: Outcome, started: float
) -> None:
    """One visitor: the page through haproxy (a replica cookie), then its websocket, rerunning."""
    async with httpx.AsyncClient() as http:
        page = await http.get(f"http://{proxy}/")
        cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    replica = page.cookies.get("TRELLOLENS_REPLICA") or "?"
    board_id = boards[outcome.replicas[replica] % len(boards)]  # each replica serves both boards
    outcome.replicas[replica] += 1
    headers = {"Cookie": cookie} if cookie else {}
    async with websockets.connect(
        f"ws://{proxy}/_stcore/stream",
        subprotocols=[websockets.Subprotocol("streamlit")],
        additional_headers=headers,
        max_size=None,
    ) as socket:
        first = True
        while not stop.is_set():
            rerun = BackMsg()
            rerun.rerun_script.query_string = f"board={board_id}"
            sent = time.monotonic()
            await socket.send(rerun.SerializeToString())
            seen, state = "no answer", ""
            while True:
                frame = await asyncio.wait_for(socket.recv(), timeout=600)
                data = frame if isinstance(frame, bytes) else frame.encode()
                for word in (b"BOARD-OK", b"BOARD-429", b"BOARD-ERROR"):
                    if word in data:
                        seen = word.decode()
                found = STATE.search(data)
                state = found.group(1).decode() if found else state
                stamp = LOADED.search(data)
                if found and stamp:
                    at = float(stamp.group(1))
                    key = (replica, board_id, state)
                    outcome.loaded[key] = min(outcome.loaded.get(key, at), at)
                message = ForwardMsg()
                message.ParseFromString(data)
                if message.WhichOneof("type") == "script_finished":
                    break
            outcome.visits[seen] += 1
            outcome.rerun_seconds_taken.append(time.monotonic() - sent)
            outcome.views.append((time.monotonic(), replica, board_id, state))
            if first:
                outcome.first_seconds.append(time.monotonic() - started)
                first = False
            await asyncio.sleep(outcome.rerun_seconds)


async def visitors(
    proxy: str,
    boards: list[str],
    sessions: int,
    seconds: float,
    out: Outcome,
    chaos: Chaos | None = None,
) -> None:
    """SESSIONS visitors until ``seconds`` pass (or, with ``chaos``, until its script ends)."""
    started = time.monotonic()
    stop = asyncio.Event()

    async def timer() -> None:
        if chaos is None:
            await asyncio.sleep(seconds)
        else:
            await chaos.play(out, sessions, started)
        stop.set()

    await asyncio.gather(
        timer(),
        *(session(proxy, boards, stop, out, started) for _ in range(sessions)),
    )


@dataclass
class Chaos:
    """Once every session has seen its board: move a card of board 1 (the emulator delivers the
    webhook), then kill Redis and start it again, PHASE_SECONDS apart."""

    base_url: str
    export: dict[str, Any]
    redis: RedisServer

    async def play(self, out: Outcome, sessions: int, started: float) -> None:
        while len(out.first_seconds) < sessions:
            await asyncio.sleep(0.2)
        await asyncio.sleep(RERUN_SECONDS)
        card = self.export["cards"][0]
        target = next(lst["id"] for lst in self.export["lists"] if lst["id"] != card["idList"])
        auth = f'OAuth oauth_consumer_key="{KEY}", oauth_token="{WRITE_TOKEN}"'
        async with httpx.AsyncClient() as http:
            moved = await http.put(
                f"{self.base_url}/cards/{card['id']}",
                params={"idList": target},
                headers={"Authorization": auth},
            )
        moved.raise_for_status()
        out.events["card moved"] = time.monotonic()
        out.moved_wall = time.time()
        version_key = f"trellolens:board-version:{self.export['id']}"
        with redis.Redis.from_url(self.redis.url) as client:
            while client.get(version_key) is None and time.monotonic() < started + 600:
                await asyncio.sleep(0.02)
        out.events["version bumped"] = time.monotonic()
        await asyncio.sleep(PHASE_SECONDS)
        self.redis.stop()
        out.events["redis killed"] = time.monotonic()
        await asyncio.sleep(PHASE_SECONDS)
        self.redis.restart()
        out.events["redis back"] = time.monotonic()
        await asyncio.sleep(PHASE_SECONDS)


def run(
    label: str, with_redis: bool, sessions: int, seconds: float, chaos: bool = False
) -> Outcome:
    exports = [generate_export(lists=6, cards=400, actions=ACTIONS, seed=s) for s in (41, 42)]
    tokens = [TokenSpec(TOKEN), TokenSpec(WRITE_TOKEN, scopes=("read", "write"))]
    emulator = TrelloEmulator(boards=exports, key=KEY, tokens=tokens)
    boards = [export["id"] for export in exports]
    outcome = Outcome(label, rerun_seconds=CHAOS_RERUN_SECONDS if chaos else RERUN_SECONDS)
    with ExitStack() as running, tempfile.TemporaryDirectory() as workdir:
        base_url = running.enter_context(emulator.serve())
        server = running.enter_context(RedisServer.start()) if with_redis else None
        secret = emulator.api_secret if chaos else None
        redis_url = None if server is None else server.url
        proxy = running.enter_context(stack(base_url, redis_url, Path(workdir), secret))
        emulator.reset()
        script = None
        if chaos and server is not None:
            with TrelloClient(
                Secret(KEY), Secret(TOKEN), base_url=base_url, registry=WindowRegistry()
            ) as client:
                register_webhook(client, boards[0], f"http://{proxy}/trello/webhook")
            script = Chaos(base_url, exports[0], server)
        asyncio.run(visitors(proxy, boards, sessions, seconds, outcome, script))
        log = emulator.requests
        running.close()  # the processes end and their logs are complete
        outcome.redis_warnings = sum(
            text.count("Redis (TRELLOLENS_REDIS_URL) is unreachable")
            for text in (path.read_text(errors="replace") for path in Path(workdir).glob("*.log"))
        )
        outcome.deliveries = len(emulator.webhooks.deliveries)
    outcome.trello = Counter(r.status or 0 for r in log)
    board_calls = [r for r in log if r.path in {f"/1/boards/{b}" for b in boards}]
    outcome.snapshots = {
        b: sum(
            1 for r in board_calls if r.path == f"/1/boards/{b}" and "actions_since" not in r.query
        )
        for b in boards
    }
    outcome.refreshes = [(r.started, r.finished) for r in board_calls if "actions_since" in r.query]
    return outcome


def report_chaos(out: Outcome, board_id: str) -> None:
    """When each replica showed the moved card; what visitors saw while Redis was down."""
    moved, bumped = out.events["card moved"], out.events["version bumped"]
    killed, back = out.events["redis killed"], out.events["redis back"]
    before = {state for t, _, b, state in out.views if b == board_id and t < moved}
    print(
        f"webhook: delivered and the board's version bumped {bumped - moved:.2f} s after the move"
    )
    after_move = [(a, b) for a, b in out.refreshes if a >= moved and a < out.events["redis killed"]]
    for started, finished in after_move:
        print(
            f"  incremental refresh (one request): asked {started - moved:.2f} s after the move, "
            f"answered in {finished - started:.2f} s"
        )
    taken = sorted(out.rerun_seconds_taken)
    print(
        f"  (pages rerun every {out.rerun_seconds:g} s, a rerun taking {taken[len(taken) // 2]:.2f} s "
        f"median, {taken[len(taken) * 9 // 10]:.2f} s p90 on this machine; 'showed' is the first "
        "rerun showing it, 'had it' when the replica had merged or loaded it)"
    )
    showed: dict[str, str] = {}
    for replica in sorted(out.replicas):
        shown = [
            t
            for t, r, b, state in out.views
            if r == replica and b == board_id and t > moved and state not in before
        ]
        when = f"{min(shown) - moved:.1f} s after the move" if shown else "never"
        showed[replica] = f"{min(shown) - moved:.1f} s" if shown else "never"
        had = [
            at - out.moved_wall
            for (r, b, state), at in out.loaded.items()
            if r == replica and b == board_id and state not in before
        ]
        got = f"had it {min(had):.1f} s after the move, " if had else ""
        print(f"  {replica} {got}showed the moved card on a page {when}")
    during = Counter(
        "ok" if state else "failed" for t, _, _, state in out.views if killed <= t < back
    )
    after = Counter("ok" if state else "failed" for t, _, _, state in out.views if t >= back)
    print(
        f"Redis killed for {back - killed:.0f} s: page views during {dict(during)}, "
        f"after it returned {dict(after)}; snapshot fetches {out.snapshots}, "
        f"incremental refreshes {len(out.refreshes)}, "
        f"Trello 429s {out.trello[429]}, webhook deliveries {out.deliveries}, "
        f"Redis-unreachable warnings in the replicas' logs {out.redis_warnings}"
    )
    record(
        "scale_out",
        f"with Redis, a card moved (webhook delivered), pages rerun every {out.rerun_seconds:g} s; "
        f"then Redis killed for {back - killed:.0f} s",
        f"webhook to version bump {bumped - moved:.2f} s, {len(after_move)} incremental refresh "
        f"request(s); each replica's page showed the move after "
        + ", ".join(f"{replica} {when}" for replica, when in showed.items())
        + f"; during the outage {during['ok']} page views served, {during['failed']} failed",
        "none (the same replicas reload the whole board without a webhook)",
        "-",
    )


def report(outcomes: list[Outcome]) -> None:
    rows: list[tuple[str, Callable[[Outcome], object]]] = [
        ("snapshot fetches, board 1", lambda o: next(iter(o.snapshots.values()))),
        ("snapshot fetches, board 2", lambda o: list(o.snapshots.values())[1]),
        ("requests Trello saw", lambda o: sum(o.trello.values())),
        ("429s Trello sent", lambda o: o.trello[429]),
        ("page views", lambda o: sum(o.visits.values())),
        ("429s reaching visitors", lambda o: o.visits["BOARD-429"]),
        ("other load errors on pages", lambda o: o.visits["BOARD-ERROR"] + o.visits["no answer"]),
        ("slowest first view (s)", lambda o: round(max(o.first_seconds, default=0), 1)),
        ("Redis-unreachable warnings", lambda o: o.redis_warnings),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'':{width}}  " + "  ".join(f"{o.label:>14}" for o in outcomes))
    for name, value in rows:
        print(f"{name:{width}}  " + "  ".join(f"{value(o)!s:>14}" for o in outcomes))
    for o in outcomes:
        print(f"{o.label}: sessions per replica {dict(sorted(o.replicas.items()))}")
    without, with_redis = outcomes
    fetched = sum(without.snapshots.values()), sum(with_redis.snapshots.values())
    print(
        f"snapshot fetches without/with Redis: {fetched[0]}/{fetched[1]} = "
        f"{fetched[0] / max(fetched[1], 1):.1f}x; Trello 429s {without.trello[429]} vs "
        f"{with_redis.trello[429]}"
    )
    sessions = sum(without.replicas.values())
    record(
        "scale_out",
        f"{REPLICAS} replicas behind haproxy, {sessions} sessions on two 30,000-action boards, "
        "Trello's real limits: snapshot fetches, Trello requests, Trello 429s, 429s reaching visitors",
        f"with Redis: {fetched[1]}, {sum(with_redis.trello.values())}, {with_redis.trello[429]}, "
        f"{with_redis.visits['BOARD-429']}",
        f"the same replicas without Redis: {fetched[0]}, {sum(without.trello.values())}, "
        f"{without.trello[429]}, {without.visits['BOARD-429']}",
        f"{fetched[0] / max(fetched[1], 1):.1f}x fewer snapshot fetches",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="60 sessions for 60 s")
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--no-chaos", action="store_true", help="skip the webhook/outage run")
    args = parser.parse_args()
    sessions, seconds = (60, 60.0) if args.full else (args.sessions, args.seconds)
    print(f"{REPLICAS} replicas behind haproxy, {sessions} sessions, {seconds:g} s, 2 boards")
    outcomes = [
        run("without Redis", False, sessions, seconds),
        run("with Redis", True, sessions, seconds),
    ]
    report(outcomes)
    if not args.no_chaos and not quick():
        print("\nWith Redis: a card moved (webhook), then Redis killed and started again")
        chaotic = run("chaos", True, sessions, seconds, chaos=True)
        report_chaos(chaotic, next(iter(chaotic.snapshots)))


if __name__ == "__main__":
    main()
