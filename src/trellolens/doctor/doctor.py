"""``run_doctor``: every hygiene check on one profile, as data the CLI and the Security page render.

    report = run_doctor(resolver_for_project(Path.cwd()), profile=None, project_dir=Path.cwd())
    report.status            # Status.FAIL when any check failed
    report.as_dict()         # {"profile", "checks": [{"id", "title", "status", "detail", "fix"}], "status"}

The checks never raise for what they find (a refused token, no git, a broken file): each finding is
a ``Check``. No check holds a credential value; every text is scrubbed of the resolved values anyway.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trellolens.credentials import (
    OAuth2Credentials,
    Resolution,
    Resolver,
    TrelloCredentials,
    resolver_from_settings,
)
from trellolens.credentials.redaction import MASK, redact
from trellolens.credentials.sources import DotenvSource, Source
from trellolens.credentials.sources.dotenv_file import DOTENV_FILE
from trellolens.credentials.sources.secrets_file import read_secrets_file
from trellolens.credentials.sources.streamlit_secrets import StreamlitSecretsSource
from trellolens.doctor.check import Check, Status, warned, worst
from trellolens.doctor.checks_access import open_access_check, visitor_callback_check
from trellolens.doctor.checks_config import error_details_check
from trellolens.doctor.checks_credentials import (
    base_url_check,
    configured_profiles,
    shared_token_check,
    sources_check,
)
from trellolens.doctor.checks_dotenv import dotenv_checks
from trellolens.doctor.checks_files import git_checks, mode_check, secrets_files
from trellolens.doctor.checks_rotation import leftover_check
from trellolens.doctor.checks_settings import project_settings, settings_check
from trellolens.doctor.checks_shared import redis_url_check
from trellolens.doctor.checks_token import VALID_TITLE, token_checks
from trellolens.errors import ConfigError, CredentialsError
from trellolens.settings import Settings

if TYPE_CHECKING:  # the client (httpx) is imported only when a token is checked
    from trellolens.trello import TokenInfo, TrelloClient

TOKEN_DEADLINE_SECONDS = 20.0
ClientFactory = Callable[[TrelloCredentials | OAuth2Credentials], "TrelloClient"]


@dataclass(frozen=True)
class DoctorReport:
    profile: str
    checks: tuple[Check, ...]

    @property
    def status(self) -> Status:
        return worst(tuple(check.status for check in self.checks))

    def count(self, status: Status) -> int:
        return sum(1 for check in self.checks if check.status is status)

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "checks": [check.as_dict() for check in self.checks],
            "status": self.status.value,
        }


def resolver_for_project(
    project_dir: Path, home: Path | None = None, environ: Mapping[str, str] | None = None
) -> Resolver | str:
    """The chain ``TRELLOLENS_*`` configures, reading the secrets files of ``project_dir``.

    A string is the one-line problem with the ``TRELLOLENS_*`` settings.
    """
    settings = Settings(None, environ)
    files = secrets_files(project_dir, Path.home() if home is None else home)
    try:
        base = resolver_from_settings(settings)
        allow_open = settings.allow_open_secrets_file
    except (CredentialsError, ConfigError) as exc:
        return str(exc)
    project_sources: dict[str, Source] = {
        StreamlitSecretsSource.name: StreamlitSecretsSource(files, allow_open=allow_open),
        DotenvSource.name: DotenvSource(project_dir / DOTENV_FILE, allow_open=allow_open),
    }
    sources = [project_sources.get(s.name, s) for s in base.sources]
    return Resolver(sources, base.profile)


def settings_for_project(
    project_dir: Path,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    secrets_tables: Sequence[Mapping[str, Any]] = (),
) -> Settings:
    """The settings the app runs on, which the doctor checks: ``[trellolens]`` of a running app's
    secrets (``secrets_tables``), else of the project's ``.streamlit/secrets.toml``, else of the
    home directory's (Streamlit's order: the project's file wins), else the environment."""
    home = Path.home() if home is None else home
    tables = _readable_tables(secrets_files(project_dir, home))  # the home's, then the project's
    env = os.environ if environ is None else environ
    return project_settings([*secrets_tables, *reversed(tables)], env)


def default_client(credentials: TrelloCredentials | OAuth2Credentials) -> TrelloClient:
    """A client in the credentials' scheme; OAuth 2.0 shares the process's token manager (the
    Security page refreshes nothing the dashboard has not)."""
    from trellolens.trello.clients import client_for

    return client_for(credentials, deadline=TOKEN_DEADLINE_SECONDS)


def run_doctor(
    resolver: Resolver | str,
    profile: str | None = None,
    *,
    project_dir: Path,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    client_factory: ClientFactory = default_client,
    running_error_details: object | None = None,
    secrets_tables: Sequence[Mapping[str, Any]] = (),
) -> DoctorReport:
    """Run every check for ``profile`` (default: the resolver's).

    ``running_error_details`` and ``secrets_tables`` come from a running Streamlit app (the value
    of ``client.showErrorDetails`` and ``st.secrets``); the CLI leaves them out.
    """
    env = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    now = datetime.now(UTC) if now is None else now
    resolution: Resolution | str = (
        resolver if isinstance(resolver, str) else resolver.check(profile)
    )
    files = secrets_files(project_dir, home)
    tables = [*secrets_tables, *_readable_tables(files)]
    settings = settings_for_project(project_dir, home, env, secrets_tables)
    checks = [sources_check(resolution), settings_check(settings)]
    checks += git_checks(project_dir, env)
    checks.append(mode_check(files, _allow_open(settings)))
    checks += dotenv_checks(project_dir, env, _allow_open(settings))
    checks.append(leftover_check(files))
    checks.append(error_details_check(project_dir, home, env, running_error_details))
    checks.append(base_url_check(settings))
    shared_state = redis_url_check(settings)  # only when TRELLOLENS_REDIS_URL is set
    if shared_state is not None:
        checks.append(shared_state)
    if isinstance(resolver, str) or isinstance(resolution, str):
        return _report("-", checks, ())
    profiles = configured_profiles(resolution.profile, tables, env)
    checks.append(shared_token_check(resolver, profiles))
    checks.append(
        open_access_check(
            credentials_configured=_configured(resolution),
            settings=settings,
            environ=env,
            project_dir=project_dir,
            home=home,
        )
    )
    callback = visitor_callback_check(
        settings=settings, environ=env, project_dir=project_dir, home=home
    )
    if callback is not None:
        checks.append(callback)
    checks += _token(resolution, client_factory, now)
    return _report(resolution.profile, checks, resolution.values.values())


def _token(resolution: Resolution, client_factory: ClientFactory, now: datetime) -> list[Check]:
    try:
        credentials = _credentials(resolution)
    except (CredentialsError, ConfigError):
        return [
            warned(
                "token.valid",
                VALID_TITLE,
                "not checked: the credentials are missing or unreadable (see above)",
                "fix the credentials first, then run doctor again",
            )
        ]

    def fetch() -> TokenInfo:
        with client_factory(credentials) as client:  # ConfigError: a store that cannot rotate
            return client.token_info()

    return token_checks(fetch, now)


def _allow_open(settings: Settings) -> bool:
    try:
        return settings.allow_open_secrets_file
    except ConfigError:  # named by the settings check; the resolver refuses then too
        return False


def _credentials(resolution: Resolution) -> TrelloCredentials | OAuth2Credentials:
    return resolution.oauth2() if resolution.scheme == "oauth2" else resolution.credentials()


def _configured(resolution: Resolution) -> bool:
    try:
        _credentials(resolution)
    except CredentialsError:
        return False
    return True


def _readable_tables(files: Iterable[Path]) -> list[Mapping[str, Any]]:
    """The secrets files' contents, for the profile names in them; broken files are skipped."""
    tables: list[Mapping[str, Any]] = []
    for path in files:
        if path.is_file():
            try:
                tables.append(read_secrets_file(path))
            except CredentialsError:
                continue  # already reported by the sources check
    return tables


def _report(profile: str, checks: list[Check], secrets: Iterable[Any]) -> DoctorReport:
    values = sorted({s.reveal() for s in secrets if s}, key=len, reverse=True)
    return DoctorReport(profile, tuple(_scrubbed(check, values) for check in checks))


def _scrubbed(check: Check, values: list[str]) -> Check:
    """``check`` with the resolved values and anything secret-shaped masked, each text one line."""

    def clean(text: str) -> str:
        for value in values:
            text = text.replace(value, MASK)
        return " ".join(redact(text).split())

    return Check(check.id, check.title, check.status, clean(check.detail), clean(check.fix))
