"""Security: the checks of `trellolens doctor` for this running app, with a fix for each finding.

The page only lays out ``trellolens.doctor``'s report, run through ``ui.data`` and kept 30 s:
names, places, dates and scopes, never a credential value. Problems come first, one box each with its fix; then the table of every check.
With no credentials configured at all (the demo board), the checks about credentials are not
failures but to-dos: the page says nothing is configured yet and what each check will look at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config

from trellolens.credentials import Resolver, default_resolver
from trellolens.doctor import ERROR_DETAILS_OPTION, Check, DoctorReport, Status
from trellolens.errors import CredentialsError, TrellolensError
from trellolens.shared.health import HEALTH
from trellolens.ui.access import access_notice, current_access, oauth2_signin
from trellolens.ui.access.gate import sees_server_facts
from trellolens.ui.access.visitor_session import VisitorConnection, signed_in_member
from trellolens.ui.components.table import show_table
from trellolens.ui.data.cache import DOCTOR_TTL_SECONDS, checked_token, doctor_report
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.security_tables import WILL_CHECK, checks_table
from trellolens.ui.visitor_errors import shows_errors

# Widths that fit the page at 1400 px, so the last column (the fix) stays in sight.
CHECK_COLUMNS = {
    "status": st.column_config.TextColumn(width=135),
    "check": st.column_config.TextColumn(width=170),
    "finding": st.column_config.TextColumn(width=300),
    "fix": st.column_config.TextColumn(width=300),
}
NOTHING_YET = (
    "No Trello credentials are configured yet, so there is nothing of yours to check: the demo "
    "board needs none. Once they are set, this page checks how they are kept, as "
    "`trellolens doctor` does; the table says what each check will look at."
)
VISITOR_ONLY = (
    "You see your own sign-in here. The server's checks (its files, Redis, the Trello API it "
    "uses) are shown to the app's admins and on the server's own computer."
)
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


def nothing_configured(resolver: Resolver | str) -> bool:
    """No source has any Trello credential (and the settings themselves are fine)."""
    if isinstance(resolver, str):
        return False
    resolution = resolver.check()
    return resolution.nothing_configured and not resolution.errors


def pending(report: DoctorReport) -> tuple[DoctorReport, DoctorReport]:
    """The report split in checks that wait for credentials and the rest (demo mode)."""
    waiting = tuple(check for check in report.checks if check.id in WILL_CHECK)
    rest = tuple(check for check in report.checks if check.id not in WILL_CHECK)
    return DoctorReport(report.profile, waiting), DoctorReport(report.profile, rest)


def security_report(resolver: Resolver | str | None = None) -> DoctorReport:
    """The doctor's report, through the data boundary (kept ``DOCTOR_TTL_SECONDS``)."""
    return doctor_report(
        _resolver() if resolver is None else resolver,
        streamlit_config.get_option(ERROR_DETAILS_OPTION),
        _streamlit_secrets(),
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


def visitor_facts() -> None:
    """A signed-in visitor's own session: whose token, what it may do, until when; nothing else."""
    st.info(VISITOR_ONLY, icon=":material/lock:")
    if oauth2_signin.show_session_facts():
        return
    try:
        info = checked_token(VisitorConnection().client)  # cached per token fingerprint
    except TrellolensError as exc:
        st.warning(plain(f"Trello could not say what your sign-in may do ({type(exc).__name__})."))
        return
    member = signed_in_member()
    who = f"@{member.username}" if member and member.username else info.member_id
    expires = info.expires.strftime("%Y-%m-%d %H:%M UTC") if info.expires else "never"
    st.markdown(
        f"- Signed in with Trello as **{plain(who)}**\n"
        f"- Your token may: **{plain(', '.join(info.scopes) or 'nothing')}**, "
        f"until **{plain(expires)}**\n"
        "- It is held in this browser session only (never on disk, in a log or in a URL); "
        "**Sign out** on the Connect Trello page revokes it at Trello."
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
    if not sees_server_facts(decision):
        visitor_facts()
        return
    resolver = _resolver()
    report = security_report(resolver)
    waiting = None
    if nothing_configured(resolver):
        waiting, report = pending(report)
        st.info(NOTHING_YET, icon=":material/info:")
    box = {Status.PASS: st.success, Status.WARN: st.warning, Status.FAIL: st.error}
    scope = " (the checks that need no credentials)" if waiting else ""
    box[report.status](f"Profile **{plain(report.profile)}**{scope}: {summary(report)}")
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
    show_table(checks_table(report, waiting), width="stretch", column_config=CHECK_COLUMNS)
    st.caption(
        f"Checked at most every {DOCTOR_TTL_SECONDS} s. "
        "The same checks from a shell: `trellolens doctor` (exit status 1 when one fails). "
        "docs/security.md explains each check and how to rotate a token."
    )


if __name__ == "__main__":
    render()
