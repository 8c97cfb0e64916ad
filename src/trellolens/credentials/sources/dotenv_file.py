"""A ``.env`` file: the same ``TRELLO_*`` names as the environment, read, never exported.

python-dotenv's parser (``dotenv_values``) reads the file into a dict; nothing goes into
``os.environ``, where every library and child process could read it. The file must be private
(the secrets-file mode rule) and is read afresh at each load.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar

from trellolens.credentials.model import SOURCE_KEYS, SourceResult
from trellolens.credentials.sources.base import Source
from trellolens.credentials.sources.environment import read_variables, variable_names
from trellolens.credentials.sources.secrets_file import allow_open_files, check_file_mode
from trellolens.errors import CredentialsError
from trellolens.files import SECRETS_CAP, SmallFileError, read_small_file

DOTENV_FILE = Path(".env")
"""Where the file is looked for, relative to the working directory."""


def read_dotenv(path: Path) -> dict[str, str]:
    """The file's assignments (without interpolation); an unreadable file names itself only.

    A regular file of at most ``SECRETS_CAP`` only: a FIFO, a device or a huge file is one line.
    """
    from dotenv import dotenv_values

    try:
        text = read_small_file(path, SECRETS_CAP, "a .env file").decode("utf-8")
    except SmallFileError as exc:
        raise CredentialsError(str(exc)) from None
    except UnicodeDecodeError:
        raise CredentialsError(f"{path}: not UTF-8 text; save the .env file as UTF-8") from None
    parsed = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return {name: value for name, value in parsed.items() if value is not None}


class DotenvSource(Source):
    """``TRELLO_API_KEY=...`` lines of a ``.env`` file (default: ``./.env``, read at each load)."""

    name: ClassVar[str] = "dotenv"
    title: ClassVar[str] = ".env file"

    def __init__(self, path: Path | None = None, *, allow_open: bool | None = None):
        """``allow_open``: skip the file-mode rules (default: ``Settings().allow_open_secrets_file``,
        read at each load)."""
        self._path = path
        self._allow_open = allow_open

    def path(self) -> Path:
        """The file this source reads: the given one, else ``.env`` in the working directory."""
        return Path.cwd() / DOTENV_FILE if self._path is None else self._path

    def load(self, profile: str) -> SourceResult:
        path = self.path()
        if not path.exists():
            return SourceResult(values={}, origins={}, note="no .env file")
        check_file_mode(path, allow_open_files(self._allow_open))
        return read_variables(read_dotenv(path), profile, f" in {path}")

    def locations(self, profile: str) -> list[str]:
        names = ", ".join(name for key in SOURCE_KEYS for name in variable_names(key, profile))
        return [f"{names} in {self.path()}"]
