"""Accounts, login sessions, failed sign-ins and personal access tokens (server mode)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Account, ApiToken, LoginFailure, LoginSession, Owner

_account = Account.__table__
_session = LoginSession.__table__
_token = ApiToken.__table__

# Read on every request of a signed-in browser, with the account's name for the pages: built once.
_SESSION_OWNER = (
    sa.select(
        _session.c.id,
        _session.c.owner_id,
        _session.c.created_at,
        _session.c.last_seen_at,
        _account.c.username,
    )
    .join(_account, _account.c.owner_id == _session.c.owner_id)
    .where(_session.c.token_hash == sa.bindparam("token_hash"), _account.c.disabled_at.is_(None))
)
# A token of a disabled account stops; one of an owner without an account (local mode) works.
_TOKEN_OWNER = (
    sa.select(_token.c.id, _token.c.owner_id, _token.c.scope, _token.c.last_used_at, _token.c.revoked_at)
    .outerjoin(_account, _account.c.owner_id == _token.c.owner_id)
    .where(_token.c.token_hash == sa.bindparam("token_hash"), _account.c.disabled_at.is_(None))
)
_ANY_ACCOUNT = sa.select(sa.exists().where(_account.c.owner_id.is_not(None)))


class SessionRow(NamedTuple):
    id: int
    owner_id: int
    created_at: datetime
    last_seen_at: datetime
    username: str


class TokenRow(NamedTuple):
    id: int
    owner_id: int
    scope: str
    last_used_at: datetime | None
    revoked_at: datetime | None


def any_account(session: Session) -> bool:
    """Whether any account exists (server mode) or none (local mode)."""
    return bool(session.execute(_ANY_ACCOUNT).scalar())


def by_username(session: Session, username_key: str) -> Account | None:
    """The account of a folded username."""
    return session.execute(
        sa.select(Account).where(Account.username_key == username_key)
    ).scalar_one_or_none()


def by_owner(session: Session, owner_id: int) -> Account | None:
    """The account of an owner, if it has one."""
    return session.get(Account, owner_id)


def all_accounts(session: Session) -> list[Account]:
    """Every account, by username."""
    return list(session.execute(sa.select(Account).order_by(Account.username_key)).scalars())


def owner_without_account(session: Session, owner_id: int) -> bool:
    """Whether the owner row exists and no account has taken it yet."""
    return session.get(Owner, owner_id) is not None and session.get(Account, owner_id) is None


def new_owner(session: Session, *, name: str, now: datetime) -> int:
    """A new, empty owner."""
    owner = Owner(name=name, created_at=now)
    session.add(owner)
    session.flush()
    return owner.id


def ensure_owner(session: Session, *, owner_id: int, name: str, now: datetime) -> None:
    """Make sure an owner row with this id exists (the local owner after its account was deleted)."""
    if session.get(Owner, owner_id) is None:
        session.add(Owner(id=owner_id, name=name, created_at=now))
        session.flush()


def delete_owner(session: Session, owner_id: int) -> None:
    """Delete an owner; every row it owns goes with it (ON DELETE CASCADE)."""
    session.execute(sa.delete(Owner).where(Owner.id == owner_id))
    session.expunge_all()


# --- login sessions ---------------------------------------------------------------------------------


def session_by_token(session: Session, token_hash: str) -> SessionRow | None:
    """The login session of a cookie's token, with its account's name, if the account is enabled."""
    row = session.execute(_SESSION_OWNER, {"token_hash": token_hash}).first()
    return SessionRow(*row) if row else None


def add_session(session: Session, *, owner_id: int, token_hash: str, now: datetime) -> None:
    session.add(LoginSession(owner_id=owner_id, token_hash=token_hash, created_at=now, last_seen_at=now))
    session.flush()


def touch_session(session: Session, *, session_id: int, now: datetime) -> None:
    session.execute(sa.update(_session).where(_session.c.id == session_id).values(last_seen_at=now))


def delete_session(session: Session, *, token_hash: str) -> None:
    session.execute(sa.delete(_session).where(_session.c.token_hash == token_hash))


def delete_sessions(session: Session, *, owner_id: int, except_hash: str | None = None) -> int:
    """Sign an owner out everywhere (but the browser whose token is `except_hash`)."""
    statement = sa.delete(_session).where(_session.c.owner_id == owner_id)
    if except_hash is not None:
        statement = statement.where(_session.c.token_hash != except_hash)
    return session.execute(statement).rowcount or 0


def purge_sessions(session: Session, *, idle_before: datetime, created_before: datetime) -> int:
    """Forget sessions past their idle or absolute lifetime."""
    statement = sa.delete(_session).where(
        sa.or_(_session.c.last_seen_at < idle_before, _session.c.created_at < created_before)
    )
    return session.execute(statement).rowcount or 0


# --- failed sign-ins --------------------------------------------------------------------------------


def failures(session: Session, keys: list[str]) -> list[LoginFailure]:
    """The failed sign-ins counted under these keys (those that have a row)."""
    return list(session.execute(sa.select(LoginFailure).where(LoginFailure.key.in_(keys))).scalars())


def add_failure(session: Session, *, key: str, now: datetime) -> LoginFailure:
    row = LoginFailure(key=key, failures=0, window_start=now)
    session.add(row)
    return row


def clear_failures(session: Session, keys: list[str]) -> None:
    session.execute(sa.delete(LoginFailure).where(LoginFailure.key.in_(keys)))


# --- tokens -------------------------------------------------------------------------------------------


def token_by_hash(session: Session, token_hash: str) -> TokenRow | None:
    row = session.execute(_TOKEN_OWNER, {"token_hash": token_hash}).first()
    return TokenRow(*row) if row else None


def touch_token(session: Session, *, token_id: int, now: datetime) -> None:
    session.execute(sa.update(_token).where(_token.c.id == token_id).values(last_used_at=now))


def tokens(session: Session, *, owner_id: int) -> list[ApiToken]:
    statement = sa.select(ApiToken).where(ApiToken.owner_id == owner_id).order_by(ApiToken.id)
    return list(session.execute(statement).scalars())


def token(session: Session, *, owner_id: int, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    return row if row is not None and row.owner_id == owner_id else None


def token_named(session: Session, *, owner_id: int, name: str) -> list[ApiToken]:
    statement = sa.select(ApiToken).where(ApiToken.owner_id == owner_id, ApiToken.name == name)
    return list(session.execute(statement).scalars())


def owned_row_counts(session: Session, *, owner_id: int, tables: list[sa.Table]) -> dict[str, int]:
    """How many rows each table holds for an owner (tables with an owner_id column)."""
    counts = {}
    for table in tables:
        statement = sa.select(sa.func.count()).select_from(table).where(table.c.owner_id == owner_id)
        counts[table.name] = session.execute(statement).scalar_one()
    return counts
