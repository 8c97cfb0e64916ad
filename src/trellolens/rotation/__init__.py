"""Token rotation: the authorize URL that makes a new token, and ``rotate_token`` that swaps it in.

Names load on first use (the AWS and Trello clients only when a rotation runs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "AuthorizeRequest": ("trellolens.rotation.authorize", "AuthorizeRequest"),
    "DEFAULT_EXPIRATION": ("trellolens.rotation.authorize", "DEFAULT_EXPIRATION"),
    "DEFAULT_SCOPE": ("trellolens.rotation.authorize", "DEFAULT_SCOPE"),
    "DEFAULT_TOKEN_NAME": ("trellolens.rotation.authorize", "DEFAULT_NAME"),
    "EXPIRATIONS": ("trellolens.rotation.authorize", "EXPIRATIONS"),
    "FAIL_MARK": ("trellolens.rotation.rotation", "FAIL"),
    "KEY_HINT": ("trellolens.rotation.authorize", "KEY_HINT"),
    "RotationError": ("trellolens.errors", "RotationError"),
    "RotationOptions": ("trellolens.rotation.rotation", "RotationOptions"),
    "RotationResult": ("trellolens.rotation.rotation", "RotationResult"),
    "Step": ("trellolens.rotation.rotation", "Step"),
    "WARN_MARK": ("trellolens.rotation.rotation", "WARN"),
    "authorize_url": ("trellolens.rotation.authorize", "authorize_url"),
    "describe": ("trellolens.rotation.rotation", "describe"),
    "fresh_resolver": ("trellolens.rotation.rotation", "fresh_resolver"),
    "parse_scopes": ("trellolens.rotation.authorize", "parse_scopes"),
    "rotate_token": ("trellolens.rotation.rotation", "rotate_token"),
}
"""Each public name: the module it lives in and its name there."""

__all__ = [
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
]

if TYPE_CHECKING:
    from trellolens.errors import (
        RotationError,
    )
    from trellolens.rotation.authorize import (
        DEFAULT_EXPIRATION,
        DEFAULT_SCOPE,
        EXPIRATIONS,
        KEY_HINT,
        AuthorizeRequest,
        authorize_url,
        parse_scopes,
    )
    from trellolens.rotation.authorize import (
        DEFAULT_NAME as DEFAULT_TOKEN_NAME,
    )
    from trellolens.rotation.rotation import (
        FAIL as FAIL_MARK,
    )
    from trellolens.rotation.rotation import (
        WARN as WARN_MARK,
    )
    from trellolens.rotation.rotation import (
        RotationOptions,
        RotationResult,
        Step,
        describe,
        fresh_resolver,
        rotate_token,
    )


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
