"""What the credentials layer found, in words: tables of sources and keys, and how-to snippets.

Only names ever reach the page (sources, files, variables, secret ids); never a value. Nothing
here goes into session state: the report is recomputed each run from the process-wide resolver,
whose AWS cache makes that cheap.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trellolens.credentials import KEYS, REQUIRED_KEYS, Resolution, default_resolver
from trellolens.credentials.sources.environment import profile_prefix
from trellolens.errors import CredentialsError
from trellolens.settings.chain import DEFAULT_SECRET_ID
from trellolens.settings.chain import DEFAULT_SSM_PATH as DEFAULT_PATH

PLACEHOLDERS = {
    "api_key": "your-32-hex-api-key",
    "token": "your-user-token",
    "api_secret": "your-64-hex-api-secret (optional)",
}


def current_resolution() -> Resolution | str:
    """The report for this process's settings, or the one-line problem with those settings."""
    try:
        return default_resolver().check()
    except CredentialsError as exc:
        return str(exc)


def sources_table(resolution: Resolution) -> None:
    rows = []
    for report in resolution.sources:
        if report.error:
            outcome = f"problem: {report.error}"
        elif not report.consulted:
            outcome = "not needed (earlier sources had every required key)"
        elif report.supplied:
            outcome = "supplied " + ", ".join(report.supplied)
        else:
            outcome = report.note or "nothing for this profile"
        rows.append(
            {"source": report.title, "where": "; ".join(report.locations), "result": outcome}
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def provenance_table(resolution: Resolution) -> None:
    rows = [
        {
            "key": key,
            "source": resolution.provenance[key],
            "where": resolution.origins[key],
            "required": "yes" if key in REQUIRED_KEYS else "no",
        }
        for key in KEYS
        if key in resolution.provenance
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def toml_snippet(profile: str) -> str:
    lines = ["[trello]"] + [f'{key} = "{PLACEHOLDERS[key]}"' for key in KEYS]
    lines += ["", f"# optional: values for profile {profile} only", f"# [trello.{profile}]"]
    lines += [f'# token = "{PLACEHOLDERS["token"]}"']
    return "\n".join(lines)


def environment_snippet(profile: str) -> str:
    prefix = profile_prefix(profile)
    return "\n".join(
        [
            f"export TRELLO_API_KEY={PLACEHOLDERS['api_key']}",
            f"export TRELLO_OAUTH_TOKEN={PLACEHOLDERS['token']}",
            "export TRELLO_API_SECRET=your-64-hex-api-secret   # optional",
            f"# or, for profile {profile} only: {prefix}API_KEY, {prefix}OAUTH_TOKEN, ...",
        ]
    )


def aws_snippet(profile: str) -> str:
    secret_id = DEFAULT_SECRET_ID.replace("{profile}", profile)
    path = DEFAULT_PATH.replace("{profile}", profile)
    return "\n".join(
        [
            f"aws secretsmanager create-secret --name {secret_id} \\",
            '  --secret-string \'{"api_key": "...", "token": "...", "api_secret": "..."}\'',
            "# or SSM Parameter Store (SecureString):",
            f"aws ssm put-parameter --type SecureString --name {path}api_key --value ...",
            f"aws ssm put-parameter --type SecureString --name {path}token --value ...",
        ]
    )


def how_to_connect(profile: str) -> None:
    """The exact TOML, variables and AWS commands for ``profile``, with placeholders."""
    toml_tab, env_tab, aws_tab = st.tabs(
        ["secrets.toml", "Environment variables", "AWS Secrets Manager / SSM"]
    )
    with toml_tab:
        st.markdown(
            "Put this in `.streamlit/secrets.toml` (then `chmod 600 .streamlit/secrets.toml`), "
            "or paste it into the app's **Settings > Secrets** on Streamlit Community Cloud:"
        )
        st.code(toml_snippet(profile), language="toml")
    with env_tab:
        st.markdown("Set these where the app runs (Heroku config vars, a container's env):")
        st.code(environment_snippet(profile), language="bash")
    with aws_tab:
        st.markdown(
            "On AWS, store one JSON secret or SecureString parameters; the app's role needs "
            "read access to them only (`docs/credentials.md` has a least-privilege policy):"
        )
        st.code(aws_snippet(profile), language="bash")
