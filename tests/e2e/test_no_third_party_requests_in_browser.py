"""No request leaves the loopback address by default, while a visitor browses every page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def leaves_loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOOPBACK_HOSTS


def test_browsing_every_page_makes_no_third_party_request(browser: Any, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    seen: list[str] = []

    def refuse_outside(route: Any) -> None:
        url = route.request.url
        seen.append(url)
        if leaves_loopback(url):
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", refuse_outside)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(app_url)
        page.get_by_text("amirite").first.wait_for()
        links = page.locator("[data-testid='stSidebarNav'] a")
        links.first.wait_for()
        paths = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert len(paths) >= 10, paths  # every page of the navigation
        for path in paths:
            page.goto(path if path.startswith("http") else app_url + "/" + path.lstrip("/"))
            page.locator("[data-testid='stMain']").first.wait_for()
            page.wait_for_load_state("networkidle")
        icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    finally:
        context.close()
    assert seen, "the route handler saw no request at all"
    assert outside == []
    assert not leaves_loopback(icon if "://" in icon else app_url + icon)
    assert icon.startswith(("/", "./", "media/", app_url)) or not icon.startswith("http")
