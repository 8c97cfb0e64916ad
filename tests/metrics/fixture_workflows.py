"""The workflows of the two real exports, as their README describes them."""

from __future__ import annotations

SCRUM_FLOW = ["Product Backlog", "Sprint Backlog", "Doing", "Review", "Done"]
HERMES_FLOW = ["Future Features", "To Do", "Doing", "Done"]
