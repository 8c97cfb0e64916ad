"""Doctor check of ``TRELLOLENS_REDIS_URL`` (only when it is set): cached boards in Redis are
private data, so Redis needs a password off this machine and TLS (``rediss://``) across hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

from trellolens.doctor.check import Check, failed, passed, warned
from trellolens.errors import ConfigError
from trellolens.loopback import is_loopback
from trellolens.settings import Settings
from trellolens.shared.settings import REDIS_URL_VARIABLE, describe_redis_url

CHECK_ID = "shared_state.redis"
TITLE = "Shared state in Redis"


def redis_url_check(settings: Settings) -> Check | None:
    """None when the setting is absent (state stays in process memory)."""
    try:
        url = settings.redis_url
    except ConfigError as problem:
        return failed(
            CHECK_ID,
            TITLE,
            str(problem),
            f"set {REDIS_URL_VARIABLE} to rediss://user:password@host:6379/0 (docs/scale-out.md)",
        )
    if url is None:
        return None
    where = describe_redis_url(url)
    if urlsplit(url).scheme == "redis" and not is_loopback(urlsplit(url).hostname):
        return warned(
            CHECK_ID,
            TITLE,
            f"{where}: board snapshots and the password cross the network without TLS",
            f"use rediss:// (TLS) in {REDIS_URL_VARIABLE}, or keep Redis on a private network",
        )
    return passed(CHECK_ID, TITLE, f"{where}, with a password or on this machine")
