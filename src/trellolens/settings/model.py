"""``Settings`` and its fields: one ``Field`` per setting (its variable, its key in ``[trellolens]``
and how it is parsed), so a new setting (``public_url``, ``admins``) is one line here."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from trellolens.credentials.base_url import BASE_URL_VARIABLE, DEFAULT_BASE_URL, check_base_url
from trellolens.credentials.model import DEFAULT_PROFILE, check_profile
from trellolens.credentials.settings import (
    PROFILE_VARIABLE,
    REFRESH_VARIABLE,
    SECRET_ID_VARIABLE,
    SOURCES_VARIABLE,
    SSM_PATH_VARIABLE,
    refresh_seconds,
    source_names,
)
from trellolens.credentials.sources.aws_secrets_manager import DEFAULT_SECRET_ID
from trellolens.credentials.sources.aws_ssm import DEFAULT_PATH
from trellolens.credentials.sources.secrets_file import ALLOW_OPEN_FILE_VARIABLE
from trellolens.errors import ConfigError, TrellolensError
from trellolens.shared.settings import REDIS_URL_VARIABLE, check_redis_url, describe_redis_url

ACCESS_MODES = ("local", "login", "open", "visitor")


def _text(value: str) -> str:
    return value


def _optional(value: str) -> str | None:
    return value or None


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _flag(value: str) -> bool:
    if value not in ("", "0", "1"):
        raise ConfigError("must be 1 (on) or 0 (off)")
    return value == "1"


def _access(value: str) -> str:
    mode = value.lower() or "local"
    if mode not in ACCESS_MODES:
        raise ConfigError(f"must be one of {', '.join(ACCESS_MODES)}")
    return mode


def _redis_url(value: str) -> str | None:
    return check_redis_url(value) if value else None


@dataclass(frozen=True)
class Field:
    """One setting: its ``Settings`` attribute, its variable, its key in ``[trellolens]`` and
    its parser (given the stripped text, "" when unset; raising a ``TrellolensError``)."""

    name: str
    variable: str
    parse: Callable[[str], Any]

    @property
    def key(self) -> str:
        return self.name


FIELDS: tuple[Field, ...] = (
    Field("api_base_url", BASE_URL_VARIABLE, lambda v: check_base_url(v or DEFAULT_BASE_URL)),
    Field("redis_url", REDIS_URL_VARIABLE, _redis_url),
    Field("sources", SOURCES_VARIABLE, source_names),
    Field("profile", PROFILE_VARIABLE, lambda v: check_profile(v or DEFAULT_PROFILE)),
    Field("aws_secret_id", SECRET_ID_VARIABLE, lambda v: v or DEFAULT_SECRET_ID),
    Field("ssm_path", SSM_PATH_VARIABLE, lambda v: v or DEFAULT_PATH),
    Field("aws_refresh_seconds", REFRESH_VARIABLE, refresh_seconds),
    Field("allow_open_secrets_file", ALLOW_OPEN_FILE_VARIABLE, _flag),
    Field("access", "TRELLOLENS_ACCESS", _access),
    Field("allowed_emails", "TRELLOLENS_ALLOWED_EMAILS", _names),
    Field("allowed_hosts", "TRELLOLENS_ALLOWED_HOSTS", _names),
    Field("unverified_email_issuers", "TRELLOLENS_UNVERIFIED_EMAIL_ISSUERS", _names),
    Field("default_board", "TRELLOLENS_DEFAULT_BOARD", _optional),
)
"""Every setting, in the order they are checked."""


@dataclass(frozen=True)
class Settings:
    """Every setting, checked; ``origins`` says where each came from (names, never values)."""

    api_base_url: str = DEFAULT_BASE_URL
    redis_url: str | None = None
    sources: tuple[str, ...] = ()
    profile: str = DEFAULT_PROFILE
    aws_secret_id: str = DEFAULT_SECRET_ID
    ssm_path: str = DEFAULT_PATH
    aws_refresh_seconds: float = 0.0
    allow_open_secrets_file: bool = False
    access: str = "local"
    allowed_emails: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    unverified_email_issuers: tuple[str, ...] = ()
    default_board: str | None = None
    origins: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        shown = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "origins"}
        if self.redis_url is not None:  # the password stays out
            shown["redis_url"] = describe_redis_url(self.redis_url)
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


def _raw(field: Field, table: Mapping[str, Any], environ: Mapping[str, str]) -> tuple[str, str]:
    """The setting's text and where it came from: ``[trellolens] key``, the variable, or ""."""
    if field.key in table:
        value = table[field.key]
        if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            return ",".join(value), f"[trellolens] {field.key}"
        if not isinstance(value, str | int | float | bool):
            raise ConfigError(f"[trellolens] {field.key} must be text")
        text = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return text.strip(), f"[trellolens] {field.key}"
    text = environ.get(field.variable, "").strip()
    return text, field.variable if text else ""


def read_settings(
    table: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Every setting from ``table`` (``[trellolens]`` of the secrets), then ``environ``
    (``os.environ`` by default), checked; ``ConfigError`` names the first bad one in one line."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: list[tuple[str, str]] = []
    for field in FIELDS:
        text, origin = _raw(field, table or {}, env)
        where = origin or field.variable
        try:
            values[field.name] = field.parse(text)
        except TrellolensError as problem:
            line = str(problem).splitlines()[0] if str(problem) else "is not valid"
            if field.variable in line or field.key in line:
                raise ConfigError(line) from None
            raise ConfigError(f"{where} {line}") from None
        if origin:
            origins.append((field.name, origin))
    return Settings(**values, origins=tuple(origins))
