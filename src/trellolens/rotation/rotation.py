"""``rotate_token``: swap the token the app uses for a new one, check everything, then revoke.

    result = rotate_token(new_token, RotationOptions(project_dir=Path.cwd()), report=print_step)

In this order, stopping with a ``RotationError`` at the first problem, before anything changed:
(a) resolve the current key and token and where the token came from; (b) ask Trello about the new
token: valid, the same member as the old one, its scopes and expiry (the doctor's own checks), not
the old token again; (c) write it where the old one lives (a local secrets file; AWS only with
``write_aws``; the environment never, the user gets instructions); (d) resolve again from scratch
and check the app now gets the new token and Trello accepts it; (e) only then, if ``revoke_old``
agrees, revoke the old token and check that Trello refuses it.

Every step is reported as one ``Step`` (✓, ! or ✗) holding names, dates and fingerprints only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trellolens.credentials import Resolution, Resolver, Secret
from trellolens.credentials.model import API_KEY, TOKEN
from trellolens.credentials.sources.aws_cache import PolledCache
from trellolens.credentials.sources.aws_secrets_manager import AwsSecretsManagerSource
from trellolens.credentials.sources.aws_source import CachedAwsSource
from trellolens.credentials.sources.base import Source
from trellolens.doctor.check import Check, Status
from trellolens.doctor.checks_token import expiry_check, scopes_check, token_scopes
from trellolens.doctor.doctor import resolver_for_project
from trellolens.errors import (
    ConfigError,
    CredentialsError,
    InvalidKeyError,
    InvalidTokenError,
    RotationError,
    TrelloError,
)
from trellolens.rotation.store import (
    CURRENT,
    PENDING,
    TokenPlace,
    discard_aws_secret,
    instructions,
    locate,
    promote_aws_secret,
    stage_aws_secret,
    write_secrets_file,
    write_ssm_parameter,
)
from trellolens.settings.chain import DEFAULT_REFRESH_SECONDS, REFRESH_VARIABLE
from trellolens.trello import TokenInfo, TrelloClient

OK, WARN, FAIL = "✓", "!", "✗"
TOKEN_DEADLINE_SECONDS = 20.0
REVOKE_LATER = "revoke it in Trello under Settings > Applications"
ClientFactory = Callable[[Secret, Secret], TrelloClient]


@dataclass(frozen=True)
class Step:
    mark: str
    text: str

    def __str__(self) -> str:
        return f"{self.mark} {self.text}"


def fingerprint(secret: Secret) -> str:
    """The first 8 hex digits of the secret's fingerprint: enough to tell two tokens apart."""
    return secret.fingerprint()[:8]


def default_client(api_key: Secret, token: Secret) -> TrelloClient:
    return TrelloClient(api_key, token, deadline=TOKEN_DEADLINE_SECONDS)


def fresh_resolver(
    project_dir: Path,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    secret_stage: str = CURRENT,
) -> Resolver:
    """The doctor's chain for ``project_dir``, with AWS sources on a cache of their own.

    Nothing is shared with an earlier resolver, so a value written a moment ago is read back.
    ``secret_stage="AWSPENDING"`` reads the Secrets Manager version a rotation staged.
    """
    built = resolver_for_project(project_dir, home, environ)
    if isinstance(built, str):
        raise RotationError(built)
    sources: list[Source] = []
    for source in built.sources:
        if isinstance(source, AwsSecretsManagerSource):
            place = source.place("{profile}")
            source = AwsSecretsManagerSource(place, version_stage=secret_stage, cache=PolledCache())
        elif isinstance(source, CachedAwsSource):
            source = type(source)(source.place("{profile}"), cache=PolledCache())
        sources.append(source)
    return Resolver(sources, built.profile)


@dataclass(frozen=True)
class RotationOptions:
    project_dir: Path
    profile: str | None = None
    write_aws: bool = False
    revoke_old: Callable[[TokenInfo, str], bool] = field(default=lambda info, fp: False)
    """Asked once everything else passed: revoke the old token (its details, its fingerprint)?"""
    home: Path | None = None
    environ: Mapping[str, str] | None = None
    client_factory: ClientFactory = default_client
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    allowed_scopes: frozenset[str] = frozenset()
    """Scopes beyond ``read`` accepted anyway (``--allow-scope write``); none by default."""


@dataclass
class RotationResult:
    place: TokenPlace | None = None
    written: bool = False
    verified: bool = False
    revoked: bool = False
    steps: list[Step] = field(default_factory=list)


class _Rotation:
    def __init__(
        self, options: RotationOptions, report: Callable[[Step], None], result: RotationResult
    ) -> None:
        self.options = options
        self._report = report
        self.result = result

    def say(self, mark: str, text: str) -> None:
        step = Step(mark, " ".join(text.split()))
        self.result.steps.append(step)
        self._report(step)

    def resolve(self, secret_stage: str = CURRENT) -> Resolution:
        opts = self.options
        resolver = fresh_resolver(
            opts.project_dir, opts.home, opts.environ, secret_stage=secret_stage
        )
        resolution = resolver.check(opts.profile)
        try:
            resolution.credentials()
        except CredentialsError as exc:
            raise RotationError(f"cannot read the current credentials: {exc}") from None
        if self.result.place is None:
            self.result.place = locate(resolution, resolver)
        return resolution

    def info(self, api_key: Secret, token: Secret, which: str) -> TokenInfo:
        try:
            with self.options.client_factory(api_key, token) as client:
                return client.token_info()
        except InvalidKeyError as exc:
            raise RotationError(f"Trello refuses the API key: {exc}") from None
        except InvalidTokenError as exc:
            raise RotationError(
                f"Trello refuses the {which} token ({exc.reason}); copy it again from the page "
                "`trellolens authorize-url` opens, made with this app's API key"
            ) from None
        except (ConfigError, TrelloError) as exc:
            raise RotationError(f"could not check the {which} token with Trello: {exc}") from None

    def judge(self, check: Check) -> None:
        """Report one of the doctor's checks on the new token; a failed one stops the rotation."""
        if check.status is Status.FAIL:
            raise RotationError(f"new token: {check.detail}")
        self.say(OK if check.status is Status.PASS else WARN, f"new token {check.detail}")


def rotate_token(
    new_token: Secret, options: RotationOptions, report: Callable[[Step], None] = lambda s: None
) -> RotationResult:
    """Rotate to ``new_token``; a ``RotationError`` names the first problem (see the module)."""
    result = RotationResult()
    run = _Rotation(options, report, result)
    # (a) the current credentials and where the token lives
    current = run.resolve()
    api_key, old = current.values[API_KEY], current.values[TOKEN]
    place = result.place
    assert place is not None
    run.say(OK, f"current token {fingerprint(old)} comes from {place.where}")
    # (b) the new token, as Trello sees it
    if new_token == old:
        raise RotationError(
            f"the new token is the one already in use ({fingerprint(old)}); create a new one "
            "with `trellolens authorize-url`"
        )
    new_info = run.info(api_key, new_token, "new")
    made_for = f", made for {new_info.identifier}" if new_info.identifier else ""
    run.say(OK, f"new token {fingerprint(new_token)} accepted by Trello{made_for}")
    old_info = _old_token_info(run, api_key, old, new_info)
    _judge_scopes(run, new_info)
    run.judge(expiry_check(new_info, options.now()))
    # (c) put it where the old one lives
    if not _write(run, place, old, new_token, old_info):
        return result
    result.written = True
    # (d) what the app resolves now, from scratch
    fresh = run.resolve()
    resolved = fresh.values[TOKEN]
    if resolved != new_token:
        raise RotationError(
            f"after writing, the app resolves token {fingerprint(resolved)} from "
            f"{fresh.origins[TOKEN]}, not the new one (a stronger source wins?); the old token "
            "was not revoked"
        )
    run.info(fresh.values[API_KEY], resolved, "new")
    result.verified = True
    run.say(OK, f"the app now resolves the new token {fingerprint(resolved)} and Trello accepts it")
    if place.in_aws and old_info is not None:
        run.say(
            WARN,
            "running apps read AWS again within their refresh interval "
            f"({REFRESH_VARIABLE}, {DEFAULT_REFRESH_SECONDS / 60:.0f} minutes by default) and use "
            "the old token until then: revoking it now may fail their requests meanwhile",
        )
    # (e) revoke the old token, if wanted
    _revoke(run, api_key, old, old_info)
    return result


def _old_token_info(
    run: _Rotation, api_key: Secret, old: Secret, new_info: TokenInfo
) -> TokenInfo | None:
    """The old token's details and the same-owner check; None when Trello already refuses it."""
    try:
        with run.options.client_factory(api_key, old) as client:
            old_info = client.token_info()
    except InvalidTokenError as exc:
        run.say(
            WARN,
            f"the old token is already refused by Trello ({exc.reason}), so its owner cannot be "
            f"compared; the new token belongs to member {new_info.member_id}",
        )
        return None
    except TrelloError as exc:
        raise RotationError(f"could not check the old token with Trello: {exc}") from None
    if old_info.member_id != new_info.member_id:
        raise RotationError(
            f"the new token belongs to member {new_info.member_id}, the old one to member "
            f"{old_info.member_id}: the dashboard would show another member's boards; create the "
            "new token signed in as the old token's member"
        )
    run.say(OK, f"same owner as the old token: member {new_info.member_id}")
    return old_info


def _write(
    run: _Rotation, place: TokenPlace, old: Secret, new: Secret, old_info: TokenInfo | None
) -> bool:
    """Write the new token; False when only instructions could be given (nothing written)."""
    if place.writable_file:
        path = write_secrets_file(place, old, new)
        table = ".".join(place.table)
        run.say(
            OK,
            f"wrote the new token to {place.field} under [{table}] of {path} "
            "(comments kept, mode 0600, no backup copy)",
        )
        return True
    if place.in_aws and run.options.write_aws:
        if place.source == AwsSecretsManagerSource.name:
            _rotate_secret(run, place, old, new)
        else:
            what = write_ssm_parameter(place, old, new)
            run.say(OK, f"overwrote {what} (SecureString)")
        return True
    run.say(WARN, f"nothing written: {instructions(place)}")
    if old_info is not None:
        run.say(
            WARN,
            f"the old token {fingerprint(old)} ({describe(old_info)}) stays valid: once the app "
            f"uses the new one, {REVOKE_LATER}",
        )
    return False


def _judge_scopes(run: _Rotation, info: TokenInfo) -> None:
    """Refuse scopes beyond ``read`` unless allowed; an allowed one is reported as discouraged."""
    check = scopes_check(info)
    extra = [scope for scope in token_scopes(info) if scope != "read"]
    refused = [scope for scope in extra if scope not in run.options.allowed_scopes]
    if refused:
        flags = " ".join(f"--allow-scope {scope}" for scope in refused)
        raise RotationError(
            f"new token: {check.detail}; create a read-only one with `trellolens authorize-url` "
            f"(scope=read), or pass {flags} to accept it anyway (discouraged); nothing was written"
        )
    if extra:  # allowed explicitly: the doctor will fail it, so say so now, without stopping
        run.say(WARN, f"new token {check.detail} (allowed with --allow-scope; doctor fails it)")
        return
    run.judge(check)


def _rotate_secret(run: _Rotation, place: TokenPlace, old: Secret, new: Secret) -> None:
    """Secrets Manager: stage ``AWSPENDING``, read it back through the resolver, then promote.

    Two rotations at once cannot both win: a later stage takes ``AWSPENDING`` from an earlier one
    (whose check then reads another token and stops), and ``AWSCURRENT`` moves only from the
    version each started from.
    """
    pending = stage_aws_secret(place, old, new)
    run.say(OK, f"put the new token as the AWSPENDING version of {pending.what} (other keys kept)")
    staged = run.resolve(secret_stage=PENDING).values.get(TOKEN)
    if staged != new:
        discard_aws_secret(pending)
        raise RotationError(
            f"{pending.what}: AWSPENDING holds another token now (another rotation at the same "
            "time?); AWSCURRENT was not changed, run rotate again"
        )
    run.say(OK, "the resolver reads the new token from AWSPENDING")
    promote_aws_secret(pending)
    run.say(
        OK, f"moved AWSCURRENT of {pending.what} to the new version (the old one is AWSPREVIOUS)"
    )


def _revoke(run: _Rotation, api_key: Secret, old: Secret, old_info: TokenInfo | None) -> None:
    if old_info is None:
        run.say(OK, "the old token is already refused by Trello: nothing to revoke")
        return
    if not run.options.revoke_old(old_info, fingerprint(old)):
        run.say(
            WARN,
            f"kept the old token {fingerprint(old)} ({describe(old_info)}): once nothing uses "
            f"it, {REVOKE_LATER}",
        )
        return
    try:
        with run.options.client_factory(api_key, old) as client:
            client.revoke_token()
    except TrelloError as exc:
        raise RotationError(
            f"revoking the old token failed: {exc}; the new token is in place, {REVOKE_LATER}"
        ) from None
    try:
        with run.options.client_factory(api_key, old) as client:
            client.token_info()
    except InvalidTokenError:
        run.result.revoked = True
        run.say(OK, f"revoked the old token {fingerprint(old)}: Trello now refuses it")
        return
    except TrelloError as exc:
        raise RotationError(f"could not confirm the old token is revoked: {exc}") from None
    raise RotationError(f"Trello still accepts the old token after revoking it; {REVOKE_LATER}")


def describe(info: TokenInfo) -> str:
    """``made for trellolens on 2025-01-02, expires 2025-02-01``: to find it in Trello's list."""
    made_for = f"made for {info.identifier}" if info.identifier else "made"
    made = f" on {info.created:%Y-%m-%d}" if info.created else ""
    expires = f"expires {info.expires:%Y-%m-%d}" if info.expires else "never expires"
    return f"{made_for}{made}, {expires}"
