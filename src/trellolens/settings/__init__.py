"""One typed settings object: every ``TRELLO*``/``TRELLOLENS_*`` setting read once and checked.

``read_settings(table, environ)`` reads ``[trellolens]`` of secrets.toml first, then the
environment, checks every value and returns a frozen ``Settings`` to pass down; a bad value is
one ``ConfigError`` line naming the variable, never the value.
"""

from __future__ import annotations

from trellolens.errors import ConfigError
from trellolens.settings.model import FIELDS, Field, Settings, read_settings

__all__ = ["FIELDS", "ConfigError", "Field", "Settings", "read_settings"]
