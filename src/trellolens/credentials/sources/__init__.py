"""Where credentials may live: one module per source, all implementing ``Source``."""

from __future__ import annotations

from trellolens.credentials.sources.aws_secrets_manager import AwsSecretsManagerSource
from trellolens.credentials.sources.aws_ssm import AwsSsmSource
from trellolens.credentials.sources.base import Source
from trellolens.credentials.sources.dotenv_file import DotenvSource
from trellolens.credentials.sources.environment import EnvironmentSource
from trellolens.credentials.sources.streamlit_secrets import StreamlitSecretsSource

SOURCE_TYPES: dict[str, type[Source]] = {
    source.name: source
    for source in (
        StreamlitSecretsSource,
        EnvironmentSource,
        DotenvSource,
        AwsSecretsManagerSource,
        AwsSsmSource,
    )
}
"""Every source by its short name, in the default order of precedence."""

__all__ = [
    "SOURCE_TYPES",
    "AwsSecretsManagerSource",
    "AwsSsmSource",
    "DotenvSource",
    "EnvironmentSource",
    "Source",
    "StreamlitSecretsSource",
]
