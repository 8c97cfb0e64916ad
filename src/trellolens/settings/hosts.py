"""Host names and the app's own address as settings hold them: ``allowed_hosts``, ``public_url``.

Pure functions, no Streamlit; ``ui/access`` compares request headers with what these return.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from trellolens.loopback import is_loopback

HOST_NAME = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)


def normal_host(text: str) -> str | None:
    """A host name or IP literal as compared: ASCII lower-case, IPv6 without brackets.

    ``None`` for anything that is neither (non-ASCII, empty, a trailing dot, spaces...).
    """
    if not text or not text.isascii():
        return None
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    name = text.lower()
    return name if HOST_NAME.fullmatch(name) else None


def parse_allowed_hosts(value: object, where: str) -> tuple[tuple[str, ...], str | None]:
    """``allowed_hosts`` as normalised names, or a one-line problem naming the bad entry's place."""
    if isinstance(value, str):
        entries = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        entries = [item.strip() for item in value]
    else:
        return (), f"{where} must be a list of host names (or one comma-separated string)"
    hosts: list[str] = []
    for number, entry in enumerate((entry for entry in entries if entry), start=1):
        host = normal_host(entry)
        if host is None:
            return (), (
                f"entry {number} of {where} is not a host name or IP address "
                "(no port, scheme or non-ASCII letters)"
            )
        hosts.append(host)
    return tuple(hosts), None


def parse_public_url(value: object, where: str) -> tuple[str | None, str | None]:
    """(the URL without a trailing slash, None) or (None, a one-line problem naming ``where``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    problem = f"{where} must be the app's address, such as https://dash.example.com"
    if not isinstance(value, str) or not value.isascii():
        return None, problem
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None, problem
    host = normal_host(parts.hostname or "")
    if (
        parts.scheme not in ("http", "https")
        or host is None
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or any(char in text for char in " \t\r\n\\")
    ):
        return None, problem
    if parts.scheme == "http" and not is_loopback(host):
        return None, f"{where} must use https (plain http only for localhost)"
    shown = f"[{host}]" if ":" in host else host
    netloc = shown if port is None else f"{shown}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}", None
