"""The keys this app writes to Redis; the URL itself is a setting (``trellolens.settings``).

``Settings.redis_url`` reads ``TRELLOLENS_REDIS_URL`` (or ``[trellolens] redis_url``) and checks it
with ``check_redis_url`` (``settings/urls.py``); the shared state is handed the URL.
"""

from __future__ import annotations

from trellolens.settings.urls import REDIS_URL_VARIABLE as REDIS_URL_VARIABLE
from trellolens.settings.urls import check_redis_url as check_redis_url
from trellolens.settings.urls import describe_redis_url as describe_redis_url

KEY_PREFIX = "trellolens:"
"""Every key this app writes starts with this (and has a TTL)."""
