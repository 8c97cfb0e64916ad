"""The dashboard's side of bench/metrics.py: one AppTest rerun after a workflow change on a big board.

``apptest_rerun_seconds(path)`` opens the export as the visitor's own board (as the upload page
does: parsed once, kept in the session; the 20 MB upload limit aside), shows the Flow page once, then drops the first workflow
stage and times the rerun that follows: recomputing every metric and redrawing the page.
Run alone, it times a generated board of 10,000 cards and 100,000 actions.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_SCRIPT = REPO_ROOT / "streamlit_app.py"
FLOW_PAGE = "src/trellolens/ui/pages/flow.py"
TIMEOUT_SECONDS = 600


def apptest_rerun_seconds(export_path: Path) -> float:
    """Seconds of one AppTest rerun of the Flow page after a workflow change, on this export."""
    from streamlit.testing.v1 import AppTest

    from trellolens.board import parse_board_bytes
    from trellolens.ui.components.workflow_editor import STAGES_KEY
    from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard

    data = export_path.read_bytes()
    # A benchmark board is bigger than the upload limit; the session holds it all the same.
    board = parse_board_bytes(data, source=export_path.name, max_bytes=len(data) + 1)
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.session_state[UPLOADED_KEY] = UploadedBoard(
        board, export_path.name, hashlib.sha256(data).hexdigest()
    )
    at.run()
    at.switch_page(FLOW_PAGE).run()
    _check(at)
    stages = at.multiselect(key=STAGES_KEY)
    stages.set_value(list(stages.value)[1:])
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    _check(at)
    return elapsed


def _check(at: object) -> None:
    exceptions = getattr(at, "exception", [])
    errors = getattr(at, "error", [])
    if exceptions or errors:
        problems = [str(e.value) for e in [*exceptions, *errors]]
        raise RuntimeError(f"the Flow page failed: {problems[0]}")


def main() -> int:
    import json

    from trellolens.testing import generate_export

    export = generate_export(cards=10_000, actions=100_000, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated-board.json"
        path.write_text(json.dumps(export))
        seconds = apptest_rerun_seconds(path)
    print(f"AppTest rerun of the Flow page after a workflow change: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
