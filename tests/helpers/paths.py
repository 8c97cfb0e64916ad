"""Places in the repository the tests read: its root and the real Trello exports."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "trello-exports"
SCRUM_2018 = FIXTURES / "scrum-board-2018.json"
HERMES_2014 = FIXTURES / "project-hermes-2014.json"
