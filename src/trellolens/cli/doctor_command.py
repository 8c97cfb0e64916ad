"""`trellolens doctor`: hygiene checks on credentials, secrets files, config and the token."""

from __future__ import annotations

import json
from pathlib import Path

import click

from trellolens.cli.errors import reports_errors
from trellolens.cli.options import project_dir_option
from trellolens.credentials.model import check_profile
from trellolens.doctor import (
    DoctorReport,
    Status,
    fix_modes,
    resolver_for_project,
    run_doctor,
    secrets_files,
)

SOME_CHECK_FAILED = 1
LABELS = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL"}


def render(report: DoctorReport, project_dir: Path) -> str:
    """The table: one line per check, and a ``fix:`` line under each that needs one."""
    width = max(len(check.title) for check in report.checks)
    lines = [f"trellolens doctor: profile {report.profile}, project {project_dir}"]
    for check in report.checks:
        lines.append(f"  {LABELS[check.status]}  {check.title:<{width}}  {check.detail}")
        if check.fix:
            lines.append(f"        {'':<{width}}  fix: {check.fix}")
    fails, warns = report.count(Status.FAIL), report.count(Status.WARN)
    plural = "" if warns == 1 else "s"
    lines.append(f"result: {report.status.value} ({fails} failed, {warns} warning{plural})")
    return "\n".join(lines)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--profile", help="Profile to check (default: TRELLOLENS_PROFILE or development).")
@project_dir_option("Where .streamlit/ and the git repository are.")
@click.option(
    "--fix",
    is_flag=True,
    help="First chmod 600 the secrets files you own that other users may read.",
)
@reports_errors
def doctor(as_json: bool, profile: str | None, project_dir: Path, fix: bool) -> None:
    """Check credentials hygiene; exit 1 when any check fails (values are never shown)."""
    if profile is not None:
        profile = check_profile(profile)
    project = project_dir.resolve()
    if fix:
        skipped: list[str] = []
        for done in fix_modes(secrets_files(project, Path.home()), skipped):
            click.echo(f"trellolens doctor: fixed {done}", err=True)
        for why in skipped:
            click.echo(f"trellolens doctor: not fixed: {why}", err=True)
    report = run_doctor(resolver_for_project(project), profile, project_dir=project)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(render(report, project))
    if report.status is Status.FAIL:
        raise SystemExit(SOME_CHECK_FAILED)
