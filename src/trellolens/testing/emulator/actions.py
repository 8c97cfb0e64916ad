"""Board and card history: type filters, ``before``/``since`` and ``limit``/``page`` paging.

Actions are served newest first. ``before=<action id>`` continues right after that action in the
served order (for Trello-made ids this is Trello's "older than this id"); an unknown id is
compared as an id, and an ISO date by date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from trellolens.testing.emulator.params import fields, integer, invalid
from trellolens.testing.emulator.shapes import select

MAX_LIMIT = 1000
_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")

Action = Mapping[str, Any]


def type_filter(spec: str | None) -> Callable[[Action], bool]:
    """``all`` or a comma list of types, each optionally ``type:field`` (``updateCard:idList``)."""
    if spec is None or spec == "all" or spec == "":
        return lambda action: True
    plain: set[str] = set()
    detailed: list[tuple[str, str]] = []
    for part in spec.split(","):
        kind, _, detail = part.partition(":")
        if detail:
            detailed.append((kind, detail))
        elif kind:
            plain.add(kind)

    def keep(action: Action) -> bool:
        kind = action.get("type")
        if kind in plain:
            return True
        old = (action.get("data") or {}).get("old") or {}
        return any(kind == k and d in old for k, d in detailed)

    return keep


def _date(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bound(value: str, name: str, index: Mapping[str, int]) -> Callable[[int, Action], bool] | None:
    """A test (position, action) -> inside the bound, for ``before`` or ``since``."""
    older = name.endswith("before")
    if value in index:
        at = index[value]
        return (lambda i, a: i > at) if older else (lambda i, a: i < at)
    if _OBJECT_ID.fullmatch(value):
        low = value.lower()
        return (
            (lambda i, a: str(a["id"]).lower() < low)
            if older
            else (lambda i, a: str(a["id"]).lower() > low)
        )
    if value in ("", "null"):
        return None
    try:
        moment = _date(value)
    except ValueError:
        raise invalid(name) from None
    if older:
        return lambda i, a: _date(str(a.get("date"))) < moment
    return lambda i, a: _date(str(a.get("date"))) > moment


def select_actions(
    actions: Sequence[Action],
    index: Mapping[str, int],
    query: Mapping[str, str],
    prefix: str = "",
    default_filter: str = "all",
) -> list[dict[str, Any]]:
    """The actions a query asks for. ``prefix`` is ``actions_`` for actions nested in a board."""
    filter_name = "actions" if prefix else "filter"
    keep = type_filter(query.get(filter_name, default_filter))
    limit = integer(query, f"{prefix}limit", 50, 0, MAX_LIMIT)
    page = integer(query, f"{prefix}page" if prefix else "page", 0, 0, 10**6)
    before = (
        _bound(query[f"{prefix}before"], "before", index) if f"{prefix}before" in query else None
    )
    since = _bound(query[f"{prefix}since"], "since", index) if f"{prefix}since" in query else None
    chosen = fields(query, "action_fields" if prefix else "fields")
    skip = page * limit
    found: list[dict[str, Any]] = []
    start = index.get(query.get(f"{prefix}before", ""), -1) + 1  # jump straight past a known id
    for position in range(start, len(actions)):
        action = actions[position]
        if len(found) >= limit:
            break
        if before is not None and not before(position, action):
            continue
        if since is not None and not since(position, action):
            break  # newest first: everything after this is older still
        if not keep(action):
            continue
        if skip:
            skip -= 1
            continue
        found.append(select(action, chosen))
    return found
