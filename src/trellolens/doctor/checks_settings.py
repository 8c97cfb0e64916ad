"""Doctor check: every ``TRELLO*``/``TRELLOLENS_*`` setting readable (``trellolens.settings``).

The app reads each setting when it first needs it, so a bad one shows up only in the part that
uses it; the doctor reads them all and names every bad one (the variable, never the value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trellolens.doctor.check import Check, failed, passed
from trellolens.settings import FIELDS, SECRETS_TABLE, Settings

CHECK_ID = "settings.valid"
TITLE = "Settings (TRELLOLENS_*, [trellolens])"


def project_settings(tables: Sequence[Mapping[str, Any]], environ: Mapping[str, str]) -> Settings:
    """The settings as the app reads them: for each key the first ``[trellolens]`` table that
    sets it (the running app's, then the project's, then the home directory's), else ``environ``."""
    merged: dict[str, Any] = {}
    for table in reversed(tables):
        section = table.get(SECRETS_TABLE)
        if isinstance(section, Mapping):
            merged.update(section)
    return Settings(merged, environ)


CHECKED_ELSEWHERE = frozenset(
    {
        Settings.api_base_url.name,  # trello.base_url
        Settings.redis_url.name,  # shared_state.redis
        # the credentials chain's own settings: credentials.sources
        Settings.sources.name,
        Settings.profile.name,
        Settings.aws_secret_id.name,
        Settings.ssm_path.name,
        Settings.aws_refresh_seconds.name,
        Settings.allow_open_secrets_file.name,
    }
)
"""Fields another check reads and reports, so one bad value fails one check."""


def settings_check(settings: Settings) -> Check:
    """Every other setting readable: the access policy, public_url, admins, the board, ..."""
    problems = settings.problems(f for f in FIELDS if f.name not in CHECKED_ELSEWHERE)
    if problems:
        return failed(CHECK_ID, TITLE, "; ".join(problems), "fix each setting named, or unset it")
    return passed(CHECK_ID, TITLE, "every setting that is set is readable")
