"""The emulator's in-memory world: boards in Trello's API shape, members, the API key and tokens."""

from __future__ import annotations

import json
import random
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trellolens.board import Board, board_to_export, load_board, parse_board
from trellolens.testing.emulator.oauth import OAuthState
from trellolens.testing.emulator.oauth2 import OAuth2State
from trellolens.testing.emulator.shapes import BoardData, build_board
from trellolens.testing.emulator.webhooks import WebhookRegistry

BoardSource = Board | Mapping[str, Any] | str | Path
"""A ``Board``, a Trello export as a dict, or the path of an export file."""

SCOPES = frozenset({"read", "write", "account"})


def made_up_token(randbits: Callable[[int], int] = secrets.randbits) -> str:
    """A token in Trello's real format: ``ATTA`` + 64 hex + 8 hex (76 characters)."""
    return f"ATTA{randbits(256):064x}{randbits(32):08x}"


@dataclass(frozen=True)
class TokenSpec:
    """A token the emulator accepts. ``member_id`` None means the emulator's own member."""

    token: str = field(repr=False)
    scopes: tuple[str, ...] = ("read",)
    expires: datetime | None = None
    created: datetime | None = None
    member_id: str | None = None
    identifier: str = "trellolens emulator"

    def __post_init__(self) -> None:
        unknown = set(self.scopes) - SCOPES
        if unknown:
            raise ValueError(
                f"unknown token scope(s) {sorted(unknown)}; use read, write or account"
            )


@dataclass
class TokenState:
    spec: TokenSpec
    member_id: str
    created: datetime
    revoked: bool = False

    def expired(self, now: datetime) -> bool:
        return self.spec.expires is not None and self.spec.expires <= now


@dataclass(frozen=True)
class MemberInfo:
    id: str
    username: str
    full_name: str

    def api(self) -> dict[str, Any]:
        initials = "".join(part[:1] for part in self.full_name.split()[:2]).upper()
        return {
            "id": self.id,
            "username": self.username,
            "fullName": self.full_name,
            "initials": initials,
            "avatarHash": None,
            "url": f"https://trello.com/{self.username}",
        }


def random_id(rng: random.Random, moment: datetime | None = None) -> str:
    """A Trello-shaped id: 8 hex digits of time, then 16 random hex digits."""
    when = moment or datetime.now(UTC)
    return f"{int(when.timestamp()):08x}{rng.getrandbits(64):016x}"


def load_export(source: BoardSource) -> dict[str, Any]:
    """The export dict of a board source, checked by the board parser (clear errors on bad input)."""
    if isinstance(source, Board):
        return board_to_export(source)
    if isinstance(source, str | Path):
        load_board(source)  # raises BoardFormatError naming the file and the JSON path
        raw = json.loads(Path(source).read_text(encoding="utf-8-sig"))
        if not isinstance(raw, dict):  # pragma: no cover - load_board refuses these already
            raise TypeError(f"{Path(source).name}: not a board export")
        return raw
    if isinstance(source, Mapping):
        parse_board(dict(source), "board dict")
        return dict(source)
    raise TypeError(
        f"a board must be a Board, an export dict or a path, not {type(source).__name__}"
    )


class EmulatorState:
    """Boards, members and tokens behind one lock (the server is threaded)."""

    def __init__(self, key: str, owner: MemberInfo, api_secret: str = "") -> None:
        self.lock = threading.RLock()
        self.key = key
        self.oauth = OAuthState(api_secret)
        self.oauth2 = OAuth2State()
        self.webhooks = WebhookRegistry(api_secret)
        self.owner = owner
        self.members: dict[str, MemberInfo] = {owner.id: owner}
        self.boards: dict[str, BoardData] = {}
        self.short_links: dict[str, str] = {}
        self.tokens: dict[str, TokenState] = {}
        self.card_board: dict[str, str] = {}
        self.list_board: dict[str, str] = {}
        self.checklist_board: dict[str, str] = {}

    def add_board(self, source: BoardSource, member_ids: Iterable[str] = ()) -> str:
        """Serve a board; the emulator's member and ``member_ids`` may read it. Returns its id."""
        data = build_board(load_export(source))
        data.access.update({self.owner.id, *member_ids})
        self.add_built(data)
        return data.id

    def add_built(self, data: BoardData) -> None:
        with self.lock:
            self.boards[data.id] = data
            self.short_links[data.short_link] = data.id
            for card_id in data.cards_by_id:
                self.card_board[card_id] = data.id
            for list_id in data.lists_by_id:
                self.list_board[list_id] = data.id
            for checklist_id in data.checklists_by_id:
                self.checklist_board[checklist_id] = data.id
            for raw in data.members:
                self.members.setdefault(
                    raw["id"],
                    MemberInfo(raw["id"], raw.get("username") or "", raw.get("fullName") or ""),
                )

    def add_token(self, spec: TokenSpec) -> None:
        member_id = spec.member_id or self.owner.id
        with self.lock:
            if member_id not in self.members:
                self.members[member_id] = MemberInfo(member_id, f"member{member_id[-6:]}", "Member")
            self.tokens[spec.token] = TokenState(spec, member_id, spec.created or datetime.now(UTC))

    def revoke(self, token: str) -> bool:
        with self.lock:
            state = self.tokens.get(token)
            if state is None:
                return False
            state.revoked = True
            return True

    def board(self, id_or_short_link: str) -> BoardData | None:
        with self.lock:
            board_id = self.short_links.get(id_or_short_link, id_or_short_link)
            return self.boards.get(board_id)

    def boards_of(self, member_id: str) -> list[BoardData]:
        with self.lock:
            return [b for b in self.boards.values() if member_id in b.access]
