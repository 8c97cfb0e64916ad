"""A library user in the OAuth 2.0 soak (``python -m tests.e2e.soak.oauth2_worker``): asks Trello
for the board through ``TrelloConnection`` every 0.3 s until SOAK_END (epoch seconds); prints ``ok
<requests> <failures> <refreshes>`` and exits 0 only when nothing failed."""

from __future__ import annotations

import os
import sys
import time

import streamlit as st

from trellolens import TrelloConnection
from trellolens.errors import TrellolensError
from trellolens.trello.oauth2 import BearerAuth


def main() -> int:
    conn = st.connection("trello", type=TrelloConnection)
    board_id = os.environ["SOAK_BOARD_ID"]
    end = float(os.environ["SOAK_END"])  # the same moment for every copy, however late it started
    requests = failures = 0
    while time.time() < end:
        try:
            conn.client.call("GET", f"boards/{board_id}", {"fields": "name"}, "the soak board")
        except TrellolensError as exc:
            failures += 1
            print(f"failed: {exc}", file=sys.stderr, flush=True)
        requests += 1
        time.sleep(0.3)
    auth = conn.client._bearer
    refreshes = auth.manager.refreshes if isinstance(auth, BearerAuth) else 0
    print(f"ok {requests} {failures} {refreshes}", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
