"""``X-Trello-Webhook``: base64 of HMAC-SHA1 over the raw body followed by the exact callback URL,
keyed with the app's API secret (Trello's documented scheme), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac

from trellolens.credentials import Secret


def webhook_signature(api_secret: Secret, body: bytes, callback_url: str) -> str:
    key = api_secret.reveal().encode()
    digest = hmac.new(key, body + callback_url.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_matches(api_secret: Secret, body: bytes, callback_url: str, header: str) -> bool:
    """True when ``header`` signs exactly ``body`` for exactly ``callback_url``."""
    expected = webhook_signature(api_secret, body, callback_url).encode()
    return hmac.compare_digest(expected, header.strip().encode())
