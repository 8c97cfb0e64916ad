"""Lines a visitor reads in ``access = "visitor"`` mode (shared by the policy and the session)."""

from __future__ import annotations

NOT_SIGNED_IN = "Sign in with Trello to see your own boards."
