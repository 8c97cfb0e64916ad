"""Flow metrics on a ``Board``: cycle time, throughput, WIP, cumulative flow, forecasts.

Pure functions, no Streamlit. The rules are written down in docs/metrics.md.
"""

from __future__ import annotations

from trellolens.errors import WorkflowError
from trellolens.metrics.flow import (
    DataQuality,
    FlowMetrics,
    compute_flow_metrics,
    default_as_of,
)
from trellolens.metrics.forecast import (
    HowManyForecast,
    WhenForecast,
    forecast_how_many,
    forecast_when,
)
from trellolens.metrics.history import card_stage_times
from trellolens.metrics.to_json import metrics_to_json
from trellolens.metrics.workflow import Workflow, default_workflow, workflow_from_names

__all__ = [
    "DataQuality",
    "FlowMetrics",
    "HowManyForecast",
    "WhenForecast",
    "Workflow",
    "WorkflowError",
    "card_stage_times",
    "compute_flow_metrics",
    "default_as_of",
    "default_workflow",
    "forecast_how_many",
    "forecast_when",
    "metrics_to_json",
    "workflow_from_names",
]
