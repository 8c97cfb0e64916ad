"""Whether a visitor's sign-in may start here: one set of checks for OAuth 1.0a and OAuth 2.0.

A sign-in needs this browser's cookie (the callback must come back to the same browser), the
app's own address from configuration (never the browser's), a page opened at that address, and
room in the throttle.
"""

from __future__ import annotations

from streamlit import config as streamlit_config

from trellolens.ui.access.browser import NO_COOKIE, client_address, this_browser, throttle_id
from trellolens.ui.access.public_url import NO_PUBLIC_URL, loopback_url, origin_of
from trellolens.ui.access.signin_throttle import THROTTLED, may_start


def app_address(public_url: str | None) -> str | None:
    """The configured ``public_url``, else the loopback address the server listens on."""
    if public_url is not None:
        return public_url
    port = streamlit_config.get_option("server.port")
    return loopback_url(streamlit_config.get_option("server.address"), int(port))


def start_checks(public_url: str | None, page_origin: str | None) -> tuple[str, str] | str:
    """(this browser's id, the app's address) when a sign-in may start, else the one line
    saying why not."""
    browser = this_browser()
    if browser is None:
        return f"Sign-in could not start: {NO_COOKIE}."
    base = app_address(public_url)
    if base is None:
        return f"Sign-in could not start: {NO_PUBLIC_URL}."
    if page_origin and page_origin.rstrip("/").lower() != origin_of(base).lower():
        return (
            f"Sign-in could not start: open this app at {base} to sign in (Trello sends you "
            "back there, and the sign-in belongs to the address it started from)."
        )
    if not may_start(throttle_id(), client_address()):
        return THROTTLED
    return browser, base
