"""Generated Trello boards of any size with realistic list-move histories, seeded and reproducible.

Cards are created over ``months`` months and walk through the lists: mostly one list forward, some
skip a list, some go back one. Some cards are archived (most of them in the last list). Everything
else (comments, members joining cards) fills the action budget up to exactly ``actions``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from trellolens.board import (
    Action,
    Board,
    Card,
    CheckItem,
    Checklist,
    Label,
    Member,
    TrelloList,
    board_to_export,
)

LIST_NAMES = ("Backlog", "To Do", "Doing", "Review", "Testing", "Done")
LABEL_COLOURS = ("green", "yellow", "orange", "red", "purple", "blue", "sky", "lime", "pink")
#: The newest generated action happens at this time unless ``end`` says otherwise.
DEFAULT_END = datetime(2024, 6, 28, 17, 0, tzinfo=UTC)


class _Ids:
    """Trello-shaped ids: 8 hex digits of creation time, then 16 random hex digits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def at(self, moment: datetime) -> str:
        return f"{int(moment.timestamp()):08x}{self.rng.getrandbits(64):016x}"


def _list_names(count: int) -> list[str]:
    if count <= len(LIST_NAMES):
        names = [*LIST_NAMES[: count - 1], LIST_NAMES[-1]]
        if count >= 3 and "Doing" not in names:
            names[1] = "Doing"
        return names
    middle = [f"Stage {i}" for i in range(1, count - len(LIST_NAMES) + 1)]
    return [*LIST_NAMES[:-1], *middle, LIST_NAMES[-1]]


def _ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _walk(
    rng: random.Random, lists: int, stage: int, born: datetime, end: datetime
) -> list[tuple[datetime, int]]:
    """(time, list index) of each move after creation in list ``stage``, until done or the end."""
    moves: list[tuple[datetime, int]] = []
    when = born
    if rng.random() < 0.1:  # some cards never leave the backlog
        return moves
    while stage < lists - 1 or (moves and rng.random() < 0.03):  # a few reopened cards
        # Cards wait in the backlog for about two weeks, then move every few days.
        mean_hours = 24 * 14 if not moves else 60
        when += timedelta(hours=rng.expovariate(1 / mean_hours) + 0.05)
        if when >= end:
            break
        roll = rng.random()
        if stage == lists - 1 or (roll < 0.12 and stage > 0):
            step = -1
        elif roll < 0.24 and stage + 2 <= lists - 1:
            step = 2
        else:
            step = 1
        stage += step
        moves.append((when, stage))
    return moves


def generate_board(
    *,
    lists: int = 5,
    cards: int = 100,
    actions: int = 800,
    labels: int = 6,
    members: int = 4,
    checklists_per_card: float = 0.3,
    months: int = 6,
    seed: int = 0,
    truncate_history_at: int | None = None,
    end: datetime = DEFAULT_END,
) -> Board:
    """A board with ``cards`` cards and exactly ``actions`` actions (before truncation).

    ``truncate_history_at`` keeps only the newest N actions, as Trello's export (1000) does, so
    cards lose their creation events. Raises ValueError when ``actions < cards`` or ``lists < 2``.
    """
    if lists < 2:
        raise ValueError(f"a generated board needs at least 2 lists, got {lists}")
    if actions < cards:
        raise ValueError(
            f"actions ({actions}) must be at least cards ({cards}): one createCard each"
        )
    rng = random.Random(seed)
    ids = _Ids(rng)
    begin = end - timedelta(days=30 * months)
    board_id = ids.at(begin - timedelta(days=1))
    board_ref = {"id": board_id, "name": f"Generated board {seed}", "shortLink": board_id[-8:]}
    trello_lists, board_labels, board_members = _scenery(rng, ids, begin, (lists, labels, members))
    scene = _Scene(rng, ids, board_ref, trello_lists, board_labels, [m.id for m in board_members])
    walks = _walks(rng, cards, lists, begin, end, actions)
    history: list[Action] = []
    board_cards: list[Card] = []
    board_checklists: list[Checklist] = []
    for number, walk in enumerate(walks, start=1):
        card, card_checklists = scene.card(number, walk, history, checklists_per_card)
        board_cards.append(card)
        board_checklists.extend(card_checklists)
    action = scene.action
    _finish_cards(rng, board_cards, board_checklists, trello_lists, history, action, end, actions)
    history.sort(key=lambda a: (a.date, a.id), reverse=True)  # Trello lists newest first
    if truncate_history_at is not None:
        history = history[:truncate_history_at]
    return Board(
        id=board_id,
        name=board_ref["name"],
        url=f"https://trello.com/b/{board_ref['shortLink']}",
        date_last_activity=history[0].date if history else None,
        lists=tuple(trello_lists),
        cards=tuple(board_cards),
        labels=tuple(board_labels),
        members=tuple(board_members),
        checklists=tuple(board_checklists),
        actions=tuple(history),
    )


def _scenery(
    rng: random.Random, ids: _Ids, begin: datetime, counts: tuple[int, int, int]
) -> tuple[list[TrelloList], list[Label], list[Member]]:
    """The board's lists, labels and members (``counts``: how many of each), made at ``begin``."""
    lists, labels, members = counts
    trello_lists = [
        TrelloList(ids.at(begin), name, float(65536 * (i + 1)))
        for i, name in enumerate(_list_names(lists))
    ]
    board_labels = [
        Label(ids.at(begin), f"Label {i + 1}", LABEL_COLOURS[i % len(LABEL_COLOURS)])
        for i in range(labels)
    ]
    board_members = [
        Member(f"{i + 1:08x}{rng.getrandbits(64):016x}", f"Member {i + 1}", f"member{i + 1}")
        for i in range(members)
    ]
    return trello_lists, board_labels, board_members


Walk = tuple[datetime, int, list[tuple[datetime, int]]]
"""A card's birth, first list and moves (when, to which list)."""


def _walks(
    rng: random.Random, cards: int, lists: int, begin: datetime, end: datetime, actions: int
) -> list[Walk]:
    """Each card's walk through the lists, cut (earliest moves kept) to the action budget."""
    span = (end - begin).total_seconds()
    walks = []
    for _ in range(cards):
        born = _ms(begin + timedelta(seconds=rng.random() * span * 0.97))
        first = 1 if lists > 2 and rng.random() < 0.1 else 0
        walks.append((born, first, _walk(rng, lists, first, born, end)))
    budget = actions - cards
    natural = sum(len(moves) for _, _, moves in walks)
    if natural > budget:  # keep each card's earliest moves, in proportion
        walks = [
            (born, first, moves[: len(moves) * budget // natural]) for born, first, moves in walks
        ]
    return walks


@dataclass
class _Scene:
    """What every card of a generated board draws on: the random source, ids, lists, labels."""

    rng: random.Random
    ids: _Ids
    board_ref: dict[str, Any]
    lists: list[TrelloList]
    labels: list[Label]
    member_ids: list[str]

    def list_ref(self, index: int) -> dict[str, str]:
        return {"id": self.lists[index].id, "name": self.lists[index].name}

    def action(self, kind: str, when: datetime, data: dict[str, Any]) -> Action:
        member = self.rng.choice(self.member_ids) if self.member_ids else None
        return _action(
            self.ids.at(when), kind, _ms(when), member, {**data, "board": self.board_ref}
        )

    def card(
        self, number: int, walk: Walk, history: list[Action], checklists_per_card: float
    ) -> tuple[Card, list[Checklist]]:
        """Card ``number`` after its walk (its actions appended to ``history``), its checklists."""
        born, first, moves = walk
        rng, lists = self.rng, self.lists
        card_id = self.ids.at(born)
        card_ref = {"id": card_id, "name": f"Card {number}", "idShort": number}
        history.append(
            self.action("createCard", born, {"card": card_ref, "list": self.list_ref(first)})
        )
        stage, last = first, born
        for when, target in moves:
            moved = {
                "card": {**card_ref, "idList": lists[target].id},
                "old": {"idList": lists[stage].id},
                "listBefore": self.list_ref(stage),
                "listAfter": self.list_ref(target),
            }
            history.append(self.action("updateCard", when, moved))
            stage, last = target, when
        card = Card(
            card_id,
            f"Card {number}",
            lists[stage].id,
            pos=float(number * 1024),
            due=_ms(born + timedelta(days=rng.uniform(3, 40))) if rng.random() < 0.3 else None,
            date_last_activity=last,
            short_url=f"https://trello.com/c/{card_id[-8:]}",
            label_ids=tuple(lbl.id for lbl in self.labels if rng.random() < 0.2),
            member_ids=tuple(m for m in self.member_ids if rng.random() < 0.25),
        )
        checklists = [
            _checklist(rng, self.ids, card_id, born, c)
            for c in range(_poisson(rng, checklists_per_card))
        ]
        if checklists:  # Trello lists a card's checklists in idChecklists
            card = replace(card, checklist_ids=tuple(cl.id for cl in checklists))
        return card, checklists


def _action(
    action_id: str, kind: str, when: datetime, member: str | None, data: dict[str, Any]
) -> Action:
    """An Action with the fields the parser pre-extracts, so it equals the parsed export."""

    def ref(key: str) -> str | None:
        value = data.get(key)
        return value.get("id") if isinstance(value, dict) else None

    old = data.get("old")
    closed = old.get("closed") if isinstance(old, dict) else None
    return Action(
        action_id,
        kind,
        when,
        member,
        data,
        ref("card"),
        ref("list"),
        ref("listBefore"),
        ref("listAfter"),
        closed if isinstance(closed, bool) else None,
    )


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0) if mean > 0 else float("inf")
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


def _checklist(rng: random.Random, ids: _Ids, card_id: str, born: datetime, n: int) -> Checklist:
    checklist_id = ids.at(born)
    items = tuple(
        CheckItem(ids.at(born), f"Item {i + 1}", rng.random() < 0.5, float((i + 1) * 1024))
        for i in range(rng.randint(1, 5))
    )
    return Checklist(checklist_id, f"Checklist {n + 1}", card_id, items, float((n + 1) * 1024))


def _finish_cards(
    rng: random.Random,
    board_cards: list[Card],
    board_checklists: list[Checklist],
    trello_lists: list[TrelloList],
    history: list[Action],
    action: Any,
    end: datetime,
    actions: int,
) -> None:
    """Archive some cards, then fill the action budget with comments and members joining cards."""
    done_id = trello_lists[-1].id
    names = {lst.id: lst.name for lst in trello_lists}
    for index, card in enumerate(board_cards):
        if len(history) >= actions:
            break
        chance = 0.35 if card.list_id == done_id else 0.03
        if rng.random() >= chance or card.date_last_activity is None:
            continue
        when = card.date_last_activity + timedelta(hours=rng.uniform(1, 24 * 14))
        if when >= end:
            continue
        ref = {"id": card.id, "name": card.name, "closed": True}
        history.append(
            action(
                "updateCard",
                when,
                {
                    "card": ref,
                    "old": {"closed": False},
                    "list": {"id": card.list_id, "name": names[card.list_id]},
                },
            )
        )
        board_cards[index] = replace(card, closed=True, date_last_activity=_ms(when))
    kinds = ("commentCard", "addMemberToCard")
    while len(history) < actions and board_cards:
        card = rng.choice(board_cards)
        born = card.created or end
        when = born + (end - born) * rng.random()
        data: dict[str, Any] = {
            "card": {"id": card.id, "name": card.name},
            "list": {"id": card.list_id, "name": names[card.list_id]},
        }
        kind = rng.choice(kinds)
        if kind == "commentCard":
            data["text"] = "Looks good."
        history.append(action(kind, when, data))


def generate_export(**options: Any) -> dict[str, Any]:
    """``generate_board(**options)`` as a Trello JSON export (a dict ready for ``json.dumps``)."""
    return board_to_export(generate_board(**options))
