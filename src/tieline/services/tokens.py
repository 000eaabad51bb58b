"""Personal access tokens for the REST API and automation: shown once, stored as their SHA-256,
scoped read or write, revocable, with the time each was last used. A token of a disabled account
stops working; in local mode (no accounts) tokens belong to the local owner."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import TOKEN_SCOPES
from tieline.repo import accounts as repo
from tieline.services.accounts import token_hash

PREFIX = "tl_"
SHOWN_CHARS = 10  # the start of a token, shown in lists so a person can tell theirs apart
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _info(row) -> TokenInfo:  # type: ignore[no-untyped-def]
    return TokenInfo(
        row.id, row.name, row.prefix, row.scope, row.created_at, row.last_used_at, row.revoked_at
    )


def create(session: Session, *, owner_id: int, name: str, scope: str, now: datetime) -> tuple[TokenInfo, str]:
    """A new token: its details and the secret, which is shown this once and never again."""
    from tieline.models import ApiToken

    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput(
            "name: 1 to 200 characters, to tell this token from others (e.g. 'phone shortcut')"
        )
    if scope not in TOKEN_SCOPES:
        raise InvalidInput(f"scope: one of {', '.join(TOKEN_SCOPES)}")
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        owner_id=owner_id,
        name=name,
        token_hash=token_hash(secret),
        prefix=secret[:SHOWN_CHARS],
        scope=scope,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return _info(row), secret


def listing(session: Session, *, owner_id: int) -> list[TokenInfo]:
    return [_info(r) for r in repo.tokens(session, owner_id=owner_id)]


def revoke(session: Session, *, owner_id: int, which: str, now: datetime) -> TokenInfo:
    """Revoke a token named by its id or its name; it stops working at once."""
    if which.strip().isdigit():
        row = repo.token(session, owner_id=owner_id, token_id=int(which))
        rows = [row] if row is not None else []
    else:
        rows = [
            r
            for r in repo.token_named(session, owner_id=owner_id, name=which.strip())
            if r.revoked_at is None
        ]
    if not rows:
        raise NotFound(f"no token {which!r} (tieline token list shows them)")
    if len(rows) > 1:
        raise Ambiguous(
            f"{len(rows)} tokens are named {which!r}; revoke one by its id", [str(r.id) for r in rows]
        )
    row = rows[0]
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return _info(row)


@dataclass(frozen=True)
class TokenUse:
    owner_id: int
    token_id: int
    scope: str
    needs_touch: bool


def owner_of(session: Session, *, secret: str, now: datetime) -> TokenUse | None:
    """Whose a presented token is, or None (unknown, revoked, its account disabled)."""
    row = repo.token_by_hash(session, token_hash(secret))
    if row is None or row.revoked_at is not None:
        return None
    due = row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY
    return TokenUse(row.owner_id, row.id, row.scope, due)


def touch(session: Session, *, token_id: int, now: datetime) -> None:
    repo.touch_token(session, token_id=token_id, now=now)
