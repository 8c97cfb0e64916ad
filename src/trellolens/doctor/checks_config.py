"""What visitors see of an uncaught exception: Streamlit's ``client.showErrorDetails``.

Streamlit 1.67 reads the option from (weakest first) ``~/.streamlit/config.toml``, the project's
``.streamlit/config.toml``, ``STREAMLIT_CLIENT_SHOW_ERROR_DETAILS`` and command-line flags; its
default is ``"full"``. Values and what visitors see (streamlit/elements/exception.py):

    "full", true        type, message and traceback
    "stacktrace", false type and traceback (false is the deprecated spelling of "stacktrace")
    "type"              the exception type and a generic message
    "none"              a generic message only
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from trellolens.doctor.check import Check, passed, warned
from trellolens.files import SECRETS_CAP, SmallFileError, read_small_file

OPTION = "client.showErrorDetails"
ENV_VARIABLE = "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"
CONFIG_FILE = Path(".streamlit") / "config.toml"
STREAMLIT_DEFAULT = "full"
CHECK_ID = "streamlit.error_details"
TITLE = "Error details shown to visitors"
FIX = f'set showErrorDetails = "none" under [client] in {CONFIG_FILE} (details stay in the server log)'

SHOWN: dict[str, str] = {
    "full": "exception types, messages and tracebacks",
    "true": "exception types, messages and tracebacks",
    "stacktrace": "exception types and tracebacks",
    "false": "exception types and tracebacks (false means stacktrace)",
    "type": "exception types and a generic message, no messages or tracebacks",
    "none": "a generic message only",
}
SAFE = frozenset({"none", "type"})


def _spelling(value: object) -> str:
    """Streamlit's values as one lower-case word: ``True`` and ``"True"`` are both ``true``."""
    return str(value).strip().lower()


def _from_file(path: Path) -> tuple[object | None, str | None]:
    """(the option's value or None, a problem reading the file or None)."""
    try:
        data = tomllib.loads(read_small_file(path, SECRETS_CAP, "a Streamlit config").decode())
    except (SmallFileError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, f"{path} could not be read ({type(exc).__name__})"
    client = data.get("client")
    if isinstance(client, dict) and "showErrorDetails" in client:
        return client["showErrorDetails"], None
    return None, None


def configured_value(
    project_dir: Path, home: Path, environ: Mapping[str, str]
) -> tuple[object, str] | str:
    """(value, where it was set), or the one-line problem with a config file."""
    if environ.get(ENV_VARIABLE, "").strip():
        return environ[ENV_VARIABLE].strip(), ENV_VARIABLE
    for path in (project_dir / CONFIG_FILE, home / CONFIG_FILE):
        if not path.is_file():
            continue
        value, problem = _from_file(path)
        if problem:
            return problem
        if value is not None:
            return value, str(path)
    return STREAMLIT_DEFAULT, f"Streamlit's default: {project_dir / CONFIG_FILE} does not set it"


def error_details_check(
    project_dir: Path,
    home: Path,
    environ: Mapping[str, str],
    running_value: object | None = None,
) -> Check:
    """Warn unless visitors see no exception message or traceback.

    ``running_value`` is the option as a running app has it (the Security page passes it):
    that is what visitors get, whatever the files say.
    """
    if running_value is not None:
        value: object = running_value
        where = "the running app's configuration"
    else:
        found = configured_value(project_dir, home, environ)
        if isinstance(found, str):
            return warned(CHECK_ID, TITLE, found, f"fix the TOML, then {FIX}")
        value, where = found
    word = _spelling(value)
    if word not in SHOWN:
        return warned(
            CHECK_ID,
            TITLE,
            f'{OPTION} = "{str(value)[:20]}" ({where}) is not a value Streamlit 1.67 knows',
            FIX,
        )
    detail = f'{OPTION} = "{word}" ({where}): visitors see {SHOWN[word]}'
    if word in SAFE:
        return passed(CHECK_ID, TITLE, detail)
    return warned(CHECK_ID, TITLE, detail, FIX)
