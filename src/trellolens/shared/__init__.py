"""State shared by every replica of the app, in Redis (``TRELLOLENS_REDIS_URL``).

Its URL comes from ``trellolens.settings`` (``Settings.redis_url``), passed down. Without the setting everything stays in process memory, as for one replica. Nothing here imports
redis-py until the setting is present (start-up stays light).
"""

from __future__ import annotations

from trellolens.errors import SharedStateError
from trellolens.shared.settings import REDIS_URL_VARIABLE, check_redis_url

__all__ = [
    "REDIS_URL_VARIABLE",
    "SharedStateError",
    "check_redis_url",
]
