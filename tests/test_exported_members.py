"""Each public package's ``__all__``: pinned, sorted, resolvable and complete (as httpx does).

Changing a package's public API is a deliberate act: it fails here until ``PUBLIC_API`` is updated
(and the CHANGELOG says so).
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

PUBLIC_API: dict[str, tuple[str, ...]] = {
    "trellolens": (
        "BoardFormatError",
        "ConfigError",
        "CredentialsError",
        "InvalidKeyError",
        "InvalidTokenError",
        "MissingCredentialsError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitedError",
        "Secret",
        "TrelloConnection",
        "TrelloCredentials",
        "TrelloError",
        "TrelloNetworkError",
        "TrelloServerError",
        "TrelloTimeoutError",
        "TrelloUnavailableError",
        "TrellolensError",
        "__version__",
        "check_credentials",
        "py_trello_client",
        "resolve_credentials",
    ),
    "trellolens.credentials": (
        "DEFAULT_PROFILE",
        "KEYS",
        "REQUIRED_KEYS",
        "Resolution",
        "Resolver",
        "Secret",
        "SourceReport",
        "TrelloCredentials",
        "check_credentials",
        "default_resolver",
        "py_trello_client",
        "resolve_credentials",
        "resolver_from_environment",
    ),
    "trellolens.trello": (
        "BASE_URL_VARIABLE",
        "CARD_HISTORY_TYPES",
        "DEFAULT_BASE_URL",
        "PROCESS_WINDOWS",
        "BoardSummary",
        "ConfigError",
        "InvalidKeyError",
        "InvalidTokenError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitedError",
        "ResponseTooLargeError",
        "RetryPolicy",
        "TokenInfo",
        "TokenPermission",
        "TrelloAuth",
        "TrelloClient",
        "TrelloError",
        "TrelloNetworkError",
        "TrelloServerError",
        "TrelloTimeoutError",
        "TrelloUnavailableError",
        "WindowRegistry",
    ),
    "trellolens.settings": (
        "FIELDS",
        "SECRETS_TABLE",
        "ConfigError",
        "Field",
        "Settings",
        "read_settings",
    ),
    "trellolens.service": (
        "BOARD_LIST_TTL_SECONDS",
        "BOARD_TTL_SECONDS",
        "DASHBOARD_MAX_ACTIONS",
        "TOKEN_INFO_TTL_SECONDS",
        "BoardService",
        "CachePolicy",
        "Callbacks",
        "LoadWatch",
        "LoadedBoard",
        "Watch",
        "Who",
        "who",
    ),
    "trellolens.board": (
        "CARD_CREATION_TYPES",
        "MAX_EXPORT_BYTES",
        "MAX_UPLOAD_BYTES",
        "Action",
        "Board",
        "BoardFormatError",
        "Card",
        "CheckItem",
        "Checklist",
        "CustomField",
        "CustomFieldOption",
        "CustomFieldValue",
        "Label",
        "Member",
        "TrelloList",
        "board_to_export",
        "demo_board",
        "demo_board_bytes",
        "load_board",
        "parse_board",
        "parse_board_bytes",
    ),
    "trellolens.metrics": (
        "BlockedResults",
        "BlockedRule",
        "DataQuality",
        "FlowMetrics",
        "HowManyForecast",
        "MetricOptionError",
        "MetricOptions",
        "ServiceLevel",
        "ServiceLevelResults",
        "SizeResults",
        "WhenForecast",
        "WorkCalendar",
        "WorkTypeResults",
        "WorkTypes",
        "Workflow",
        "WorkflowError",
        "card_stage_times",
        "compute_flow_metrics",
        "default_as_of",
        "default_workflow",
        "forecast_by_type",
        "forecast_how_many",
        "forecast_when",
        "metrics_to_json",
        "parse_holidays",
        "workflow_from_names",
    ),
    "trellolens.scan": (
        "ALLOWLIST_FILE",
        "Allowlist",
        "Finding",
        "Match",
        "ScanError",
        "ScanRequest",
        "ScanResult",
        "find_credentials",
        "is_placeholder",
        "is_secrets_file",
        "load_allowlist",
        "save_allowlist",
        "scan",
        "tracked_files",
        "verify_findings",
    ),
    "trellolens.doctor": (
        "ERROR_DETAILS_OPTION",
        "SECRETS_FILE",
        "Check",
        "DoctorReport",
        "Status",
        "fix_modes",
        "mode_check",
        "resolver_for_project",
        "run_doctor",
        "secrets_files",
    ),
    "trellolens.rotation": (
        "DEFAULT_EXPIRATION",
        "DEFAULT_SCOPE",
        "DEFAULT_TOKEN_NAME",
        "EXPIRATIONS",
        "FAIL_MARK",
        "KEY_HINT",
        "WARN_MARK",
        "AuthorizeRequest",
        "RotationError",
        "RotationOptions",
        "RotationResult",
        "Step",
        "authorize_url",
        "describe",
        "fresh_resolver",
        "parse_scopes",
        "rotate_token",
    ),
    "trellolens.shared": (
        "REDIS_URL_VARIABLE",
        "SharedStateError",
        "check_redis_url",
        "redis_url_from_environment",
    ),
    "trellolens.webhooks": (
        "WebhookError",
        "WebhookInfo",
        "check_callback_url",
        "delete_webhook",
        "list_webhooks",
        "receiver_app",
        "register_webhook",
        "signature_matches",
        "webhook_signature",
    ),
    "trellolens.testing": (
        "RateLimits",
        "RecordedRequest",
        "RedisServer",
        "ResponseLimits",
        "TokenSpec",
        "TrelloEmulator",
        "generate_board",
        "generate_export",
        "requests_adapter",
    ),
}
"""Each public package and the names it exports, in ``__all__``'s order."""

NOT_EXPORTED = {
    "annotations": "``from __future__ import annotations``",
    "TYPE_CHECKING": "the lazy ``__init__``'s imports for type checkers",
    "Any": "the top-level ``__getattr__``'s annotation",
    "lazy_exports": "makes the lazy ``__getattr__`` and ``__dir__`` (``trellolens.lazy``)",
}
"""Public-looking module-level names that are not part of the API, each with its reason."""


def sort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then the rest (dunders first)."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def package(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_all_is_pinned(name: str) -> None:
    assert tuple(package(name).__all__) == PUBLIC_API[name]


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_all_is_sorted_without_duplicates(name: str) -> None:
    exported = list(package(name).__all__)
    assert exported == sorted(exported, key=sort_key)
    assert len(set(exported)) == len(exported)


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_every_exported_name_resolves(name: str) -> None:
    module = package(name)
    for member in module.__all__:
        value = getattr(module, member)
        assert value is not None, f"{name}.{member}"
        assert not isinstance(value, ModuleType), f"{name}.{member} is a module, not an API name"
        assert member in dir(module), f"{name}.{member} missing from dir()"


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_no_public_name_is_left_out(name: str) -> None:
    module = package(name)
    left_out = {
        member
        for member, value in vars(module).items()
        if not member.startswith("_") and not isinstance(value, ModuleType)
    } - set(module.__all__)
    assert left_out <= set(NOT_EXPORTED), f"{name}: export these or say why not: {left_out}"


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_an_unknown_name_is_not_there(name: str) -> None:
    assert not hasattr(package(name), "no_such_name")
