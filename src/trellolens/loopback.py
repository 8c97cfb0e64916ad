"""Whether a host or address is this machine: the one loopback test of the package.

``localhost`` (any case) and every loopback IP (127.0.0.0/8, ::1;
brackets allowed) are; anything else, and nothing (an unset address: every interface), is not.
Used by the API base URL check (plain http only to this machine), the Redis URL check (no password
needed on this machine), the doctor and the dashboard's access gate.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str | None) -> bool:
    """True for ``localhost`` and loopback IPs; False for unset (all interfaces) and the rest."""
    text = (host or "").strip().strip("[]").lower()
    if text in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False
