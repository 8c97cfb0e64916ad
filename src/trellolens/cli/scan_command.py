"""`trellolens scan`: Trello keys, tokens, secrets and secrets files in files, the index or history.

Exit status: 0 clean (or everything allowlisted), 1 findings, 2 bad usage. Only 4-character
previews are ever printed, in text and in JSON alike.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from trellolens.cli.errors import reports_errors
from trellolens.scan import (
    ALLOWLIST_FILE,
    Finding,
    ScanRequest,
    load_allowlist,
    save_allowlist,
    verify_findings,
)
from trellolens.scan import scan as run_scan

FOUND = 1
ADVICE = (
    "Move each value into .streamlit/secrets.toml (git-ignored) or the environment, rotate any "
    "token that was committed (`trellolens doctor`), or accept a finding with --update-allowlist."
)
ADVICE_OUTSIDE_GIT = (
    "Move each value into .streamlit/secrets.toml or the environment (values there are not "
    "reported), rotate any token that was shared, or accept a finding with --update-allowlist."
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--staged", is_flag=True, help="Scan the changes staged for the next commit.")
@click.option("--history", is_flag=True, help="Scan every commit of the git history (all refs).")
@click.option("--verify", is_flag=True, help="Ask Trello whether each token found is live.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--allowlist",
    "allowlist_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Allowlist of accepted findings (default: {ALLOWLIST_FILE} at the scanned root).",
)
@click.option("--update-allowlist", is_flag=True, help="Accept every current finding.")
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Skip paths matching GLOB (relative to the root, e.g. 'tests/fixtures/**'); repeatable.",
)
@reports_errors
def scan(
    paths: tuple[str, ...],
    staged: bool,
    history: bool,
    verify: bool,
    as_json: bool,
    allowlist_path: Path | None,
    update_allowlist: bool,
    excludes: tuple[str, ...],
) -> None:
    """Find Trello API keys, tokens and secrets, and secrets files git would commit, in PATHS
    (default: the current folder; in a git repository, the files git tracks or does not ignore).
    """
    result = run_scan(ScanRequest(paths, staged, history, excludes))
    location = allowlist_path or result.root / ALLOWLIST_FILE
    must_exist = allowlist_path is not None and not update_allowlist
    allowlist = load_allowlist(location, must_exist=must_exist)
    findings = [replace(f, allowlisted=allowlist.accepts(f)) for f in result.findings]
    if update_allowlist:
        added = allowlist.add(f for f in findings if not f.allowlisted)
        save_allowlist(allowlist, location)
        click.echo(f"Added {added} finding(s) to {location}.", err=True)
        findings = [replace(f, allowlisted=True) for f in findings]
    if verify:
        findings = verify_findings(findings)
    new = [f for f in findings if not f.allowlisted]
    for note in result.notes:
        click.echo(note, err=True)
    if as_json:
        click.echo(json.dumps(_report(result.root, findings, new), indent=2))
    else:
        _print(findings, new, ADVICE if result.in_git else ADVICE_OUTSIDE_GIT)
    if new:
        raise SystemExit(FOUND)


def _report(root: Path, findings: list[Finding], new: list[Finding]) -> dict[str, object]:
    return {
        "root": str(root),
        "findings": [f.to_json() for f in findings],
        "summary": {
            "findings": len(findings),
            "allowlisted": len(findings) - len(new),
            "new": len(new),
        },
    }


def _print(findings: list[Finding], new: list[Finding], advice: str) -> None:
    for finding in findings:
        click.echo(finding.describe())
    accepted = len(findings) - len(new)
    if not new:
        suffix = f" ({accepted} allowlisted)" if accepted else ""
        click.echo(f"No Trello credentials found{suffix}.", err=True)
        return
    click.echo(
        f"{len(new)} finding(s) not allowlisted ({accepted} allowlisted). {advice}", err=True
    )
