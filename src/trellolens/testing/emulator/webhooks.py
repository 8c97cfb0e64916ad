"""Webhooks as Trello runs them: a HEAD check on registration, then a signed POST per change.

Each delivery carries ``X-Trello-Webhook``: base64 of HMAC-SHA1 over the raw body followed by the
exact callback URL, keyed with the app's API secret. A delivery that fails (no connection, an
answer other than 2xx) is retried after ``retry_delays``; an answer of 410 Gone deletes the webhook.
Deliveries run on background threads; ``wait_idle`` waits for them (tests).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import random
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

logger = logging.getLogger("trellolens.testing.emulator")

RETRY_DELAYS = (0.2, 0.5, 1.0)
"""Seconds before each retry of a failed delivery (real Trello waits 30, 60 and 120 s)."""
CHECK_TIMEOUT = 5.0


@dataclass
class Webhook:
    id: str
    id_model: str
    callback_url: str
    description: str
    token: str = field(repr=False)
    active: bool = True
    consecutive_failures: int = 0

    def api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "idModel": self.id_model,
            "callbackURL": self.callback_url,
            "active": self.active,
            "consecutiveFailures": self.consecutive_failures,
            "firstConsecutiveFailDate": None,
        }


@dataclass(frozen=True)
class Delivery:
    """One attempt: which webhook, the answer's status (0: no answer) and the attempt number."""

    webhook_id: str
    status: int
    attempt: int


def signature(api_secret: str, body: bytes, callback_url: str) -> str:
    digest = hmac.new(api_secret.encode(), body + callback_url.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class WebhookRegistry:
    def __init__(self, api_secret: str, rng: random.Random | None = None) -> None:
        self.api_secret = api_secret
        self.retry_delays = RETRY_DELAYS
        self.lock = threading.Lock()
        self.hooks: dict[str, Webhook] = {}
        self.deliveries: list[Delivery] = []
        self._rng = rng or random.Random()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    def check_callback(self, callback_url: str) -> bool:
        """Trello's HEAD request to a new callback URL: True if it answered 200."""
        try:
            answer = httpx.head(callback_url, timeout=CHECK_TIMEOUT, follow_redirects=False)
        except httpx.HTTPError:
            return False
        return answer.status_code == httpx.codes.OK

    def add(self, token: str, id_model: str, callback_url: str, description: str) -> Webhook:
        hook = Webhook(
            f"{self._rng.getrandbits(96):024x}", id_model, callback_url, description, token
        )
        with self.lock:
            self.hooks[hook.id] = hook
        return hook

    def of_token(self, token: str) -> list[Webhook]:
        with self.lock:
            return [hook for hook in self.hooks.values() if hook.token == token]

    def remove(self, hook_id: str) -> Webhook | None:
        with self.lock:
            return self.hooks.pop(hook_id, None)

    def changed(self, id_model: str, payload: dict[str, Any]) -> None:
        """Deliver ``payload`` to every active webhook on ``id_model`` (in the background)."""
        with self.lock:
            targets = [h for h in self.hooks.values() if h.id_model == id_model and h.active]
        for hook in targets:
            thread = threading.Thread(
                target=self._deliver, args=(hook, payload), name="emulator-webhook", daemon=True
            )
            with self.lock:
                self._threads.append(thread)
            thread.start()

    def _deliver(self, hook: Webhook, payload: dict[str, Any]) -> None:
        body = json.dumps({**payload, "webhook": hook.api()}, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Trello-Webhook": signature(self.api_secret, body, hook.callback_url),
            "User-Agent": "trellolens-emulator webhook",
        }
        for attempt, delay in enumerate((0.0, *self.retry_delays), start=1):
            if delay and self._stopping.wait(delay):
                return
            try:
                status = httpx.post(
                    hook.callback_url, content=body, headers=headers, timeout=CHECK_TIMEOUT
                ).status_code
            except httpx.HTTPError:
                status = 0
            with self.lock:
                self.deliveries.append(Delivery(hook.id, status, attempt))
                if status == httpx.codes.GONE:
                    self.hooks.pop(hook.id, None)
                    return
                if 200 <= status < 300:
                    hook.consecutive_failures = 0
                    return
                hook.consecutive_failures += 1
        logger.debug("emulator webhook delivery gave up after %d attempts", attempt)

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self.lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout)

    def stop(self) -> None:
        self._stopping.set()
        self.wait_idle(1.0)
        self._stopping.clear()

    def clear(self) -> None:
        self.stop()
        with self.lock:
            self.hooks.clear()
            self.deliveries.clear()
