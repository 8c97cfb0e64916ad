"""The dashboard server's resident memory with boards open, for bench/memory.py.

A real `trellolens run` server (its own process) reads live boards from the repository's Trello
emulator over HTTP (rate limits relaxed: this is about memory, not pacing); Debian's chromium via
Playwright is the visitor. Readings are the server's VmRSS after it settles.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from browser_app import CHROMIUM, CHROMIUM_ARGS, clean_env, serve_app
from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator, generate_export

ROOT = Path(__file__).resolve().parent.parent
KEY = "canary" + "0c1a2b3d" * 3 + "KEY3"
TOKEN = "ATTA" + "CANARY" * 10 + "BENCH3"
TIMEOUT_MS = 300_000
RELAXED = RateLimits(token_max=1_000_000, key_max=1_000_000)
SETTLE_S = 3.0
VIEWPORT = {"width": 1400, "height": 1000}

IDLE = """() => document.querySelector("[data-testid='stApp']")
    ?.getAttribute("data-test-script-state") === "notRunning" """


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def app_folder(workdir: Path) -> Path:
    (workdir / ".streamlit").mkdir(parents=True)
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    (workdir / ".streamlit" / "config.toml").write_text(config)
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(f'[trello]\napi_key = "{KEY}"\ntoken = "{TOKEN}"\n')
    return workdir


def settled_rss(pid: int) -> float:
    time.sleep(SETTLE_S)
    return rss_mib(pid)


def with_server(workdir: Path, boards: list[dict[str, Any]], visits: list[Any]) -> list[float]:
    """RSS of a server reading ``boards``: idle, then after each of ``visits(page, url)`` (one
    browser session, kept open)."""
    from playwright.sync_api import sync_playwright

    emulator = TrelloEmulator(
        boards=boards, key=KEY, tokens=[TokenSpec(TOKEN)], rate_limits=RELAXED
    )
    with emulator.serve() as base_url, sync_playwright() as playwright:
        env = clean_env() | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit"}
        browser: Any = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with serve_app(app_folder(workdir), env) as (url, pid):
                readings = [settled_rss(pid)]
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                for visit in visits:
                    visit(page, url)
                    readings.append(settled_rss(pid))
                context.close()
        finally:
            browser.close()
    return readings


def overview_of(board_id: str, title: str) -> Any:
    def visit(page: Any, url: str) -> None:
        page.goto(f"{url}/connect?board={board_id}")
        page.get_by_role("heading", name="Connect Trello").wait_for()
        page.wait_for_function(IDLE)
        page.get_by_role("link", name="Board overview").first.click()
        page.locator("h1").filter(has_text=title).wait_for()
        page.locator("[data-testid='stVegaLiteChart'] canvas, "
                     "[data-testid='stVegaLiteChart'] svg").first.wait_for()  # fmt: skip
        page.wait_for_function(IDLE)

    return visit


def boards_page(page: Any, url: str) -> None:
    page.goto(f"{url}/boards")
    page.get_by_role("heading", name="Boards").wait_for()
    page.locator("[data-testid='stDataFrame'] canvas").first.wait_for()
    page.wait_for_function(IDLE)


DEMO_TITLE = "amirite"  # the bundled demo board's name


def dashboard_rss(workdir: Path, big: dict[str, Any], count: int, cards: int) -> dict[str, float]:
    """Server RSS: idle; warm (the bundled demo board's overview drawn: every module the pages
    use is imported); then with ``big``'s overview drawn in the same session. And in a second
    server: idle, warm, then the Boards page over ``count`` generated boards of ``cards`` cards
    (five actions per card)."""
    demo = overview_of("demo", DEMO_TITLE)
    idle, warm, session = with_server(
        workdir / "big", [big], [demo, overview_of(big["id"], big["name"])]
    )
    many = [
        generate_export(lists=6, cards=cards, actions=cards * 5, months=6, seed=100 + n)
        for n in range(count)
    ]
    for number, board in enumerate(many, start=1):
        board["name"] = f"Portfolio board {number}"
    boards_idle, boards_warm, boards_session = with_server(
        workdir / "boards", many, [demo, boards_page]
    )
    return {
        "big_idle": idle,
        "big_warm": warm,
        "big_session": session,
        "boards_idle": boards_idle,
        "boards_warm": boards_warm,
        "boards_session": boards_session,
    }
