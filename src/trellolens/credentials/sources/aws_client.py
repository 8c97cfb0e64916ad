"""What the two AWS sources share: lazy boto3, quiet botocore logging, AWS errors in one line.

boto3 is an optional extra (``pip install "trellolens[aws]"``). Its standard configuration
applies unchanged: region, credential chain and ``AWS_ENDPOINT_URL`` (LocalStack, moto).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trellolens.errors import AwsConfigurationError as AwsConfigurationError
from trellolens.errors import SourceUnavailable as SourceUnavailable

INSTALL_HINT = 'boto3 is not installed: pip install "trellolens[aws]"'
COMMUNITY_CLOUD_HINT = (
    "boto3 is not installed: add the line boto3 to requirements.txt, then reboot the app"
)
COMMUNITY_CLOUD_ROOT = Path("/mount/src")
"""Where Streamlit Community Cloud clones an app's repository (and runs it from)."""


def on_community_cloud(cwd: Path | None = None) -> bool:
    """Whether this app runs from a Community Cloud clone, where nobody runs pip by hand."""
    here = Path.cwd() if cwd is None else cwd
    return here == COMMUNITY_CLOUD_ROOT or COMMUNITY_CLOUD_ROOT in here.parents


def install_hint(cwd: Path | None = None) -> str:
    """How to get boto3 where this app runs: requirements.txt on Community Cloud, else the extra."""
    return COMMUNITY_CLOUD_HINT if on_community_cloud(cwd) else INSTALL_HINT


ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDeniedException",
        "AccessDenied",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "KMSAccessDeniedException",
    }
)
# botocore logs every response body at DEBUG; during our reads those bodies hold secrets.
_QUIET_LOGGERS = ("botocore.parsers", "botocore.endpoint", "botocore.hooks")
_quiet = threading.local()


NO_REGION = "no AWS region configured (set AWS_DEFAULT_REGION, or region in ~/.aws/config)"
REGION_SETTING = "AWS_DEFAULT_REGION (else region in the AWS config file)"
INTEGER_SETTINGS = (
    "AWS_MAX_ATTEMPTS",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
)


class _DropDuringSecretReads(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_quiet, "active", False)


_FILTER = _DropDuringSecretReads()


@contextmanager
def quiet_botocore() -> Iterator[None]:
    """Drop botocore's debug records (which echo response bodies) from this thread's AWS reads."""
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    _quiet.active = True
    try:
        yield
    finally:
        _quiet.active = False


def make_client(service: str) -> Any:
    """A boto3 client for ``service`` from boto3's standard configuration.

    Raises ``SourceUnavailable`` when boto3 or an AWS region is missing, and
    ``AwsConfigurationError`` when botocore refuses a setting (``configuration_problem``).
    """
    if not region_may_be_set():
        raise SourceUnavailable(NO_REGION)  # known without importing boto3 (CLI start-up)
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, NoRegionError
    except ImportError:
        raise SourceUnavailable(install_hint()) from None
    config = Config(
        connect_timeout=3, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"}
    )
    try:
        return boto3.session.Session().client(service, config=config)  # type: ignore[call-overload]
    except NoRegionError:
        raise SourceUnavailable(NO_REGION) from None

    except (BotoCoreError, ValueError) as exc:  # botocore's own words would be a traceback
        raise AwsConfigurationError(configuration_problem(exc)) from None


AWS_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


def aws_credentials_configured() -> bool:
    """True when the environment names AWS credentials: the owner meant to use AWS."""
    return any(os.environ.get(name, "").strip() for name in AWS_CREDENTIAL_VARIABLES)


def region_may_be_set() -> bool:
    """False when no AWS region can be configured: no region variable and no AWS config file."""
    if os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"):
        return True
    config = os.environ.get("AWS_CONFIG_FILE") or os.path.join("~", ".aws", "config")
    return os.path.exists(os.path.expanduser(config))


def configuration_problem(exc: Exception) -> str:
    """One line for an AWS setting botocore refuses while making a client: which one, and the fix.

    Never quotes the setting's value (someone may have pasted a secret into the wrong variable).
    """
    from botocore import exceptions as aws

    environ = os.environ
    if isinstance(exc, aws.InvalidRegionError):
        return f"AWS: {REGION_SETTING} is not a region name such as eu-west-1; fix or unset it"
    if isinstance(exc, aws.ProfileNotFound):
        return (
            "AWS: AWS_PROFILE names a profile that is not in the AWS config or credentials file; "
            "fix AWS_PROFILE or add that profile"
        )
    if isinstance(exc, aws.ConfigParseError | aws.ConfigNotFound):
        return (
            "AWS: the AWS config file (AWS_CONFIG_FILE, else ~/.aws/config) cannot be read; "
            "fix its syntax or point AWS_CONFIG_FILE at a good one"
        )
    if isinstance(exc, aws.InvalidRetryModeError):
        return "AWS: AWS_RETRY_MODE must be legacy, standard or adaptive"
    if isinstance(exc, aws.InvalidMaxRetryAttemptsError):
        return "AWS: AWS_MAX_ATTEMPTS must be a whole number of at least 1"
    if isinstance(exc, ValueError) and "endpoint" in str(exc).lower():
        if environ.get("AWS_ENDPOINT_URL", "").strip():
            return "AWS: AWS_ENDPOINT_URL is not a URL such as https://aws.example:4566; fix or unset it"
        return f"AWS: {REGION_SETTING} is empty or not a region name such as eu-west-1; fix or unset it"
    bad_numbers = [name for name in INTEGER_SETTINGS if not _is_integer(environ.get(name, "0"))]
    if bad_numbers:
        return f"AWS: {bad_numbers[0]} must be a whole number"
    return (
        f"AWS: botocore refuses the AWS settings ({type(exc).__name__}); check the AWS_* "
        "variables and the AWS config file"
    )


def _is_integer(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def describe_aws_failure(exc: Exception, what: str, permissions: str) -> str | None:
    """One line for a botocore failure reading ``what``; None when it means "not configured".

    ``what`` names the secret id or parameter path; the message never holds a value.
    """
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
    )

    if isinstance(exc, NoCredentialsError):
        return None
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "unknown"))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in ACCESS_DENIED_CODES or status == 403:
            return (
                f"access denied reading {what} ({code}); the app's AWS identity needs "
                f"{permissions} on it (docs/credentials.md has a least-privilege policy)"
            )
        return f"AWS refused reading {what} ({code}); check the name, region and permissions"
    if isinstance(exc, EndpointConnectionError):
        return (
            f"cannot reach AWS to read {what} ({type(exc).__name__}); check the network and region"
        )
    if isinstance(exc, BotoCoreError):
        return f"reading {what} failed ({type(exc).__name__})"
    return None
