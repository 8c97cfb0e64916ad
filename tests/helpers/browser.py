"""Debian's chromium for Playwright (never a downloaded browser), and its flags."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("TRELLOLENS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
