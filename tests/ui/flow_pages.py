"""Paths and helpers shared by the AppTest tests of the flow pages."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

PAGES = Path("src/trellolens/ui/pages")
FLOW_PAGE = str(PAGES / "flow.py")
CYCLE_TIME_PAGE = str(PAGES / "cycle_time.py")
AGING_WIP_PAGE = str(PAGES / "aging_wip.py")
FORECAST_PAGE = str(PAGES / "forecast.py")
DATA_QUALITY_PAGE = str(PAGES / "data_quality.py")
CARDS_PAGE = str(PAGES / "cards.py")
APPTEST_MEDIA_ENDPOINT = "/mock/media"


def charts(at: AppTest) -> list[str]:
    """The Vega-Lite specs of the charts on the page."""
    return [chart.proto.spec for chart in at.get("vega_lite_chart")]


def warnings(at: AppTest) -> list[str]:
    return [str(warning.value) for warning in at.warning]


def download_url_of(data: bytes, file_name: str) -> str:
    """The URL Streamlit gives a download button holding exactly ``data`` (see test_page_cards)."""
    store = MemoryMediaFileStorage(APPTEST_MEDIA_ENDPOINT)
    file_id = store.load_and_get_id(data, "text/csv", MediaFileKind.DOWNLOADABLE, file_name)
    return store.get_url(file_id)


def download_urls(at: AppTest) -> list[str]:
    return [button.proto.url for button in at.download_button]
