"""A small hand-made board for the analytics options of the dashboard, with its answers by hand.

Days are days after Monday 2024-01-01 00:00 UTC (see ``tests.metrics.option_boards``). The default
workflow is To Do, Doing, Blocked, Review, Done (work starts at Doing); the newest action, the
creation of H on day 14 (Monday 2024-01-15 00:00), is the as-of time.

| card | labels        | Work type | points | Doing | later                 | done | cycle | working |
|------|---------------|-----------|--------|-------|-----------------------|------|-------|---------|
| A    | Bug           | Failure   | 3      | 1 Tue |                       | 3 Th | 2     | 2       |
| B    | Feature       | Value     | 5      | 2 Wed |                       | 9 We | 7     | 5       |
| C    | Feature       | Value     | 2      | 4 Fri |                       | 8 Tu | 4     | 2       |
| D    | -             | -         | -      | 3 Thu |                       | 4 Fr | 1     | 1       |
| E    | Bug, Blocked  | Failure   | 1      | 5 Sat | Blocked label from 10 | -    | age 9 | age 5   |
| F    | Feature       | Value     | 8      | 12 Sa |                       | -    | age 2 | age 0   |
| G    | Feature       | Value     | 3      | 7 Mon | Blocked list from 11  | -    | age 7 | age 5   |
| H    | -             | -         | -      | -     | created on day 14     | -    | -     | -       |

Cycle times 1, 2, 4, 7: p50 3.0, p85 4 + 0.55 * 3 = 5.65 (linear). In working days 1, 2, 2, 5:
p50 2.0; with 2024-01-03 (Wednesday) a holiday, A takes 1 and B 4: 1, 1, 2, 4, p50 1.5.
By label (board order Bug, Feature, Blocked): done Bug 1 (A), Feature 2 (B, C), (none) 1 (D);
in progress Bug 1 (E: Bug comes before Blocked), Feature 2 (F, G).
Blocked by the label: E, 4 days (10 to 14), blocked now. By the Blocked list: G, 3 days (11 to 14).
Size in points: done 3 + 5 + 2 = 10 (D has none); weekly: week of Jan 1: A 3 (D 0); Jan 8: B + C 7.
SLE p85 5.65: past E (age 9), past G (7); F (2) is not within two days. SLE 8: E past (-1 left),
G soon (1 left). G's shortUrl is not a Trello card URL, so its link is dropped.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.metrics.option_boards import KIND, POINTS, BoardPlan, kind, points
from trellolens.board import Board, parse_board

EVIL_URL = "javascript:alert(1)"


def option_board() -> Board:
    return parse_board(option_board_export(), "options.json")


def option_board_export() -> dict[str, Any]:
    plan = BoardPlan(custom_fields=copy.deepcopy([POINTS, KIND]))  # callers may change them
    plan.card("A", 0, (1, "Doing"), (3, "Done"), labels=("Bug",),
              fields=[points(3), kind("o-failure")])  # fmt: skip
    plan.card("B", 0, (2, "Doing"), (9, "Done"), labels=("Feature",),
              fields=[points(5), kind("o-value")])  # fmt: skip
    plan.card("C", 0, (4, "Doing"), (8, "Done"), labels=("Feature",),
              fields=[points(2), kind("o-value")])  # fmt: skip
    plan.card("D", 0, (3, "Doing"), (4, "Done"))
    plan.card("E", 0, (5, "Doing"), labels=("Bug", "Blocked"),
              label_events=[(10, "add", "Blocked")], fields=[points(1), kind("o-failure")])  # fmt: skip
    plan.card("F", 0, (12, "Doing"), labels=("Feature",), fields=[points(8), kind("o-value")])
    plan.card("G", 0, (7, "Doing"), (11, "Blocked"), labels=("Feature",),
              fields=[points(3), kind("o-value")])  # fmt: skip
    plan.card("H", 14)
    export = plan.export()
    for card in export["cards"]:
        if card["name"] == "G":
            card["shortUrl"] = EVIL_URL
    return export
