"""The resolver: an explicit, ordered chain of sources, merged per key, with provenance.

Two schemes: the legacy key + token, and OAuth 2.0 (client id, client secret, refresh token);
the first set completed decides (``Resolution.scheme``). Default precedence (strongest first): Streamlit secrets > environment > ``.env`` file >
AWS Secrets Manager > SSM Parameter Store. Each key comes from the strongest source that has it;
sources after the one that completes either set are not consulted (a laptop with a
secrets file never calls AWS). Provenance records, per key, the source's name and the exact place (a table,
variable, secret id or parameter), never a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from trellolens.credentials.model import (
    API_KEY,
    API_SECRET,
    CLIENT_ID,
    CLIENT_SECRET,
    DEFAULT_PROFILE,
    OAUTH2,
    OAUTH2_KEYS,
    REFRESH_TOKEN,
    REQUIRED_KEYS,
    TOKEN,
    OAuth2Credentials,
    TrelloCredentials,
    check_profile,
    complete,
    scheme_of,
)
from trellolens.credentials.secret import Secret
from trellolens.credentials.sources.base import Source
from trellolens.errors import CredentialsError, MissingCredentialsError

_ABSENT_NOTES = ("no secrets file", "no .env file", "skipped")
"""Notes of a source that had nothing to read: "nothing configured" rather than "not found"."""


@dataclass(frozen=True)
class SourceReport:
    """What one source did for one resolution: names and messages only, never values."""

    name: str
    title: str
    locations: tuple[str, ...]
    consulted: bool
    supplied: tuple[str, ...] = ()
    note: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one profile: values found, where from, and what went wrong."""

    profile: str
    values: dict[str, Secret] = field(repr=False)
    provenance: dict[str, str]
    """key -> name of the source that supplied it (streamlit, env, aws-sm, ssm)."""
    origins: dict[str, str]
    """key -> the exact place: ``TRELLO_API_KEY``, ``token in [trello] of <file>``, ..."""
    sources: tuple[SourceReport, ...]

    @property
    def scheme(self) -> str:
        """``oauth2`` (client id, secret and refresh token) or ``legacy`` (key and token)."""
        return scheme_of(self.values)

    @property
    def missing(self) -> tuple[str, ...]:
        required = OAUTH2_KEYS if self.scheme == OAUTH2 else REQUIRED_KEYS
        return tuple(key for key in required if key not in self.values)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(report.error for report in self.sources if report.error)

    @property
    def nothing_configured(self) -> bool:
        """No source had a value, and none was even reached (no file, no AWS region or login)."""
        return not self.values and all(
            report.note is None or report.note.startswith(_ABSENT_NOTES) for report in self.sources
        )

    @property
    def ok(self) -> bool:
        return not self.missing and not self.errors

    def credentials(self) -> TrelloCredentials:
        """The credentials; a broken source or a missing key is a ``CredentialsError``.

        A broken source fails even when others filled in for it: a half-read configuration
        could otherwise pick the wrong (say, production) credentials silently.
        """
        self._check()
        if self.scheme == OAUTH2:
            raise CredentialsError(
                f"profile {self.profile} is configured for OAuth 2.0 (client_id, client_secret, "
                "refresh_token), which carries no key and token: use "
                "trellolens.trello.oauth2_client()"
            )
        return TrelloCredentials(
            api_key=self.values[API_KEY],
            token=self.values[TOKEN],
            api_secret=self.values.get(API_SECRET),
        )

    def oauth2(self) -> OAuth2Credentials:
        """The OAuth 2.0 credentials, or a ``CredentialsError`` (legacy scheme, missing, broken)."""
        self._check()
        if self.scheme != OAUTH2:
            raise CredentialsError(
                f"profile {self.profile} has no OAuth 2.0 credentials (client_id, client_secret, "
                "refresh_token); run `trellolens login` or see docs/credentials.md"
            )
        return OAuth2Credentials(
            client_id=self.values[CLIENT_ID],
            client_secret=self.values[CLIENT_SECRET],
            refresh_token=self.values[REFRESH_TOKEN],
            refresh_source=self.provenance[REFRESH_TOKEN],
            refresh_origin=self.origins[REFRESH_TOKEN],
        )

    def _check(self) -> None:
        if self.errors:
            raise CredentialsError(self.errors[0])
        if self.missing:
            raise MissingCredentialsError(self.missing_message(), self.missing)

    def missing_message(self) -> str:
        """Three short lines when nothing is configured, else what is missing and where it looked."""
        if self.nothing_configured:
            return nothing_configured_message(self.profile)
        return missing_message(self.profile, self.missing, self.looked())

    def looked(self) -> list[str]:
        """Each source consulted and where, in words (names of files and variables, no value)."""
        return [
            f"{report.title} ({' | '.join(report.locations)}"
            + (f": {report.note}" if report.note else "")
            + ")"
            for report in self.sources
        ]


def nothing_configured_message(profile: str) -> str:
    """What to do when no source has anything: the two quickest ways, and ``trellolens init``."""
    return "\n".join(
        (
            f"Trello credentials missing for profile {profile}: nothing is configured. Either",
            "  set TRELLO_API_KEY and TRELLO_OAUTH_TOKEN in the environment or a .env file, or",
            "  run `trellolens init` and fill in [trello] in .streamlit/secrets.toml",
        )
    )


def missing_message(profile: str, missing: Sequence[str], looked: Sequence[str]) -> str:
    """``Trello credentials missing for profile P: token. Looked in ...``: names, never values."""
    return (
        f"Trello credentials missing for profile {profile}: {', '.join(missing)}. "
        f"Looked in {'; '.join(looked) or 'no sources'}. "
        "`trellolens credentials` shows which key came from where"
    )


class Resolver:
    """Resolve Trello credentials from ``sources``, strongest first."""

    def __init__(self, sources: Sequence[Source], profile: str = DEFAULT_PROFILE) -> None:
        names = [source.name for source in sources]
        if len(set(names)) != len(names):
            raise CredentialsError(f"each source may appear once in the chain, got {names}")
        self.sources: tuple[Source, ...] = tuple(sources)
        self.profile = check_profile(profile)

    def check(self, profile: str | None = None) -> Resolution:
        """Resolve without raising for source problems: the report behind the Connect page."""
        profile = self.profile if profile is None else check_profile(profile)
        values: dict[str, Secret] = {}
        provenance: dict[str, str] = {}
        origins: dict[str, str] = {}
        reports: list[SourceReport] = []
        for source in self.sources:
            locations = tuple(source.locations(profile))
            if complete(values):
                reports.append(SourceReport(source.name, source.title, locations, consulted=False))
                continue
            try:
                result = source.load(profile)
            except CredentialsError as exc:
                reports.append(
                    SourceReport(source.name, source.title, locations, True, error=str(exc))
                )
                continue
            supplied = [key for key in result.values if key not in values]
            for key in supplied:
                values[key] = result.values[key]
                provenance[key] = source.name
                origins[key] = result.origins.get(key, source.name)
            reports.append(
                SourceReport(
                    source.name, source.title, locations, True, tuple(supplied), result.note
                )
            )
        return Resolution(profile, values, provenance, origins, tuple(reports))

    def resolve(self, profile: str | None = None) -> TrelloCredentials:
        """The credentials for ``profile`` (default: the resolver's), or a ``CredentialsError``."""
        return self.check(profile).credentials()

    def profiles_sharing_token(self, profiles: Sequence[str]) -> list[tuple[str, str]]:
        """Pairs of ``profiles`` whose tokens are the same, compared by fingerprint only."""
        seen: dict[str, str] = {}
        pairs: list[tuple[str, str]] = []
        for profile in profiles:
            token = self.check(profile).values.get(TOKEN)
            if token is None:
                continue
            fingerprint = token.fingerprint()
            if fingerprint in seen:
                pairs.append((seen[fingerprint], check_profile(profile)))
            else:
                seen[fingerprint] = check_profile(profile)
        return pairs
