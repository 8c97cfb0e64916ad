"""Where the current token lives, and putting a new one there: a secrets file, AWS, or words.

``locate`` reads the resolver's provenance (names only). A local secrets file is rewritten in place
with tomlkit (comments and layout kept), atomically and private from the first byte: a temporary
file made with mode 0600 in the same directory, then ``os.replace``. No backup is kept: a backup
would be a second copy of a secret. AWS is written only when asked (``--write-aws``); Secrets
Manager through ``AWSPENDING``, checked, then a conditional move of ``AWSCURRENT``. The
environment and ``st.secrets`` are never written, the user gets the exact name to change instead.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from trellolens.credentials import Resolution, Resolver, Secret
from trellolens.credentials.model import FIELD_NAMES, TOKEN
from trellolens.credentials.sources.aws_client import (
    AwsConfigurationError,
    SourceUnavailable,
    describe_aws_failure,
    make_client,
    quiet_botocore,
)
from trellolens.credentials.sources.aws_secrets_manager import AwsSecretsManagerSource
from trellolens.credentials.sources.aws_ssm import AwsSsmSource
from trellolens.credentials.sources.streamlit_secrets import STREAMLIT_SECRETS
from trellolens.credentials.toml_items import string_like
from trellolens.doctor.checks_rotation import temporary_path
from trellolens.errors import RotationError
from trellolens.files import (
    SECRETS_CAP,
    SmallFileError,
    link_out_of,
    project_of,
    read_small_file,
)

PRIVATE_MODE = 0o600
SM_PERMISSIONS = (
    "secretsmanager:GetSecretValue, secretsmanager:PutSecretValue and "
    "secretsmanager:UpdateSecretVersionStage"
)
CURRENT, PENDING = "AWSCURRENT", "AWSPENDING"
SSM_PERMISSIONS = "ssm:GetParameter, ssm:DescribeParameters and ssm:PutParameter (and kms:Encrypt)"
_TOML_ORIGIN = re.compile(r"(?P<field>\w+) in \[(?P<table>[\w.-]+)\] of (?P<where>.+)")
_SM_ORIGIN = re.compile(r"(?P<field>\w+) in secret (?P<id>.+)")
_SSM_ORIGIN = re.compile(r"parameter (?P<name>/.+)")


@dataclass(frozen=True)
class TokenPlace:
    """Where the resolver found the token: one of the four sources, by name, never by value."""

    source: str
    """``streamlit``, ``env``, ``aws-sm`` or ``ssm``."""
    where: str
    """The resolver's own words: ``token in [trello] of /x/.streamlit/secrets.toml``, ..."""
    file: Path | None = None
    table: tuple[str, ...] = ()
    field: str = ""
    name: str = ""
    """The variable, secret id or parameter name."""

    @property
    def writable_file(self) -> bool:
        return self.file is not None

    @property
    def in_aws(self) -> bool:
        return self.source in {AwsSecretsManagerSource.name, AwsSsmSource.name}


def locate(resolution: Resolution, resolver: Resolver) -> TokenPlace:
    """The place of the resolved token, from its provenance; unknown shapes are a RotationError."""
    source = resolution.provenance.get(TOKEN, "")
    where = resolution.origins.get(TOKEN, "")
    if source == "streamlit" and (match := _TOML_ORIGIN.fullmatch(where)):
        table = tuple(match["table"].split("."))
        file = None if match["where"] == STREAMLIT_SECRETS else Path(match["where"])
        return TokenPlace(source, where, file, table, match["field"])
    if source == "env":
        return TokenPlace(source, where, name=where)
    if source == AwsSecretsManagerSource.name and (match := _SM_ORIGIN.fullmatch(where)):
        return TokenPlace(source, where, field=match["field"], name=match["id"])
    if source == AwsSsmSource.name and (match := _SSM_ORIGIN.fullmatch(where)):
        return TokenPlace(source, where, name=match["name"])
    known = ", ".join(s.name for s in resolver.sources)
    raise RotationError(
        f"cannot tell where the current token lives ({source or 'no source'}: {where or '?'}; "
        f"sources {known}); change it by hand as docs/security.md describes"
    )


def instructions(place: TokenPlace) -> str:
    """What to change by hand for a place this command does not write (names, never values)."""
    if place.source == "env":
        return (
            f"the token comes from the environment variable {place.name}: set {place.name} to the "
            "new token where the app's environment is defined (host config vars, container or "
            "service definition, .env file), then restart the app"
        )
    if place.source == AwsSecretsManagerSource.name:
        return (
            f"the token is field {place.field} of AWS Secrets Manager secret {place.name}: rerun "
            "with --write-aws to put a new version (other keys kept), or edit that field in the "
            "AWS console; running apps pick it up within their refresh interval"
        )
    if place.source == AwsSsmSource.name:
        return (
            f"the token is SSM parameter {place.name}: rerun with --write-aws to overwrite it "
            "(SecureString), or edit it in the AWS console; running apps pick it up within "
            "their refresh interval"
        )
    table = ".".join(place.table)
    return (
        f"the token is {place.field} under [{table}] of st.secrets (on Streamlit Community Cloud: "
        "the app's Settings > Secrets): replace it there"
    )


def _same(value: object, secret: Secret) -> bool:
    return isinstance(value, str) and hmac.compare_digest(
        value.strip().encode(), secret.reveal().encode()
    )


# -- a local secrets file ----------------------------------------------------------------------


def write_secrets_file(place: TokenPlace, old: Secret, new: Secret) -> Path:
    """Replace the token in its TOML table, keeping every comment; the file ends up mode 0600."""
    assert place.file is not None
    outside = link_out_of(place.file, project_of(place.file))
    if outside is not None:
        raise RotationError(f"{outside}; nothing was written")
    path = place.file.resolve()
    before = path.stat()
    try:
        text = read_small_file(path, SECRETS_CAP, "a secrets file").decode("utf-8")
        document = tomlkit.parse(text)
    except SmallFileError as exc:
        raise RotationError(f"{exc}; nothing was written") from None
    except (UnicodeDecodeError, TOMLKitError):
        raise RotationError(f"{path}: cannot read it back as TOML; nothing was written") from None
    table: Any = document
    for part in place.table:
        table = table.get(part) if hasattr(table, "get") else None
    if table is None or not _same(table.get(place.field), old):
        raise RotationError(
            f"{path}: {place.field} under [{'.'.join(place.table)}] is no longer the token that "
            "was resolved (edited meanwhile?); nothing was written, run rotate again"
        )
    table[place.field] = string_like(table[place.field], new.reveal())
    replace_privately(path, tomlkit.dumps(document).encode("utf-8"), before)
    return path


def replace_privately(path: Path, data: bytes, before: os.stat_result) -> None:
    """Write ``data`` to a 0600 temporary file beside ``path``, then rename it over ``path``.

    The temporary file is created with mode 0600 (``O_EXCL``, never following a link), so no
    moment exists where others may read it; ``before`` guards against a concurrent edit. Its
    name (``checks_rotation.temporary_path``) is git-ignored, and doctor reports a leftover one.
    """
    temporary = temporary_path(path)  # a name the shipped .gitignore covers
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, PRIVATE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, PRIVATE_MODE)  # whatever the umask did
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        now = path.stat()
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (
            before.st_ino,
            before.st_size,
            before.st_mtime_ns,
        ):
            raise RotationError(f"{path} changed while rotating; nothing was written, run again")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# -- AWS -----------------------------------------------------------------------------------------


def _client(service: str) -> Any:
    try:
        return make_client(service)
    except (SourceUnavailable, AwsConfigurationError) as exc:
        raise RotationError(f"cannot write to AWS: {exc}; nothing was written") from None


def _aws_failure(exc: Exception, what: str, permissions: str) -> RotationError:
    message = describe_aws_failure(exc, what, permissions) or f"no AWS credentials to update {what}"
    return RotationError(f"{message}; nothing was written")


@dataclass(frozen=True)
class PendingSecret:
    """A new version of the JSON secret, staged ``AWSPENDING``: not yet what apps read."""

    what: str
    secret_id: str
    version_id: str
    replaces: str
    """The ``AWSCURRENT`` version it was made from: it moves only if that is still current."""


def stage_aws_secret(place: TokenPlace, old: Secret, new: Secret) -> PendingSecret:
    """Put the JSON secret with the token replaced (other keys kept) as ``AWSPENDING``.

    Apps keep reading ``AWSCURRENT`` until ``promote_aws_secret``; the version id is ours
    (``ClientRequestToken``), so a retried call cannot make a second version.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    client = _client("secretsmanager")
    what = f"secret {place.name} in {client.meta.region_name}"
    with quiet_botocore():
        try:
            response = client.get_secret_value(SecretId=place.name, VersionStage="AWSCURRENT")
        except (ClientError, BotoCoreError) as exc:
            raise _aws_failure(exc, what, SM_PERMISSIONS) from None
        try:
            data = json.loads(response.get("SecretString") or "")
        except ValueError:
            data = None
        field = next(
            (f for f in FIELD_NAMES[TOKEN] if isinstance(data, dict) and _same(data.get(f), old)),
            None,
        )
        if not isinstance(data, dict) or field is None:
            raise RotationError(
                f"{what} no longer holds the token that was resolved (changed meanwhile?); "
                "nothing was written, run rotate again"
            )
        data[field] = new.reveal()
        version_id = str(uuid.uuid4())
        try:
            client.put_secret_value(
                SecretId=place.name,
                ClientRequestToken=version_id,
                SecretString=json.dumps(data),
                VersionStages=[PENDING],
            )
        except (ClientError, BotoCoreError) as exc:
            raise _aws_failure(exc, what, SM_PERMISSIONS) from None
    return PendingSecret(what, place.name, version_id, str(response["VersionId"]))


def promote_aws_secret(pending: PendingSecret) -> None:
    """Move ``AWSCURRENT`` to the staged version, only from the version it was made from.

    ``RemoveFromVersionId`` makes the move conditional: when another rotation moved
    ``AWSCURRENT`` meanwhile, AWS refuses, and this rotation stops without changing anything.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    client = _client("secretsmanager")
    with quiet_botocore():
        try:
            client.update_secret_version_stage(
                SecretId=pending.secret_id,
                VersionStage=CURRENT,
                MoveToVersionId=pending.version_id,
                RemoveFromVersionId=pending.replaces,
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "InvalidParameterException":
                discard_aws_secret(pending)
                raise RotationError(
                    f"{pending.what}: AWSCURRENT moved while rotating (another rotation at the "
                    "same time?); this new token was not made current, run rotate again"
                ) from None
            raise _aws_failure(exc, pending.what, SM_PERMISSIONS) from None
        except BotoCoreError as exc:
            raise _aws_failure(exc, pending.what, SM_PERMISSIONS) from None
    discard_aws_secret(pending)  # the label only: the version is AWSCURRENT now


def discard_aws_secret(pending: PendingSecret) -> None:
    """Take ``AWSPENDING`` off the staged version if it still has it (best effort)."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = _client("secretsmanager")
    # Moved on by another rotation, or never there: then nothing of ours is left to remove.
    with quiet_botocore(), contextlib.suppress(ClientError, BotoCoreError):
        client.update_secret_version_stage(
            SecretId=pending.secret_id,
            VersionStage=PENDING,
            RemoveFromVersionId=pending.version_id,
        )


def write_ssm_parameter(place: TokenPlace, old: Secret, new: Secret) -> str:
    """Overwrite the parameter as a SecureString, keeping its KMS key if it had one."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = _client("ssm")
    what = f"parameter {place.name} in {client.meta.region_name}"
    with quiet_botocore():
        try:
            current = client.get_parameter(Name=place.name, WithDecryption=True)["Parameter"]
            described = client.describe_parameters(
                ParameterFilters=[{"Key": "Name", "Values": [place.name]}]
            ).get("Parameters", [])
        except (ClientError, BotoCoreError) as exc:
            raise _aws_failure(exc, what, SSM_PERMISSIONS) from None
        if not _same(current.get("Value"), old):
            raise RotationError(
                f"{what} no longer holds the token that was resolved (changed meanwhile?); "
                "nothing was written, run rotate again"
            )
        options: dict[str, str] = {}
        key_id = described[0].get("KeyId") if described else None
        if key_id and current.get("Type") == "SecureString":
            options["KeyId"] = str(key_id)
        try:
            client.put_parameter(
                Name=place.name,
                Value=new.reveal(),
                Type="SecureString",
                Overwrite=True,
                **options,
            )
        except (ClientError, BotoCoreError) as exc:
            raise _aws_failure(exc, what, SSM_PERMISSIONS) from None
    return what
