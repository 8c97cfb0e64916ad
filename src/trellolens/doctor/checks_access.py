"""Doctor check: live boards open to anyone on a server other computers can reach.

``access = "open"`` (or ``TRELLOLENS_ACCESS=open``) shows the boards of the app's token to anyone
with the address. That is a fine choice on purpose and a leak by accident, so the doctor fails
when live credentials are configured, the server would listen beyond loopback, and the owner has
not spelled out ``public = true`` in ``[trellolens]`` (or ``TRELLOLENS_PUBLIC=true``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from trellolens.doctor.check import Check, failed, passed
from trellolens.errors import ConfigError
from trellolens.files import SECRETS_CAP, SmallFileError, read_small_file
from trellolens.loopback import is_loopback
from trellolens.settings import Settings

CHECK_ID = "access.open"
TITLE = "Live boards open to anyone"
ADDRESS_VARIABLE = "STREAMLIT_SERVER_ADDRESS"
CONFIG_FILE = Path(".streamlit") / "config.toml"
TABLE = "trellolens"


def access_policy(settings: Settings) -> str:
    """``access`` as the app reads it; "?" when it is not one the app accepts."""
    try:
        return settings.access
    except ConfigError:
        return "?"


def declared_public(settings: Settings) -> bool:
    """``public = true`` (a TOML boolean, not a string) in ``[trellolens]``, or TRELLOLENS_PUBLIC."""
    try:
        return settings.public
    except ConfigError:
        return False


def _file_address(path: Path) -> str | None:
    try:
        data = tomllib.loads(read_small_file(path, SECRETS_CAP, "a Streamlit config").decode())
    except (SmallFileError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    server = data.get("server")
    value = server.get("address") if isinstance(server, dict) else None
    return value if isinstance(value, str) else None


def listen_address(
    project_dir: Path, home: Path, environ: Mapping[str, str], running: str | None = None
) -> tuple[str | None, str]:
    """(``server.address`` or None for every interface, where it was set)."""
    if running is not None:
        return running or None, "the running app's configuration"
    if environ.get(ADDRESS_VARIABLE, "").strip():
        return environ[ADDRESS_VARIABLE].strip(), ADDRESS_VARIABLE
    for path in (project_dir / CONFIG_FILE, home / CONFIG_FILE):
        if path.is_file():
            address = _file_address(path)
            if address:
                return address, str(path)
    return None, "not set: `streamlit run` listens on every interface"


def open_access_check(
    *,
    credentials_configured: bool,
    settings: Settings,
    environ: Mapping[str, str],
    project_dir: Path,
    home: Path,
    running_address: str | None = None,
) -> Check:
    policy = access_policy(settings)
    if policy != "open":
        return passed(CHECK_ID, TITLE, f"access is {policy}: live boards are not open to anyone")
    address, where = listen_address(project_dir, home, environ, running_address)
    shown = f"server.address = {address} ({where})" if address else f"server.address {where}"
    if not credentials_configured:
        return passed(CHECK_ID, TITLE, "access is open, but no Trello credentials are configured")
    if is_loopback(address):
        return passed(CHECK_ID, TITLE, f"access is open, on loopback only ({shown})")
    if declared_public(settings):
        return passed(
            CHECK_ID, TITLE, f"access is open and [{TABLE}] public = true says so ({shown})"
        )
    return failed(
        CHECK_ID,
        TITLE,
        f"access is open and the server may be reached from other computers ({shown}): anyone "
        "with the address sees the live boards of the app's token",
        f'choose access = "login" or "visitor", or add public = true to [{TABLE}] of '
        f".streamlit/secrets.toml (or set {Settings.public.variable}=true) if everyone may see these boards",
    )


CALLBACK_CHECK_ID = "access.public_url"
CALLBACK_TITLE = "Sign in with Trello's return address"


def visitor_callback_check(
    *,
    settings: Settings,
    environ: Mapping[str, str],
    project_dir: Path,
    home: Path,
    running_address: str | None = None,
) -> Check | None:
    """``access = "visitor"``: Trello must send visitors back to an address from configuration."""
    if access_policy(settings) != "visitor":
        return None
    try:
        configured = settings.public_url
    except ConfigError as problem:
        return failed(
            CALLBACK_CHECK_ID,
            CALLBACK_TITLE,
            str(problem),
            f"set public_url in [{TABLE}] to the address visitors open, e.g. "
            "https://dash.example.com",
        )
    if configured is not None:
        return passed(CALLBACK_CHECK_ID, CALLBACK_TITLE, f"public_url is {configured}")
    address, where = listen_address(project_dir, home, environ, running_address)
    shown = f"server.address = {address} ({where})" if address else f"server.address {where}"
    if is_loopback(address):
        return passed(
            CALLBACK_CHECK_ID, CALLBACK_TITLE, f"loopback only ({shown}): Trello returns there"
        )
    return failed(
        CALLBACK_CHECK_ID,
        CALLBACK_TITLE,
        f'access = "visitor" and the server may be reached from other computers ({shown}), '
        "but no public_url says where Trello should send visitors back: sign-in stays off",
        f"set public_url in [{TABLE}] of .streamlit/secrets.toml (or {Settings.public_url.variable}) "
        "to the address visitors open, and add its origin to the API key's allowed origins",
    )
