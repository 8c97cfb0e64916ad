"""Checks on the token itself, as Trello describes it at ``/1/tokens/{token}``.

Valid (fail when Trello refuses it), what it may do (warn beyond ``read``), when it expires (warn
when never, or within 7 days) and how old it is (warn past 90 days: rotate).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from trellolens.doctor.check import Check, failed, passed, warned
from trellolens.errors import (
    ConfigError,
    InvalidKeyError,
    InvalidTokenError,
    PermissionDeniedError,
    RateLimitedError,
    TrelloError,
    TrelloUnavailableError,
)
from trellolens.trello import TokenInfo

EXPIRY_WARNING = timedelta(days=7)
MAX_AGE = timedelta(days=90)
ROTATION_STEPS = (
    "open the URL from `trellolens authorize-url` (scope=read, 30 days), then paste the new token "
    "into `trellolens rotate`, which stores it, checks it and revokes the old one (docs/rotation.md)"
)
VALID_TITLE = "Token accepted by Trello"
SCOPES_TITLE = "Token scopes"
EXPIRY_TITLE = "Token expiry"
AGE_TITLE = "Token age"


def token_scopes(info: TokenInfo) -> tuple[str, ...]:
    """``read``, ``write`` (boards or workspaces) and ``account`` (the member itself), as granted."""
    scopes = ["read"] if any(p.read for p in info.permissions) else []
    if any(p.write and p.model_type != "Member" for p in info.permissions):
        scopes.append("write")
    if any(p.write and p.model_type == "Member" for p in info.permissions):
        scopes.append("account")
    return tuple(scopes)


def token_checks(fetch: Callable[[], TokenInfo], now: datetime) -> list[Check]:
    """Ask Trello about the token once; a refusal or an outage is one check, not an exception."""
    try:
        info = fetch()
    except InvalidTokenError as exc:
        return [failed("token.valid", VALID_TITLE, f"{exc.reason}: {exc}", ROTATION_STEPS)]
    except InvalidKeyError as exc:
        return [
            failed(
                "token.valid",
                VALID_TITLE,
                str(exc),
                "copy the API key from your Trello Power-Up admin page into `api_key`",
            )
        ]
    except PermissionDeniedError as exc:
        return [failed("token.valid", VALID_TITLE, str(exc), ROTATION_STEPS)]
    except (RateLimitedError, TrelloUnavailableError) as exc:
        return [
            warned(
                "token.valid",
                VALID_TITLE,
                f"not checked: {exc}",
                "run trellolens doctor again when Trello answers",
            )
        ]
    except (ConfigError, TrelloError) as exc:
        return [failed("token.valid", VALID_TITLE, str(exc), "see docs/trello-client.md")]
    app = f", made for {info.identifier}" if info.identifier else ""
    owner = f"member {info.member_id}" if info.member_id else "an unnamed member"
    return [
        passed("token.valid", VALID_TITLE, f"Trello accepts the token: it belongs to {owner}{app}"),
        scopes_check(info),
        expiry_check(info, now),
        age_check(info, now),
    ]


def scopes_check(info: TokenInfo) -> Check:
    scopes = token_scopes(info)
    listed = ", ".join(scopes) or "none"
    extra = [scope for scope in scopes if scope != "read"]
    if not extra:
        return passed("token.scopes", SCOPES_TITLE, f"scopes: {listed}; the dashboard needs read")
    what = {"write": "change your boards", "account": "read and change your Trello account"}
    return warned(
        "token.scopes",
        SCOPES_TITLE,
        f"scopes: {listed}: a leak would let anyone {' and '.join(what[s] for s in extra)}; "
        "the dashboard needs read only",
        ROTATION_STEPS,
    )


def expiry_check(info: TokenInfo, now: datetime) -> Check:
    if info.expires is None:
        return warned(
            "token.expiry",
            EXPIRY_TITLE,
            "the token never expires: a leaked copy works until someone revokes it",
            ROTATION_STEPS,
        )
    left = info.expires - now
    when = f"{info.expires:%Y-%m-%d %H:%M} UTC"
    if left <= timedelta(0):
        return failed("token.expiry", EXPIRY_TITLE, f"the token expired on {when}", ROTATION_STEPS)
    if left <= EXPIRY_WARNING:
        return warned(
            "token.expiry",
            EXPIRY_TITLE,
            f"the token expires on {when}, in {_days(left)}",
            ROTATION_STEPS,
        )
    return passed("token.expiry", EXPIRY_TITLE, f"expires on {when}, in {_days(left)}")


def age_check(info: TokenInfo, now: datetime) -> Check:
    if info.created is None:
        return passed("token.age", AGE_TITLE, "Trello did not say when the token was made")
    age = now - info.created
    made = f"made on {info.created:%Y-%m-%d}, {_days(age)} ago"
    if age > MAX_AGE:
        return warned(
            "token.age",
            AGE_TITLE,
            f"{made}: older than {MAX_AGE.days} days",
            "rotate it: " + ROTATION_STEPS,
        )
    return passed("token.age", AGE_TITLE, made)


def _days(span: timedelta) -> str:
    days = span.days
    if days < 1:
        hours = max(int(span.total_seconds() // 3600), 0)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"
