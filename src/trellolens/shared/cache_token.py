"""``CacheToken``: whose a shared board-cache entry is (light: no board model, no redis-py)."""

from __future__ import annotations

from dataclasses import dataclass, field

BOARD_CACHE_PURPOSE = b"shared board cache entries"
"""What ``Secret.derived_key`` is asked for to sign the shared board cache's entries."""


@dataclass(frozen=True)
class CacheToken:
    """The token's fingerprint (in Redis key names) and the key its entries are signed with,
    derived from the token itself: whoever does not hold the token cannot sign an entry."""

    fingerprint: str
    signing_key: bytes = field(repr=False)
