"""Security: the checks of `trellolens doctor` for this running app, with a fix for each finding.

The page only renders ``trellolens.guard.doctor``'s report: names, places, dates and scopes, never a
credential value. Problems come first, one box each with its fix; then the table of every check.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit import config as streamlit_config

from trellolens.credentials import Resolver, default_resolver
from trellolens.errors import CredentialsError
from trellolens.guard.check import Check, Status
from trellolens.guard.checks_config import OPTION
from trellolens.guard.doctor import DoctorReport, run_doctor
from trellolens.shared.health import HEALTH
from trellolens.ui.access import access_notice, current_access
from trellolens.ui.markdown_text import plain
from trellolens.ui.visitor_errors import shows_errors

ICONS = {Status.PASS: "✅ pass", Status.WARN: "⚠️ warn", Status.FAIL: "❌ fail"}
SUMMARY = {
    Status.PASS: "Every check passed.",
    Status.WARN: "No check failed; {warns} need{s} a look.",
    Status.FAIL: "{fails} check{fs} failed and {warns} need{s} a look: fix the failures first.",
}


def _resolver() -> Resolver | str:
    try:
        return default_resolver()
    except CredentialsError as exc:
        return str(exc)


def _streamlit_secrets() -> list[Mapping[str, Any]]:
    """``st.secrets`` as a dict, for the profile names in it; nothing when there are no secrets."""
    try:
        return [st.secrets.to_dict()]
    except (FileNotFoundError, OSError, ValueError):
        return []


def security_report() -> DoctorReport:
    return run_doctor(
        _resolver(),
        project_dir=Path.cwd(),
        running_error_details=streamlit_config.get_option(OPTION),
        secrets_tables=_streamlit_secrets(),
    )


def summary(report: DoctorReport) -> str:
    fails, warns = report.count(Status.FAIL), report.count(Status.WARN)
    return SUMMARY[report.status].format(
        fails=fails,
        warns=warns,
        fs="" if fails == 1 else "s",
        s="s" if warns == 1 else "",
    )


def finding(check: Check) -> str:
    return f"**{plain(check.title)}**: {plain(check.detail)}  \nFix: {plain(check.fix)}"


def checks_table(report: DoctorReport) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "status": ICONS[check.status],
                "check": check.title,
                "finding": check.detail,
                "fix": check.fix,
            }
            for check in report.checks
        ]
    )


@shows_errors
def render() -> None:
    st.title("Security")
    decision = current_access()
    if not decision.allowed:
        # The report names files, variables and the token's member: for the app's owner only.
        st.info("The security checks are shown to visitors who may see the live boards.")
        access_notice(decision)
        return
    report = security_report()
    box = {Status.PASS: st.success, Status.WARN: st.warning, Status.FAIL: st.error}
    box[report.status](f"Profile **{plain(report.profile)}**: {summary(report)}")
    if current_access().warning:  # TRELLOLENS_ACCESS=open (docs/access.md)
        st.warning(current_access().warning or "")
    redis_down = HEALTH.notice()  # TRELLOLENS_REDIS_URL set but unreachable (docs/scale-out.md)
    if redis_down is not None:
        st.warning(plain(redis_down))
    for status in (Status.FAIL, Status.WARN):
        for check in report.checks:
            if check.status is status:
                box[status](finding(check))
    st.subheader("Every check")
    st.dataframe(checks_table(report), hide_index=True, width="stretch")
    st.caption(
        "The same checks from a shell: `trellolens doctor` (exit status 1 when one fails). "
        "docs/security.md explains each check and how to rotate a token."
    )


if __name__ == "__main__":
    render()
