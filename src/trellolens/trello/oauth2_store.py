"""Where the OAuth 2.0 refresh token lives, read fresh and replaced atomically after each refresh.

A refresh token is single-use: the new one must be safe in its store before the old one is
forgotten. Each store reads the newest value straight from its place (never a cache) and writes
in one atomic step: a secrets file or ``.env`` through a 0600 temporary file and ``os.replace``
(comments and layout kept); Secrets Manager as a new version staged ``AWSPENDING`` and then
moved to ``AWSCURRENT`` (a version still labelled ``TRELLOLENS_NEXT_REFRESH`` is what an
interrupted refresh staged: ``read`` returns its token, the newest); SSM as a new parameter
version.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from trellolens.credentials import OAuth2Credentials, Secret
from trellolens.credentials.sources.aws_client import (
    describe_aws_failure,
    make_client,
    quiet_botocore,
)
from trellolens.credentials.toml_items import string_like
from trellolens.errors import ConfigError, CredentialsError

PRIVATE_MODE = 0o600
CURRENT, PENDING = "AWSCURRENT", "AWSPENDING"
NEXT = "TRELLOLENS_NEXT_REFRESH"
"""The label of a version staged by a refresh and not yet made current: its token is the newest."""
FIELD = "refresh_token"
_TOML_ORIGIN = re.compile(r"refresh_token in \[(?P<table>[\w.-]+)\] of (?P<where>.+)")
_DOTENV_ORIGIN = re.compile(r"(?P<name>TRELLO_\w*REFRESH_TOKEN) in (?P<where>.+)")
_SM_ORIGIN = re.compile(r"refresh_token in secret (?P<id>.+)")
_SSM_ORIGIN = re.compile(r"parameter (?P<name>/.+)")
Checkpoint = Callable[[str], None]


def _no_checkpoint(step: str) -> None:
    """Tests pass a checkpoint that kills the process at ``step``."""


class RefreshTokenStore(ABC):
    """One place holding the refresh token. ``identity`` names it (no value) for the locks."""

    identity: str

    @abstractmethod
    def read(self) -> Secret | None:
        """The newest refresh token there, or None when the place holds none."""

    @abstractmethod
    def write(self, new: Secret, checkpoint: Checkpoint = _no_checkpoint) -> None:
        """Replace the refresh token with ``new`` atomically (every other value kept)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.identity!r})"


class MemoryStore(RefreshTokenStore):
    """A refresh token held in this process only (lost at exit): tests and ``--store print``."""

    def __init__(self, token: Secret | None = None) -> None:
        self._token = token
        self._lock = threading.Lock()
        self.identity = f"memory:{id(self)}"

    def read(self) -> Secret | None:
        with self._lock:
            return self._token

    def write(self, new: Secret, checkpoint: Checkpoint = _no_checkpoint) -> None:
        with self._lock:
            self._token = new


def replace_privately(path: Path, data: bytes, checkpoint: Checkpoint = _no_checkpoint) -> None:
    """``data`` into a fresh 0600 file beside ``path`` (fsynced), then renamed over ``path``."""
    temporary = path.with_name(f"{path.name}.rotating-{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, PRIVATE_MODE)
    try:
        os.fchmod(descriptor, PRIVATE_MODE)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        checkpoint("written")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class SecretsFileStore(RefreshTokenStore):
    """``refresh_token`` in a TOML table of a local secrets file, rewritten with tomlkit."""

    def __init__(self, path: Path, table: tuple[str, ...] = ("trello",)) -> None:
        self.path = path.resolve()
        self.table = table
        self.identity = f"file:{self.path}:[{'.'.join(table)}]"

    def _document(self, path: Path | None = None) -> Any:
        try:
            return tomlkit.parse((path or self.path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TOMLKitError):
            raise CredentialsError(f"{path or self.path}: cannot read it as TOML") from None

    def _value(self, document: Any) -> Secret | None:
        table = self._table(document)
        value = table.get(FIELD) if table is not None else None
        return Secret(value.strip()) if isinstance(value, str) and value.strip() else None

    def _interrupted(self, saved: Secret | None) -> Secret | None:
        """A newer refresh token in a temporary file a killed refresh wrote but did not rename.

        Only a temporary file written after the secrets file, holding another refresh token in
        the same table, counts; it is renamed into place (so it is kept, not left lying about).
        """
        newest: tuple[float, Path] | None = None
        for candidate in self.path.parent.glob(f"{self.path.name}.rotating-*.tmp"):
            stamp = candidate.stat().st_mtime_ns
            if stamp >= self.path.stat().st_mtime_ns and (newest is None or stamp > newest[0]):
                newest = (stamp, candidate)
        if newest is None:
            return None
        try:
            found = self._value(self._document(newest[1]))
        except CredentialsError:
            return None
        if found is None or found == saved:
            return None
        os.chmod(newest[1], PRIVATE_MODE)
        os.replace(newest[1], self.path)
        return found

    def _table(self, document: Any, create: bool = False) -> Any:
        node = document
        for part in self.table:
            if part not in node and create:
                node[part] = tomlkit.table()
            node = node.get(part) if hasattr(node, "get") else None
            if node is None:
                return None
        return node

    def read(self) -> Secret | None:
        saved = self._value(self._document())
        return self._interrupted(saved) or saved

    def write(self, new: Secret, checkpoint: Checkpoint = _no_checkpoint) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = self._document() if self.path.exists() else tomlkit.document()
        table = self._table(document, create=True)
        table[FIELD] = string_like(table.get(FIELD), new.reveal())
        data = tomlkit.dumps(document).encode("utf-8")
        replace_privately(self.path, data, checkpoint)


class DotenvStore(RefreshTokenStore):
    """``TRELLO_REFRESH_TOKEN=...`` in a ``.env`` file: that one line replaced, the rest kept."""

    def __init__(self, path: Path, variable: str = "TRELLO_REFRESH_TOKEN") -> None:
        self.path = path.resolve()
        self.variable = variable
        self._line = re.compile(rf"^(\s*(?:export\s+)?{re.escape(variable)}\s*=\s*)(.*)$", re.M)
        self.identity = f"dotenv:{self.path}:{variable}"

    def read(self) -> Secret | None:
        match = self._line.search(self.path.read_text(encoding="utf-8"))
        value = match.group(2).strip().strip("'\"") if match else ""
        return Secret(value) if value else None

    def write(self, new: Secret, checkpoint: Checkpoint = _no_checkpoint) -> None:
        text = self.path.read_text(encoding="utf-8")
        line = f"{self.variable}={new.reveal()}"
        if self._line.search(text):
            text = self._line.sub(lambda m: m.group(1) + new.reveal(), text, count=1)
        else:
            text = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
        replace_privately(self.path, text.encode("utf-8"), checkpoint)


def _aws_error(exc: Exception, what: str, permissions: str) -> CredentialsError:
    message = describe_aws_failure(exc, what, permissions) or f"no AWS credentials to reach {what}"
    return CredentialsError(message)


SM_PERMISSIONS = (
    "secretsmanager:DescribeSecret, GetSecretValue, PutSecretValue, UpdateSecretVersionStage "
    "(and CreateSecret for a first login)"
)


class SecretsManagerStore(RefreshTokenStore):
    """``refresh_token`` in a JSON secret; each new one a version staged, then made current."""

    def __init__(self, secret_id: str, client: Any = None) -> None:
        self.secret_id = secret_id
        self._client = client
        self.identity = f"aws-sm:{secret_id}"

    def client(self) -> Any:
        if self._client is None:
            self._client = make_client("secretsmanager")
        return self._client

    def _versions(self) -> tuple[str | None, str | None]:
        """(current, staged) version ids: the staged one only if a refresh left it uncurrent."""
        from botocore.exceptions import ClientError

        try:
            described = self.client().describe_secret(SecretId=self.secret_id)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None, None
            raise
        stages: dict[str, list[str]] = described.get("VersionIdsToStages", {})
        current = next((v for v, labels in stages.items() if CURRENT in labels), None)
        staged = next((v for v, labels in stages.items() if NEXT in labels), None)
        return current, staged if staged != current else None

    def _json(self, version_id: str) -> dict[str, Any]:
        text = self.client().get_secret_value(SecretId=self.secret_id, VersionId=version_id)
        data = json.loads(text.get("SecretString") or "{}")
        if not isinstance(data, dict):
            raise CredentialsError(f"secret {self.secret_id} is not a JSON object")
        return data

    def read(self) -> Secret | None:
        from botocore.exceptions import BotoCoreError, ClientError

        with quiet_botocore():
            try:
                current, pending = self._versions()
                if current is None:
                    return None
                value = self._json(pending or current).get(FIELD)
            except (ClientError, BotoCoreError) as exc:
                raise _aws_error(exc, f"secret {self.secret_id}", SM_PERMISSIONS) from None
        return Secret(value) if isinstance(value, str) and value else None

    def write(self, new: Secret, checkpoint: Checkpoint = _no_checkpoint) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client()
        with quiet_botocore():
            try:
                current, _ = self._versions()
                if current is None:  # a first sign-in: a new secret
                    client.create_secret(
                        Name=self.secret_id, SecretString=json.dumps({FIELD: new.reveal()})
                    )
                    return
                data = self._json(current)
                data[FIELD] = new.reveal()
                version_id = str(uuid.uuid4())
                client.put_secret_value(
                    SecretId=self.secret_id,
                    ClientRequestToken=version_id,
                    SecretString=json.dumps(data),
                    VersionStages=[PENDING, NEXT],
                )
                checkpoint("staged")
                client.update_secret_version_stage(
                    SecretId=self.secret_id,
                    VersionStage=CURRENT,
                    MoveToVersionId=version_id,
                    RemoveFromVersionId=current,
                )
                checkpoint("promoted")
                for label in (NEXT, PENDING):
                    client.update_secret_version_stage(
                        SecretId=self.secret_id, VersionStage=label, RemoveFromVersionId=version_id
                    )
            except (ClientError, BotoCoreError) as exc:
                raise _aws_error(exc, f"secret {self.secret_id}", SM_PERMISSIONS) from None


SSM_PERMISSIONS = "ssm:GetParameter and ssm:PutParameter (and kms:Decrypt, kms:Encrypt)"


class SsmStore(RefreshTokenStore):
    """One SecureString parameter; each new refresh token is a new parameter version."""

    def __init__(self, name: str, client: Any = None) -> None:
        self.name = name
        self._client = client
        self.identity = f"ssm:{name}"

    def client(self) -> Any:
        if self._client is None:
            self._client = make_client("ssm")
        return self._client

    def read(self) -> Secret | None:
        from botocore.exceptions import BotoCoreError, ClientError

        with quiet_botocore():
            try:
                found = self.client().get_parameter(Name=self.name, WithDecryption=True)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "ParameterNotFound":
                    return None
                raise _aws_error(exc, f"parameter {self.name}", SSM_PERMISSIONS) from None
            except BotoCoreError as exc:
                raise _aws_error(exc, f"parameter {self.name}", SSM_PERMISSIONS) from None
        value = str(found["Parameter"].get("Value", ""))
        return Secret(value) if value else None

    def write(self, new: Secret, checkpoint: Checkpoint = _no_checkpoint) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        with quiet_botocore():
            try:
                self.client().put_parameter(
                    Name=self.name, Value=new.reveal(), Type="SecureString", Overwrite=True
                )
            except (ClientError, BotoCoreError) as exc:
                raise _aws_error(exc, f"parameter {self.name}", SSM_PERMISSIONS) from None


def store_for(credentials: OAuth2Credentials) -> RefreshTokenStore:
    """The store the refresh token came from (by the resolver's provenance: names only).

    The environment and ``st.secrets`` cannot be written: a ``ConfigError`` says what to do.
    """
    source, origin = credentials.refresh_source, credentials.refresh_origin
    match = _TOML_ORIGIN.fullmatch(origin)
    if source == "streamlit" and match and match["where"] != "st.secrets":
        return SecretsFileStore(Path(match["where"]), tuple(match["table"].split(".")))
    if source == "dotenv" and (match := _DOTENV_ORIGIN.fullmatch(origin)):
        return DotenvStore(Path(match["where"]), match["name"])
    if source == "aws-sm" and (match := _SM_ORIGIN.fullmatch(origin)):
        return SecretsManagerStore(match["id"])
    if source == "ssm" and (match := _SSM_ORIGIN.fullmatch(origin)):
        return SsmStore(match["name"])
    raise ConfigError(
        f"the OAuth 2.0 refresh token comes from {origin or source or 'nowhere known'}, where a "
        "rotated one cannot be saved; store it with `trellolens login --store secrets-file` "
        "(or aws-secrets-manager, ssm)"
    )
