"""The one interface every credentials source implements (as pydantic-settings' sources do)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from trellolens.credentials.model import SourceResult


class Source(ABC):
    """A place Trello credentials may live.

    ``load`` answers "which keys do you have for this profile?". A source with nothing returns
    an empty result (perhaps with a note); a source that is present but broken (bad TOML, an open
    file mode, a denied AWS permission) raises ``CredentialsError``. Neither ever holds a value
    in a message.
    """

    name: ClassVar[str]
    """Short name used in ``TRELLOLENS_SOURCES`` and in provenance: streamlit, env, aws-sm, ssm."""
    title: ClassVar[str]
    """The name a person reads: "Streamlit secrets", "Environment variables", ..."""

    @abstractmethod
    def load(self, profile: str) -> SourceResult:
        """The keys this source holds for ``profile``."""

    @abstractmethod
    def locations(self, profile: str) -> list[str]:
        """Where this source looks for ``profile``, in words (paths, variable names, ids)."""
