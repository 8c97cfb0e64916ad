"""What the client returns besides a ``Board``: board summaries and what a token may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trellolens.board.json_reader import JsonReader


@dataclass(frozen=True, slots=True)
class BoardSummary:
    """One board of ``GET /1/members/me/boards``: enough to pick it."""

    id: str
    name: str
    closed: bool = False
    url: str = ""
    date_last_activity: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenPermission:
    model_type: str
    """``Board``, ``Organization`` or ``Member``."""
    model_id: str
    """An id, or ``*`` for all of them."""
    read: bool
    write: bool


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """``GET /1/tokens/{token}``: who the token belongs to, when it expires, what it may do."""

    identifier: str
    """The name of the app the token was made for."""
    member_id: str
    created: datetime | None
    expires: datetime | None
    """``None``: the token never expires."""
    permissions: tuple[TokenPermission, ...] = ()
    granted: tuple[str, ...] = ()
    """An OAuth 2.0 access token's scopes as granted (``read:board:trello``...); legacy: ()."""
    oauth2: bool = False
    """An OAuth 2.0 access token: ``expires`` is when it must be refreshed (about an hour)."""

    @property
    def scopes(self) -> tuple[str, ...]:
        """``("read",)`` or ``("read", "write")``: what any permission allows; OAuth 2.0: the
        granted scopes."""
        if self.oauth2:
            return self.granted
        scopes = []
        if any(p.read for p in self.permissions):
            scopes.append("read")
        if any(p.write for p in self.permissions):
            scopes.append("write")
        return tuple(scopes)

    @property
    def can_write(self) -> bool:
        if self.oauth2:
            return any(scope.startswith("write:") for scope in self.granted)
        return "write" in self.scopes


SOURCE = "Trello API response"


def board_summaries(payload: object) -> list[BoardSummary]:
    read = JsonReader(SOURCE)
    if not isinstance(payload, list):
        read.fail("$", "expected an array of boards")
    summaries = []
    for index, raw in enumerate(payload):
        path = f"$[{index}]"
        item = read.obj(raw, path)
        summaries.append(
            BoardSummary(
                id=read.text(item, "id", path),
                name=read.optional_text(item, "name", path) or "(unnamed board)",
                closed=read.flag(item, "closed", path),
                url=read.optional_text(item, "url", path) or "",
                date_last_activity=read.date(item, "dateLastActivity", path),
            )
        )
    return summaries


def token_info(payload: object) -> TokenInfo:
    read = JsonReader(SOURCE)
    item: Any = read.obj(payload, "$")
    permissions = []
    for index, raw in enumerate(read.array(item, "permissions", "$")):
        path = f"$.permissions[{index}]"
        entry = read.obj(raw, path)
        permissions.append(
            TokenPermission(
                model_type=read.optional_text(entry, "modelType", path) or "",
                model_id=read.optional_text(entry, "idModel", path) or "",
                read=read.flag(entry, "read", path),
                write=read.flag(entry, "write", path),
            )
        )
    return TokenInfo(
        identifier=read.optional_text(item, "identifier", "$") or "",
        member_id=read.optional_text(item, "idMember", "$") or "",
        created=read.date(item, "dateCreated", "$"),
        expires=read.date(item, "dateExpires", "$"),
        permissions=tuple(permissions),
    )
