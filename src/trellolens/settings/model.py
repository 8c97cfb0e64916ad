"""``Settings`` and its fields: one ``Field`` per setting (its variable, its key in ``[trellolens]``
and how it is parsed), written once as a class attribute, so a new setting is one line here.

A field is read on first use, not when the object is made: a bad ``TRELLOLENS_REDIS_URL`` stops
what needs Redis with one line naming the variable, never ``trellolens scan``. ``check()`` reads
every field (the doctor, ``trellolens credentials``), ``problems()`` lists every bad one.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar, overload

from trellolens.errors import ConfigError, TrellolensError
from trellolens.settings.access import parse_access, parse_admins, parse_emails, parse_issuers
from trellolens.settings.chain import (
    ALLOW_OPEN_FILE_VARIABLE,
    DEFAULT_PROFILE,
    DEFAULT_SECRET_ID,
    DEFAULT_SSM_PATH,
    PROFILE_VARIABLE,
    REFRESH_VARIABLE,
    SECRET_ID_VARIABLE,
    SOURCES_VARIABLE,
    SSM_PATH_VARIABLE,
    check_profile,
    refresh_seconds,
    source_names,
)
from trellolens.settings.hosts import parse_allowed_hosts, parse_public_url
from trellolens.settings.urls import (
    AUTH_BASE_URL_VARIABLE,
    BASE_URL_VARIABLE,
    DEFAULT_AUTH_BASE_URL,
    DEFAULT_BASE_URL,
    REDIS_URL_VARIABLE,
    check_base_url,
    check_redis_url,
    describe_redis_url,
)

T = TypeVar("T")
SECRETS_TABLE = "trellolens"
APP_NAME_LIMIT = 60


def _text_of(value: object, where: str) -> str:
    """A table value as the environment would hold it: lists joined, booleans 1/0."""
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return ",".join(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if not isinstance(value, str | int | float):
        raise ConfigError(f"{where} must be text")
    return str(value).strip()


def text(parse: Callable[[str], T]) -> Callable[[object, str], T]:
    """A parser of text (as in the environment) made a field's parser."""
    return lambda value, where: parse(_text_of(value, where))


def pair(parse: Callable[[object, str], tuple[T, str | None]]) -> Callable[[object, str], T]:
    """A ``(value, problem)`` parser made a field's parser that raises the problem."""

    def parsed(value: object, where: str) -> T:
        result, problem = parse(value, where)
        if problem is not None:
            raise ConfigError(problem)
        return result

    return parsed


def _optional(value: str) -> str | None:
    return value or None


def _flag(value: str) -> bool:
    if value not in ("", "0", "1"):
        raise ConfigError("must be 1 (on) or 0 (off)")
    return value == "1"


def _yes_no(value: str) -> bool:
    lowered = value.lower()
    if lowered not in ("", "0", "1", "false", "true"):
        raise ConfigError("must be true or false")
    return lowered in ("1", "true")


def _public(value: object, where: str) -> bool:
    """``public = true``: a TOML boolean in the table (a string there is a mistake), or
    ``TRELLOLENS_PUBLIC`` = true/false/1/0."""
    if isinstance(value, bool):
        return value
    if where.startswith(Settings.public.key + " in ["):
        raise ConfigError(f"{where} must be true or false (a TOML boolean, not a string)")
    return _yes_no(_text_of(value, where))


def _dates(value: str) -> tuple[str, ...]:
    """Holidays as written (ISO dates, comma-separated); the calendar parses them."""
    return tuple(part.strip() for part in value.replace("\n", ",").split(",") if part.strip())


SESSION_DAYS_DEFAULT, SESSION_DAYS_LIMIT = 7.0, 365.0


def _session_days(value: str) -> float:
    """How long a visitor's sign-in lasts at most: days, more than 0 and at most 365."""
    if not value:
        return SESSION_DAYS_DEFAULT
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 < days <= SESSION_DAYS_LIMIT:
        raise ConfigError("must be a number of days above 0 and at most 365 (default 7)")
    return days


LIVE_POLL_DEFAULT, LIVE_POLL_LOWEST, LIVE_POLL_HIGHEST = 1.0, 0.25, 60.0


def _live_poll_seconds(value: str) -> float:
    """How often an open page asks Redis for its board's version: seconds, 0 for never."""
    if not value:
        return LIVE_POLL_DEFAULT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds != 0 and not LIVE_POLL_LOWEST <= seconds <= LIVE_POLL_HIGHEST:
        raise ConfigError("must be 0 (off) or seconds from 0.25 to 60 (default 1)")
    return seconds


def _app_name(value: str) -> str | None:
    return value[:APP_NAME_LIMIT] or None


class Field(Generic[T]):
    """One setting: its ``Settings`` attribute, its variable, its key in ``[trellolens]`` (the
    attribute's name) and its parser, given the raw value ("" when unset) and where it was set."""

    def __init__(self, variable: str, parse: Callable[[object, str], T]) -> None:
        self.variable = variable
        self.parse = parse
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @property
    def key(self) -> str:
        return self.name

    @overload
    def __get__(self, instance: None, owner: type) -> Field[T]: ...
    @overload
    def __get__(self, instance: Settings, owner: type) -> T: ...
    def __get__(self, instance: Settings | None, owner: type) -> Field[T] | T:
        if instance is None:
            return self
        value: T = instance.read(self)
        return value

    def where(self, table: Mapping[str, Any]) -> str:
        if self.key in table:
            return f"{self.key} in [{SECRETS_TABLE}] of secrets.toml"
        return self.variable


class Settings:
    """Every ``TRELLO*``/``TRELLOLENS_*`` setting but credentials: ``[trellolens]`` of the secrets
    first, then the environment. Each field is parsed once, on first use; a bad one raises
    ``ConfigError`` naming its variable (or key), never its value, each time it is read."""

    api_base_url = Field(BASE_URL_VARIABLE, text(lambda v: check_base_url(v or DEFAULT_BASE_URL)))
    auth_base_url = Field(
        AUTH_BASE_URL_VARIABLE,
        text(
            lambda v: check_base_url(
                v or DEFAULT_AUTH_BASE_URL, AUTH_BASE_URL_VARIABLE, DEFAULT_AUTH_BASE_URL
            )
        ),
    )
    redis_url = Field(REDIS_URL_VARIABLE, text(lambda v: check_redis_url(v) if v else None))
    sources = Field(SOURCES_VARIABLE, text(source_names))
    profile = Field(PROFILE_VARIABLE, text(lambda v: check_profile(v or DEFAULT_PROFILE)))
    aws_secret_id = Field(SECRET_ID_VARIABLE, text(lambda v: v or DEFAULT_SECRET_ID))
    ssm_path = Field(SSM_PATH_VARIABLE, text(lambda v: v or DEFAULT_SSM_PATH))
    aws_refresh_seconds = Field(REFRESH_VARIABLE, text(refresh_seconds))
    allow_open_secrets_file = Field(ALLOW_OPEN_FILE_VARIABLE, text(_flag))
    access = Field("TRELLOLENS_ACCESS", pair(parse_access))
    allowed_emails = Field("TRELLOLENS_ALLOWED_EMAILS", pair(parse_emails))
    allowed_hosts = Field("TRELLOLENS_ALLOWED_HOSTS", pair(parse_allowed_hosts))
    unverified_email_issuers = Field("TRELLOLENS_UNVERIFIED_EMAIL_ISSUERS", pair(parse_issuers))
    public_url = Field("TRELLOLENS_PUBLIC_URL", pair(parse_public_url))
    admins = Field("TRELLOLENS_ADMINS", pair(parse_admins))
    public = Field("TRELLOLENS_PUBLIC", _public)
    default_board = Field("TRELLOLENS_DEFAULT_BOARD", text(_optional))
    holidays = Field("TRELLOLENS_HOLIDAYS", text(_dates))
    app_name = Field("TRELLOLENS_APP_NAME", text(_app_name))
    session_days = Field("TRELLOLENS_SESSION_DAYS", text(_session_days))
    live_poll_seconds = Field("TRELLOLENS_LIVE_POLL_SECONDS", text(_live_poll_seconds))

    def __init__(
        self, table: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        self._table: Mapping[str, Any] = dict(table or {})
        self._environ: Mapping[str, str] = os.environ if environ is None else environ
        self._values: dict[str, Any] = {}
        self._lock = threading.Lock()

    def read(self, field: Field[T]) -> T:
        """``field``'s value, parsed on first use; ``ConfigError`` (one line) if it is bad."""
        if field.name in self._values:
            value: T = self._values[field.name]
            return value
        where = field.where(self._table)
        raw: object = (
            self._table[field.key]
            if field.key in self._table
            else self._environ.get(field.variable, "").strip()
        )
        try:
            value = field.parse(raw, where)
        except TrellolensError as problem:
            line = str(problem).splitlines()[0] if str(problem) else "is not valid"
            if where != field.variable:  # set in the table: name the key, not the variable
                line = line.replace(field.variable, where)
            if where in line:
                raise ConfigError(line) from None
            raise ConfigError(f"{where} {line}") from None
        with self._lock:
            self._values.setdefault(field.name, value)
        return value

    def origin(self, field: Field[Any]) -> str:
        """Where ``field`` was set: its key in ``[trellolens]``, its variable, or "" (default)."""
        if field.key in self._table:
            return f"[{SECRETS_TABLE}] {field.key}"
        return field.variable if self._environ.get(field.variable, "").strip() else ""

    @property
    def origins(self) -> tuple[tuple[str, str], ...]:
        """(field, where it was set) for every field that is set: names, never values."""
        return tuple((f.name, self.origin(f)) for f in FIELDS if self.origin(f))

    def problems(self, among: Iterable[Field[Any]] | None = None) -> tuple[str, ...]:
        """The one-line problem of every bad field (of ``among``, default all), in order."""
        found: list[str] = []
        for field in FIELDS if among is None else among:
            try:
                self.read(field)
            except ConfigError as problem:
                found.append(str(problem))
        return tuple(found)

    def check(self) -> Settings:
        """Every field read now; ``ConfigError`` for the first bad one."""
        for field in FIELDS:
            self.read(field)
        return self

    def __repr__(self) -> str:
        shown: list[str] = []
        for field in FIELDS:
            try:
                value = self.read(field)
            except ConfigError:
                shown.append(f"{field.name}=<invalid>")
                continue
            if field is Settings.redis_url and value is not None:  # the password stays out
                value = describe_redis_url(value)
            shown.append(f"{field.name}={value!r}")
        return "Settings(" + ", ".join(shown) + ")"


FIELDS: tuple[Field[Any], ...] = tuple(
    value for value in vars(Settings).values() if isinstance(value, Field)
)
"""Every setting, in the order they are checked."""


def read_settings(
    table: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """The settings of ``table`` (``[trellolens]`` of the secrets), then ``environ``
    (``os.environ`` by default), every one checked: ``ConfigError`` names the first bad one.
    ``Settings(table, environ)`` is the lazy form, which checks each field when it is read."""
    return Settings(table, environ).check()
