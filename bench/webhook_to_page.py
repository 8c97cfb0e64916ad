"""From a change in Trello to every open dashboard page showing it, on the real overview page.

One redis-server, the Trello emulator over HTTP (Trello's real limits) and the webhook receiver
(`trellolens webhooks serve`), which the emulator calls for every change; three replicas of the
real app (`trellolens run`) and, side by side in the same run, three replicas of the floor page
(bench/webhook_floor_page.py: the same board path and live-updates fragment, a page that only
prints the list names). Debian's chromium (Playwright) opens SESSIONS_PER_REPLICA pages on each
replica: the overview of board A on the app, board B on the floor page. Nobody touches a page.

Each round renames a list of one board through Trello's API (the emulator records an
``updateList`` action and delivers the webhook); every open page of that board must show the new
name by itself. Rounds alternate between the two boards, so both sets share the machine's load.
Per round it notes, from the rename: the version bump in Redis (webhook delivered and checked),
the incremental refresh request Trello saw (its start and end), and each page showing the name.

Run: .venv/bin/python bench/webhook_to_page.py              (20 rounds of each; ~5 minutes)
     .venv/bin/python bench/webhook_to_page.py --rounds 5 --poll 0.5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from browser_app import CHROMIUM, CHROMIUM_ARGS, clean_env, free_port  # noqa: E402
from results import load_average, record, repeats  # noqa: E402
from trellolens.credentials import Secret  # noqa: E402
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export  # noqa: E402
from trellolens.testing.redis_server import RedisServer  # noqa: E402
from trellolens.trello import TrelloClient, WindowRegistry  # noqa: E402
from trellolens.webhooks.api import register_webhook  # noqa: E402

FLOOR_PAGE = ROOT / "bench" / "webhook_floor_page.py"
KEY = "canary" + "0c1a2b3d" * 3 + "KEY4"
TOKEN = "ATTA" + "CANARY" * 10 + "BENCH4"
WRITE_TOKEN = "ATTA" + "CANARY" * 10 + "BENCH4W"
REPLICAS = 3
SESSIONS_PER_REPLICA = 2
CARDS, ACTIONS = 400, 10_000
SHOW_TIMEOUT_S = 60.0


@dataclass
class Round:
    kind: str
    renamed: float
    bumped: float = 0.0
    refresh: tuple[float, float] | None = None
    shown: list[float] = field(default_factory=list)
    """Seconds from the rename to each page showing the new name."""


def wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: exited early: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not become healthy")


@contextmanager
def running(command: list[str], workdir: Path, env: dict[str, str], health: str) -> Iterator[None]:
    """``command`` in ``workdir`` (output in server.log) until the block ends, healthy first."""
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)
        try:
            wait_healthy(health, process, log_path)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def replica(kind: str) -> tuple[list[str], str]:
    """The command of one replica of ``kind`` ("app" or "floor") and its URL."""
    port = free_port()
    flags = ["--server.port", str(port), "--server.headless", "true"]
    if kind == "app":
        return [sys.executable, "-m", "trellolens.cli", "run", *flags], f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(FLOOR_PAGE), *flags]
    return [*command, "--server.address", "127.0.0.1"], f"http://127.0.0.1:{port}"


def rename(base_url: str, list_id: str, name: str) -> None:
    auth = f'OAuth oauth_consumer_key="{KEY}", oauth_token="{WRITE_TOKEN}"'
    answer = httpx.put(
        f"{base_url}/lists/{list_id}", params={"name": name}, headers={"Authorization": auth}
    )
    answer.raise_for_status()


async def watch(pages: list[Any], name: str, renamed: float, out: Round) -> None:
    async def one(page: Any) -> None:
        main = page.locator("[data-testid='stMain']")
        await main.get_by_text(name, exact=True).first.wait_for(timeout=SHOW_TIMEOUT_S * 1000)
        out.shown.append(time.monotonic() - renamed)

    await asyncio.gather(*(one(page) for page in pages))


async def wait_bumped(client: redis.Redis, board_id: str, version: int, out: Round) -> None:
    name = f"trellolens:board-version:{board_id}"
    while int(client.get(name) or 0) < version:
        await asyncio.sleep(0.005)
    out.bumped = time.monotonic() - out.renamed


async def rounds(
    pages: dict[str, list[Any]],
    exports: dict[str, dict[str, Any]],
    base_url: str,
    redis_url: str,
    count: int,
) -> list[Round]:
    done: list[Round] = []
    versions = dict.fromkeys(exports, 0)
    with redis.Redis.from_url(redis_url) as client:
        for number in range(count):
            for kind, export in exports.items():
                first_list = export["lists"][0]
                name = f"Renamed {kind} {number}"
                versions[kind] += 1
                out = Round(kind, time.monotonic())
                watching = asyncio.ensure_future(watch(pages[kind], name, out.renamed, out))
                await asyncio.to_thread(rename, base_url, first_list["id"], name)
                await asyncio.gather(
                    watching, wait_bumped(client, export["id"], versions[kind], out)
                )
                done.append(out)
                await asyncio.sleep(1.0)  # the pages settle before the next change
    return done


async def open_pages(browser: Any, urls: list[str], path: str, board_id: str) -> list[Any]:
    pages = []
    for url in urls:
        for _ in range(SESSIONS_PER_REPLICA):
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            page.set_default_timeout(120_000)
            await page.goto(f"{url}{path}?board={board_id}")
            pages.append(page)
    return pages


async def drive(
    urls: dict[str, list[str]],
    exports: dict[str, dict[str, Any]],
    base_url: str,
    redis_url: str,
    count: int,
) -> list[Round]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = {
            kind: await open_pages(browser, urls[kind], "/", exports[kind]["id"]) for kind in urls
        }
        for kind, export in exports.items():  # every page shows its board before the first round
            for page in pages[kind]:
                main = page.locator("[data-testid='stMain']")
                await main.get_by_text(export["lists"][0]["name"]).first.wait_for()
        try:
            return await rounds(pages, exports, base_url, redis_url, count)
        finally:
            await browser.close()


def measure(count: int, poll: float, actions: int) -> tuple[list[Round], TrelloEmulator]:
    exports = {
        kind: generate_export(lists=6, cards=CARDS, actions=actions, seed=seed)
        for kind, seed in (("app", 51), ("floor", 52))
    }
    tokens = [TokenSpec(TOKEN), TokenSpec(WRITE_TOKEN, scopes=("read", "write"))]
    emulator = TrelloEmulator(boards=list(exports.values()), key=KEY, tokens=tokens)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        base_url = stack.enter_context(emulator.serve())
        server = stack.enter_context(RedisServer.start())
        env = clean_env() | {
            "TRELLOLENS_SOURCES": "env",
            "TRELLO_API_KEY": KEY,
            "TRELLO_OAUTH_TOKEN": TOKEN,
            "TRELLO_API_BASE_URL": base_url,
            "TRELLOLENS_REDIS_URL": server.url,
            "TRELLOLENS_LIVE_POLL_SECONDS": f"{poll:g}",
            "HOME": folder,
        }
        port = free_port()
        callback = f"http://127.0.0.1:{port}/trello/webhook"
        receiver = [sys.executable, "-m", "trellolens.cli", "webhooks", "serve"]
        stack.enter_context(
            running(
                [*receiver, "--callback", callback, "--port", str(port)],
                Path(folder) / "receiver",
                env | {"TRELLO_API_SECRET": emulator.api_secret},
                callback,
            )
        )
        urls: dict[str, list[str]] = {"app": [], "floor": []}
        for kind in urls:
            for number in range(REPLICAS):
                command, url = replica(kind)
                workdir = Path(folder) / f"{kind}{number}"
                stack.enter_context(running(command, workdir, env, f"{url}/_stcore/health"))
                urls[kind].append(url)
        emulator.reset()  # the replicas' start-up requests go (before the webhooks are made)
        with TrelloClient(
            Secret(KEY), Secret(TOKEN), base_url=base_url, registry=WindowRegistry()
        ) as client:
            for export in exports.values():
                register_webhook(client, export["id"], callback)
        done = asyncio.run(drive(urls, exports, base_url, server.url, count))
        refreshes = [
            (r.path, r.started, r.finished) for r in emulator.requests if "actions_since" in r.query
        ]
    attach_refreshes(done, refreshes, exports)
    return done, emulator


def attach_refreshes(
    done: list[Round],
    refreshes: list[tuple[str, float, float]],
    exports: dict[str, dict[str, Any]],
) -> None:
    """Each round's first incremental refresh request of its board, as seconds from the rename."""
    for out in done:
        path = f"/1/boards/{exports[out.kind]['id']}"
        after = [(a, b) for p, a, b in refreshes if p == path and a >= out.renamed]
        if after:
            started, finished = min(after)
            out.refresh = (started - out.renamed, finished - out.renamed)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(done: list[Round], kind: str) -> dict[str, float]:
    mine = [out for out in done if out.kind == kind]
    shown = [seconds for out in mine for seconds in out.shown]
    refresh = [out.refresh for out in mine if out.refresh is not None]
    return {
        "p50": statistics.median(shown),
        "p95": percentile(shown, 0.95),
        "max": max(shown),
        "bump": statistics.median(out.bumped for out in mine),
        "refresh asked": statistics.median(a for a, _ in refresh) if refresh else float("nan"),
        "refresh answered": statistics.median(b for _, b in refresh) if refresh else float("nan"),
        "first page": statistics.median(min(out.shown) for out in mine),
        "last page": statistics.median(max(out.shown) for out in mine),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=repeats(20, 5))
    parser.add_argument("--poll", type=float, default=1.0, help="TRELLOLENS_LIVE_POLL_SECONDS")
    parser.add_argument("--actions", type=int, default=ACTIONS)
    args = parser.parse_args()
    sessions = REPLICAS * SESSIONS_PER_REPLICA
    print(
        f"{REPLICAS} replicas x {SESSIONS_PER_REPLICA} sessions on the overview page and on the "
        f"floor page, {args.rounds} rounds each, poll {args.poll:g} s, a {CARDS}-card "
        f"{args.actions:,}-action board; load {load_average()}"
    )
    done, _ = measure(args.rounds, args.poll, args.actions)
    figures = {kind: summary(done, kind) for kind in ("app", "floor")}
    for kind, seen in figures.items():
        print(f"{kind:>6}: " + ", ".join(f"{name} {value:.2f} s" for name, value in seen.items()))
    app, floor = figures["app"], figures["floor"]
    print(f"load average at the end {load_average()}")
    record(
        "webhook_to_page",
        f"a list renamed in Trello (webhook delivered) until each of {sessions} open overview "
        f"pages on {REPLICAS} replicas shows it by itself, {args.rounds} rounds, poll "
        f"{args.poll:g} s, {CARDS}-card {args.actions:,}-action board: p50 / p95 / max",
        f"{app['p50']:.2f} / {app['p95']:.2f} / {app['max']:.2f} s",
        "none (no peer reruns an open page on a webhook)",
        "-",
        f"floor page (prints the list names): {floor['p50']:.2f} / {floor['p95']:.2f} / "
        f"{floor['max']:.2f} s; p95 {app['p95'] / floor['p95']:.1f}x the floor",
    )


if __name__ == "__main__":
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    main()
