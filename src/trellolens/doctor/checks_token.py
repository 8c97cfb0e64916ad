"""Checks on the token itself, as Trello describes it at ``/1/tokens/{token}``.

Valid (fail when Trello refuses it), what it may do (fail when it may write: the dashboard only
reads), when it expires (warn when never, recommending OAuth 2.0, or within 7 days) and how old it
is (warn past 90 days: rotate). An OAuth 2.0 sign-in: its granted scopes (fail on a ``write:``
scope) and its access token's remaining lifetime; a refused refresh token says "sign in again".
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
    SignInRequiredError,
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
LIFETIME_TITLE = "Access token lifetime"
SIGN_IN_AGAIN = "sign in again: `trellolens login` (docs/credentials.md)"
OAUTH2_STEPS = (
    "sign in with least privilege: `trellolens login` asks for read:board:trello "
    "read:member:trello offline_access only (docs/credentials.md)"
)
RECOMMEND_OAUTH2 = (
    "move to OAuth 2.0 (`trellolens login`, docs/credentials.md): its access tokens live an hour "
    "and refresh themselves; or, staying with a legacy token, "
)
DASHBOARD_SCOPES = ("read:board:trello", "read:member:trello", "offline_access")


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
    except SignInRequiredError as exc:
        return [failed("token.valid", VALID_TITLE, str(exc), SIGN_IN_AGAIN)]
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
    if info.oauth2:
        return [
            passed("token.valid", VALID_TITLE, f"Trello accepts the OAuth 2.0 sign-in of {owner}"),
            oauth2_scopes_check(info),
            lifetime_check(info, now),
        ]
    return [
        passed("token.valid", VALID_TITLE, f"Trello accepts the token: it belongs to {owner}{app}"),
        scopes_check(info),
        expiry_check(info, now),
        age_check(info, now),
    ]


def oauth2_scopes_check(info: TokenInfo) -> Check:
    """Fail a grant that may write (the dashboard only reads); list what was granted."""
    listed = ", ".join(info.granted) or "none"
    writes = [scope for scope in info.granted if scope.startswith("write:")]
    if writes:
        return failed(
            "token.scopes",
            SCOPES_TITLE,
            f"granted scopes: {listed}: {', '.join(writes)} would let a leaked token change your "
            "boards; the dashboard only reads",
            OAUTH2_STEPS,
        )
    return passed(
        "token.scopes",
        SCOPES_TITLE,
        f"granted scopes: {listed}; the dashboard needs {' '.join(DASHBOARD_SCOPES)}",
    )


def lifetime_check(info: TokenInfo, now: datetime) -> Check:
    """The OAuth 2.0 access token's remaining lifetime (it refreshes itself before the end)."""
    if info.expires is None:
        return warned(
            "token.expiry",
            LIFETIME_TITLE,
            "the auth server did not say when the access token expires",
            SIGN_IN_AGAIN,
        )
    left = max(int((info.expires - now).total_seconds()), 0)
    minutes, seconds = divmod(left, 60)
    shown = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
    return passed(
        "token.expiry",
        LIFETIME_TITLE,
        f"the access token has {shown} left and is refreshed before it expires (each refresh "
        "token is used once)",
    )


def scopes_check(info: TokenInfo) -> Check:
    """Fail a token that may write or change the account: the dashboard only reads."""
    scopes = token_scopes(info)
    listed = ", ".join(scopes) or "none"
    extra = [scope for scope in scopes if scope != "read"]
    if not extra:
        return passed("token.scopes", SCOPES_TITLE, f"scopes: {listed}; the dashboard needs read")
    what = {"write": "change your boards", "account": "read and change your Trello account"}
    return failed(
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
            "the token never expires: a leaked copy works until someone revokes it; OAuth 2.0 "
            "is recommended",
            RECOMMEND_OAUTH2 + ROTATION_STEPS,
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
