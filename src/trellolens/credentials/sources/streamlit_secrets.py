"""Streamlit secrets: the ``[trello]`` and ``[connections.trello]`` tables, merged per key.

Streamlit merges its secrets files shallowly (a project ``[trello]`` table replaces the global
one) and ``st.secrets`` raises ``StreamlitSecretNotFoundError`` when there is no file at all.
This source reads each local secrets file itself (refusing open modes, reporting bad TOML by file,
line and column) and, when a Streamlit runtime exists (``streamlit run``, AppTest), ``st.secrets``
too, so secrets given to Streamlit any other way are seen. Merging is per key and explicit:

    weakest  [connections.trello] < [trello] < [connections.trello.<profile>] < [trello.<profile>]
             and at each level: st.secrets < ~/.streamlit/secrets.toml < ./.streamlit/secrets.toml
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from trellolens.credentials.model import FIELD_NAMES, REQUIRED_KEYS, SOURCE_KEYS, SourceResult
from trellolens.credentials.secret import Secret
from trellolens.credentials.sources.base import Source
from trellolens.credentials.sources.secrets_file import (
    allow_open_files,
    check_file_mode,
    read_secrets_file,
)
from trellolens.errors import CredentialsError
from trellolens.files import SECRETS_CAP, SmallFileError, read_small_file

STREAMLIT_SECRETS = "st.secrets"


def table_paths(profile: str) -> list[tuple[str, ...]]:
    """The tables read, weakest first."""
    return [
        ("connections", "trello"),
        ("trello",),
        ("connections", "trello", profile),
        ("trello", profile),
    ]


def table_label(path: tuple[str, ...]) -> str:
    return "[" + ".".join(path) + "]"


def configured_files() -> list[Path]:
    """The ``.toml`` entries of Streamlit's ``secrets.files`` option, in Streamlit's order."""
    if "streamlit" not in sys.modules and not _secrets_option_set():
        # Streamlit's default, known without importing Streamlit (a second of CLI start-up).
        return [
            Path.home() / ".streamlit" / "secrets.toml",
            Path.cwd() / ".streamlit" / "secrets.toml",
        ]
    from streamlit import config

    files = config.get_option("secrets.files") or []
    return [Path(entry) for entry in files if str(entry).endswith(".toml")]


def _secrets_option_set() -> bool:
    """Whether ``secrets.files`` may be set away from its default (environment or config.toml)."""
    if "STREAMLIT_SECRETS_FILES" in os.environ:
        return True
    for folder in (Path.home(), Path.cwd()):
        config = folder / ".streamlit" / "config.toml"
        try:
            if b"secrets" in read_small_file(config, SECRETS_CAP, "a Streamlit config"):
                return True
        except SmallFileError:
            continue
    return False


def _runtime_exists() -> bool:
    if "streamlit" not in sys.modules:
        return False  # no runtime without Streamlit imported
    from streamlit import runtime

    return runtime.exists()


def _runtime_secrets() -> dict[str, Any] | None:
    """``st.secrets`` as a dict when a Streamlit runtime exists; None otherwise or without secrets."""
    if not _runtime_exists():
        return None
    import streamlit as st

    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets anywhere, or unloadable
        return None


def _table(data: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any] | None:
    node: Any = data
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, Mapping) else None


STILL_EMPTY = "still empty"
"""How the note about keys present but blank (as ``trellolens init`` writes them) starts."""


def read_keys(
    table: Mapping[str, Any],
    where: str,
    values: dict[str, Secret],
    origins: dict[str, str],
    empty: dict[str, str] | None = None,
) -> None:
    """Put the keys ``table`` holds (``token`` or ``oauth_token``...) into ``values``/``origins``.

    A key set here replaces one already in ``values``; a value that is not a string is a
    ``CredentialsError`` naming the key and ``where``, never the value. A key present but blank
    (as ``trellolens init`` writes them) goes into ``empty``: key -> where.
    """
    for key in SOURCE_KEYS:
        for toml_name in FIELD_NAMES[key]:
            if toml_name not in table:
                continue
            value = table[toml_name]
            if not isinstance(value, str):
                raise CredentialsError(
                    f"{toml_name} in {where} must be a string in double quotes, "
                    f"not a {type(value).__name__}"
                )
            if value.strip():
                values[key] = Secret(value.strip())
                origins[key] = f"{toml_name} in {where}"
            elif empty is not None:
                empty[key] = f"{toml_name} in {where}"
            break


class StreamlitSecretsSource(Source):
    """``[trello]`` tables from Streamlit's secrets files and ``st.secrets``.

    ``files`` defaults to Streamlit's ``secrets.files`` option, read at each load; ``use_runtime``
    (default: when a Streamlit runtime exists) decides whether ``st.secrets`` is read too.
    """

    name: ClassVar[str] = "streamlit"
    title: ClassVar[str] = "Streamlit secrets"

    def __init__(
        self,
        files: Sequence[Path] | None = None,
        *,
        use_runtime: bool = True,
        allow_open: bool | None = None,
    ) -> None:
        """``allow_open``: skip the file-mode rules (default: ``Settings().allow_open_secrets_file``,
        read at each load)."""
        self._files = None if files is None else [Path(f) for f in files]
        self._use_runtime = use_runtime
        self._allow_open = allow_open

    def files(self) -> list[Path]:
        return configured_files() if self._files is None else list(self._files)

    def load(self, profile: str) -> SourceResult:
        allow_open = allow_open_files(self._allow_open)
        layers: list[tuple[str, Mapping[str, Any]]] = []
        # Files first: an open or broken file is refused before Streamlit itself reads it.
        for path in self.files():
            if not path.exists():
                continue  # a FIFO or a device is there: read_secrets_file refuses it in one line
            check_file_mode(path, allow_open)
            layers.append((str(path), read_secrets_file(path)))
        live = _runtime_secrets() if self._use_runtime else None
        if live is not None:
            layers.insert(0, (STREAMLIT_SECRETS, live))
        values: dict[str, Secret] = {}
        origins: dict[str, str] = {}
        empty: dict[str, str] = {}
        for table_path in table_paths(profile):
            for where, data in layers:
                table = _table(data, table_path)
                if table is not None:
                    label = f"{table_label(table_path)} of {where}"
                    read_keys(table, label, values, origins, empty)
        blank = [
            where for key, where in empty.items() if key in REQUIRED_KEYS and key not in values
        ]
        note = None if layers else "no secrets file"
        if blank:
            note = f"{STILL_EMPTY}: {'; '.join(blank)}; fill in the value between the quotes"
        return SourceResult(values=values, origins=origins, note=note)

    def locations(self, profile: str) -> list[str]:
        tables = ", ".join(table_label(path) for path in reversed(table_paths(profile)))
        places = [str(path) for path in self.files()]
        if self._use_runtime and _runtime_exists():
            places.append(STREAMLIT_SECRETS)
        return [f"{tables} in {', '.join(places) or 'no secrets files'}"]
