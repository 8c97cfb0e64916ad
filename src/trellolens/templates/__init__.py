"""Files shipped inside the package: the secrets template ``trellolens secrets template`` prints
and the safe ``.streamlit/config.toml`` that ``trellolens init`` writes."""

from __future__ import annotations

from importlib import resources
from string import Template

from trellolens.credentials.model import DEFAULT_PROFILE, check_profile

SECRETS_TEMPLATE = "secrets.toml.template"
CONFIG_FILE = "config.toml"
"""The visitor-safe ``.streamlit/config.toml`` (the repository's own), written by ``init``."""
AWS_TEMPLATE = "secrets-aws.toml.template"


def secrets_template(profile: str | None = None, *, aws: bool = False) -> str:
    """The TOML to paste into ``.streamlit/secrets.toml``: empty placeholders, never a value.

    ``profile`` makes the table ``[trello.<profile>]`` (the values for that profile only);
    ``aws`` is the variant whose Trello values live in AWS Secrets Manager.
    """
    name = check_profile(profile) if profile else None
    text = resources.files(__package__).joinpath(AWS_TEMPLATE if aws else SECRETS_TEMPLATE)
    return Template(text.read_text(encoding="utf-8")).substitute(
        table="trello" if name is None else f"trello.{name}",
        profile=name or DEFAULT_PROFILE,
    )


def streamlit_config() -> str:
    """The safe Streamlit settings ``trellolens doctor`` checks (error details hidden, no usage
    statistics, upload limit, XSRF protection), as ``.streamlit/config.toml``."""
    return resources.files(__package__).joinpath(CONFIG_FILE).read_text(encoding="utf-8")
