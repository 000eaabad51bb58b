"""Who a request is (server mode): a signed-in browser's session cookie or an API token; in local
mode (no accounts) everyone on loopback is the local owner, as before.

Resolved once per request inside its transaction (`web/deps.py` calls `identify`), so it costs no
extra connection or thread hop. The session cookie holds `token.signature`: a random token whose
SHA-256 names the login session row, signed with the web secret so a cookie this server never made
is refused before any lookup. It is HttpOnly, SameSite=Lax, and Secure when the request came over
HTTPS (behind a proxy, only as `tieline serve --forwarded-allow-ips` lets it say so).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request, Response
from sqlalchemy.orm import Session

from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import accounts, tokens

COOKIE = "tieline_session"


@dataclass(frozen=True)
class Identity:
    """Whose request this is: an owner (None: nobody signed in, in server mode), how they proved it."""

    owner_id: int | None
    username: str | None = None
    via: str = "local"  # "local", "session", "token", or "nobody"
    scope: str = "write"
    session_token: str | None = None


NOBODY = Identity(owner_id=None, via="nobody")


def _signature(secret: bytes, token: str) -> str:
    digest = hmac.new(secret, b"session:" + token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signed(secret: bytes, token: str) -> str:
    """The cookie value for a session token."""
    return f"{token}.{_signature(secret, token)}"


def unsigned(secret: bytes, value: str | None) -> str | None:
    """The session token of a cookie this server signed, or None."""
    if not value or "." not in value:
        return None
    token, _, signature = value.rpartition(".")
    return token if hmac.compare_digest(signature, _signature(secret, token)) else None


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def identify(
    request: Request, session: Session, database: Database, secret: bytes, now: datetime
) -> Identity:
    """Who this request is, read in `session` (a reading transaction). A session's or token's
    last-use time is written at most every few minutes, in a short transaction of its own."""
    secret_token = bearer(request) if request.url.path.startswith("/api/") else None
    if secret_token is not None:
        use = tokens.owner_of(session, secret=secret_token, now=now)
        if use is None:
            return NOBODY
        if use.needs_touch:
            _touch(database, lambda s: tokens.touch(s, token_id=use.token_id, now=now))
        return Identity(owner_id=use.owner_id, via="token", scope=use.scope)
    cookie_token = unsigned(secret, request.cookies.get(COOKIE))
    if cookie_token is not None:
        signed_in = accounts.session_owner(session, token=cookie_token, now=now)
        if signed_in is not None:
            if signed_in.needs_touch:
                _touch(
                    database,
                    lambda s: accounts.touch(s, session_id=signed_in.session_id, now=now),
                )
            return Identity(
                owner_id=signed_in.owner_id,
                username=signed_in.username,
                via="session",
                session_token=cookie_token,
            )
    if accounts.has_accounts(session):
        return NOBODY
    return Identity(owner_id=LOCAL_OWNER_ID)


def _touch(database: Database, change) -> None:  # type: ignore[no-untyped-def]
    # The last-use time is worth a short transaction of its own, never worth failing a request for.
    try:
        with database.transaction(writes=True) as own:
            change(own)
    except Exception:
        pass


def set_session_cookie(response: Response, request: Request, secret: bytes, token: str) -> None:
    response.set_cookie(
        COOKIE,
        signed(secret, token),
        max_age=int(accounts.ABSOLUTE_LIFETIME.total_seconds()),
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, secure=request.url.scheme == "https", samesite="lax"
    )


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
