"""Trello webhooks: the signature check, the receiver (``trellolens webhooks serve``) and the
register/list/delete calls. Starlette and uvicorn (what Streamlit itself runs on) are imported by
the receiver only, so names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "WebhookError": ("trellolens.errors", "WebhookError"),
    "WebhookInfo": ("trellolens.webhooks.api", "WebhookInfo"),
    "check_callback_url": ("trellolens.webhooks.api", "check_callback_url"),
    "delete_webhook": ("trellolens.webhooks.api", "delete_webhook"),
    "list_webhooks": ("trellolens.webhooks.api", "list_webhooks"),
    "receiver_app": ("trellolens.webhooks.receiver", "receiver_app"),
    "register_webhook": ("trellolens.webhooks.api", "register_webhook"),
    "signature_matches": ("trellolens.webhooks.signature", "signature_matches"),
    "webhook_signature": ("trellolens.webhooks.signature", "webhook_signature"),
}
"""Each public name: the module it lives in and its name there."""

__all__ = [
    "WebhookError",
    "WebhookInfo",
    "check_callback_url",
    "delete_webhook",
    "list_webhooks",
    "receiver_app",
    "register_webhook",
    "signature_matches",
    "webhook_signature",
]

if TYPE_CHECKING:
    from trellolens.errors import (
        WebhookError,
    )
    from trellolens.webhooks.api import (
        WebhookInfo,
        check_callback_url,
        delete_webhook,
        list_webhooks,
        register_webhook,
    )
    from trellolens.webhooks.receiver import (
        receiver_app,
    )
    from trellolens.webhooks.signature import (
        signature_matches,
        webhook_signature,
    )


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
