"""The dashboard's ``?as_of=2018-03-09`` and ``trellolens metrics --as-of 2018-03-09`` compute the
same metrics: the Flow page's downloads equal the CLI's numbers, zero weeks up to the as-of week
included."""

from __future__ import annotations

import io
import json

import pandas as pd
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from tests.helpers.paths import SCRUM_2018
from tests.ui.flow_pages import FLOW_PAGE, download_url_of, download_urls
from trellolens.board import parse_board_bytes
from trellolens.cli.main import cli
from trellolens.metrics import compute_flow_metrics, metrics_to_json
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard
from trellolens.ui.views.headers import titled
from trellolens.ui.views.tables import frame_csv


def test_dashboard_date_and_cli_date_give_identical_metrics(app: AppTest) -> None:
    board = parse_board_bytes(SCRUM_2018.read_bytes(), source="scrum.json")
    app.session_state[UPLOADED_KEY] = UploadedBoard(board, "scrum.json", "scrum-digest")
    app.query_params["as_of"] = "2018-03-09"
    app.switch_page(FLOW_PAGE).run()
    assert not app.exception

    result = CliRunner().invoke(
        cli, ["metrics", str(SCRUM_2018), "--as-of", "2018-03-09", "--json"]
    )
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)
    metrics = compute_flow_metrics(board, as_of=pd.Timestamp(from_cli["as_of"]).to_pydatetime())
    assert metrics_to_json(metrics) == from_cli  # the CLI's instant, recomputed

    expected = [
        download_url_of(
            frame_csv(titled(metrics.cfd, keep=frozenset(metrics.workflow.stage_names))),
            "amirite-cumulative-flow.csv",
        ),
        download_url_of(frame_csv(titled(metrics.wip_over_time)), "amirite-wip-over-time.csv"),
        download_url_of(
            frame_csv(titled(metrics.weekly_throughput)), "amirite-weekly-throughput.csv"
        ),
    ]
    assert download_urls(app)[:3] == expected
    weeks = pd.read_csv(io.BytesIO(frame_csv(titled(metrics.weekly_throughput))))
    assert weeks["Week start"].iloc[-1] == "2018-03-05"  # the as-of week, though nothing was done
    assert from_cli["as_of"] == "2018-03-09T23:59:59.999999Z"
