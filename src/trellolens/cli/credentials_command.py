"""`trellolens credentials`: which key came from which source; names only, never values."""

from __future__ import annotations

import json

import click

from trellolens.cli.errors import reports_errors
from trellolens.cli.settings import cli_settings
from trellolens.credentials import (
    KEYS,
    OAUTH2,
    OAUTH2_KEYS,
    SOURCE_KEYS,
    Resolution,
    default_resolver,
)
from trellolens.credentials.sources.streamlit_secrets import STILL_EMPTY
from trellolens.settings.urls import AUTH_BASE_URL_VARIABLE

SCHEMES = {
    OAUTH2: "OAuth 2.0 (client id + secret, rotating refresh token)",
    "legacy": "legacy key + token",
}

MISSING_OR_BROKEN = 1


def report(resolution: Resolution) -> dict[str, object]:
    return {
        "profile": resolution.profile,
        "scheme": resolution.scheme,
        "ok": resolution.ok,
        "keys": {
            key: {"source": resolution.provenance[key], "where": resolution.origins[key]}
            for key in SOURCE_KEYS
            if key in resolution.provenance
        },
        "missing": list(resolution.missing),
        "errors": list(resolution.errors),
        "sources": [
            {
                "name": source.name,
                "consulted": source.consulted,
                "supplied": list(source.supplied),
                "locations": list(source.locations),
                "note": source.note,
                "error": source.error,
            }
            for source in resolution.sources
        ],
    }


def missing_line(resolution: Resolution) -> str:
    """Which values are still empty (as `trellolens init` left them), else what is missing."""
    blank = [s.note for s in resolution.sources if s.note and s.note.startswith(STILL_EMPTY)]
    if blank:
        missing = ", ".join(resolution.missing)
        return f"Trello credentials missing for profile {resolution.profile}: {missing}; {blank[0]}"
    return resolution.missing_message()


@click.command()
@click.option("--profile", help="Profile to resolve (default: TRELLOLENS_PROFILE or development).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of lines.")
@reports_errors
def credentials(profile: str | None, as_json: bool) -> None:
    """Show the scheme in use (legacy key + token or OAuth 2.0) and where each Trello credential
    comes from (never a value); exit 1 if any is missing."""
    resolution = default_resolver().check(profile)
    if as_json:
        click.echo(json.dumps(report(resolution), indent=2))
    else:
        click.echo(f"profile: {resolution.profile}")
        click.echo(f"scheme:  {SCHEMES[resolution.scheme]}")
        if resolution.scheme == OAUTH2:
            click.echo(f"auth:    {cli_settings().auth_base_url} ({AUTH_BASE_URL_VARIABLE})")
        keys, width = (OAUTH2_KEYS, 14) if resolution.scheme == OAUTH2 else (KEYS, 10)
        for key in keys:
            if key in resolution.provenance:
                source, where = resolution.provenance[key], resolution.origins[key]
                click.echo(f"  {key:<{width}} {source:<9} {where}")
            else:
                click.echo(f"  {key:<{width}} {'-':<9} not found")
        for problem in resolution.errors:
            click.echo(f"trellolens: error: {problem}", err=True)
        if resolution.missing and not resolution.errors:
            click.echo(f"trellolens: error: {missing_line(resolution)}", err=True)
    if not resolution.ok:
        raise SystemExit(MISSING_OR_BROKEN)
