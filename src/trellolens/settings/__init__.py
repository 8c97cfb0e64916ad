"""One typed settings object: every ``TRELLO*``/``TRELLOLENS_*`` setting but credentials.

``Settings(table, environ)`` reads ``[trellolens]`` of secrets.toml first, then the environment,
each field on first use (so a bad Redis URL never stops ``trellolens scan``); ``read_settings``
checks them all at once. A bad value is one ``ConfigError`` line naming the variable, never the
value. Credentials (key, token, secret) stay with ``trellolens.credentials``.
"""

from __future__ import annotations

from trellolens.errors import ConfigError
from trellolens.settings.model import FIELDS, SECRETS_TABLE, Field, Settings, read_settings

__all__ = ["FIELDS", "SECRETS_TABLE", "ConfigError", "Field", "Settings", "read_settings"]
