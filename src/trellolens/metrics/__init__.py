"""Flow metrics on a ``Board``: cycle time, throughput, WIP, cumulative flow, forecasts.

Pure functions, no Streamlit. The rules are written down in docs/metrics.md.
"""

from __future__ import annotations

from trellolens.errors import MetricOptionError, WorkflowError
from trellolens.metrics.calendar import WorkCalendar, parse_holidays
from trellolens.metrics.flow import (
    DataQuality,
    FlowMetrics,
    as_of_for_day,
    compute_flow_metrics,
    default_as_of,
)
from trellolens.metrics.flow_options import BlockedResults
from trellolens.metrics.forecast import (
    HowManyForecast,
    WhenForecast,
    forecast_how_many,
    forecast_when,
)
from trellolens.metrics.history import card_stage_times
from trellolens.metrics.options import BlockedRule, MetricOptions, ServiceLevel, WorkTypes
from trellolens.metrics.sized import ServiceLevelResults, SizeResults
from trellolens.metrics.to_json import metrics_to_json
from trellolens.metrics.work_types import WorkTypeResults, forecast_by_type
from trellolens.metrics.workflow import Workflow, default_workflow, workflow_from_names

__all__ = [
    "BlockedResults",
    "BlockedRule",
    "DataQuality",
    "FlowMetrics",
    "HowManyForecast",
    "MetricOptionError",
    "MetricOptions",
    "ServiceLevel",
    "ServiceLevelResults",
    "SizeResults",
    "WhenForecast",
    "WorkCalendar",
    "WorkTypeResults",
    "WorkTypes",
    "Workflow",
    "WorkflowError",
    "as_of_for_day",
    "card_stage_times",
    "compute_flow_metrics",
    "default_as_of",
    "default_workflow",
    "forecast_by_type",
    "forecast_how_many",
    "forecast_when",
    "metrics_to_json",
    "parse_holidays",
    "workflow_from_names",
]
