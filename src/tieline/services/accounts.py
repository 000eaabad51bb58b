"""Accounts (server mode): who may sign in, with what password, and their login sessions.

Local mode has no accounts: one owner (LOCAL_OWNER_ID) and no sign-in, on loopback. The first
account created takes that owner, so the network already on the laptop becomes its data; every
later account gets a new, empty owner. Once an account exists, the web app asks everyone to sign in.

Passwords are hashed with Argon2id (argon2-cffi, RFC 9106's low-memory profile). Sign-in answers
the same words, and takes about the same time, whether the account exists or not. Failed sign-ins
are counted per account name typed and per address, in the database (every app process sees them):
`ACCOUNT_LIMIT` failures within `WINDOW` lock the name for `LOCKOUT`; `ADDRESS_LIMIT` lock the address.
A login session is a random token in a signed cookie; only its SHA-256 is stored, with an idle and an
absolute lifetime.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import accounts as repo

IDLE_LIFETIME = timedelta(days=7)
ABSOLUTE_LIFETIME = timedelta(days=30)
# last_seen_at is written at most this often per session, so a page view rarely writes.
TOUCH_EVERY = timedelta(minutes=5)
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
MIN_PASSWORD = 10
MAX_PASSWORD = 1000
USERNAME = re.compile(r"[\w.@+-]{1,100}")
WRONG = "Wrong username or password."


@cache
def _hasher():  # type: ignore[no-untyped-def]
    # Imported on first use: the everyday CLI commands never hash a password.
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so timing says nothing."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """What is stored of a random token: its SHA-256 (the token has 256 bits of entropy)."""
    return hashlib.sha256(token.encode()).hexdigest()


def username_key(username: str) -> str:
    return username.strip().casefold()


def check_username(username: str) -> str:
    shown = username.strip()
    if not USERNAME.fullmatch(shown):
        raise InvalidInput(
            "username: 1 to 100 letters, digits or . _ @ + - (no spaces), e.g. ana or ana.lima@example.org"
        )
    return shown


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"password: at most {MAX_PASSWORD} characters")
    return password


@dataclass(frozen=True)
class AccountInfo:
    owner_id: int
    username: str
    created_at: datetime
    disabled: bool
    took_local_data: bool = False


def _info(account, *, took_local_data: bool = False) -> AccountInfo:  # type: ignore[no-untyped-def]
    return AccountInfo(
        owner_id=account.owner_id,
        username=account.username,
        created_at=account.created_at,
        disabled=account.disabled_at is not None,
        took_local_data=took_local_data,
    )


def has_accounts(session: Session) -> bool:
    """Server mode: at least one account exists, so the web app asks everyone to sign in."""
    return repo.any_account(session)


def add_user(session: Session, *, username: str, password: str, now: datetime) -> AccountInfo:
    """Create an account. The first one takes the local owner and its data; later ones start empty."""
    from tieline.models import Account

    shown = check_username(username)
    check_password(password)
    key = username_key(shown)
    if repo.by_username(session, key) is not None:
        raise InvalidInput(f"an account named {shown!r} already exists")
    took_local = not repo.any_account(session) and repo.owner_without_account(session, LOCAL_OWNER_ID)
    owner_id = LOCAL_OWNER_ID if took_local else repo.new_owner(session, name=shown, now=now)
    account = Account(
        owner_id=owner_id,
        username=shown,
        username_key=key,
        password_hash=hash_password(password),
        created_at=now,
        password_changed_at=now,
    )
    session.add(account)
    session.flush()
    return _info(account, took_local_data=took_local)


def _account(session: Session, username: str):  # type: ignore[no-untyped-def]
    account = repo.by_username(session, username_key(username))
    if account is None:
        raise NotFound(f"no account named {username.strip()!r} (tieline user list shows them)")
    return account


def list_users(session: Session) -> list[AccountInfo]:
    return [_info(a) for a in repo.all_accounts(session)]


def set_disabled(session: Session, *, username: str, disabled: bool, now: datetime) -> AccountInfo:
    """Disable an account (it cannot sign in, its sessions end, its tokens stop) or enable it again."""
    account = _account(session, username)
    account.disabled_at = now if disabled else None
    if disabled:
        repo.delete_sessions(session, owner_id=account.owner_id)
    session.flush()
    return _info(account)


def set_password(session: Session, *, username: str, password: str, now: datetime) -> AccountInfo:
    """Set a new password (an administrator's reset); the account is signed out everywhere."""
    account = _account(session, username)
    account.password_hash = hash_password(check_password(password))
    account.password_changed_at = now
    repo.delete_sessions(session, owner_id=account.owner_id)
    session.flush()
    return _info(account)


def change_password(
    session: Session, *, owner_id: int, current: str, new: str, now: datetime, keep_token: str | None
) -> None:
    """The signed-in person changes their own password; their other browsers are signed out.
    Every check comes before any change, so a refusal leaves the transaction clean."""
    account = repo.by_owner(session, owner_id)
    if account is None:
        raise NotFound("this tieline has no accounts; passwords are for server mode (tieline user add)")
    if not _verify(account.password_hash, current):
        raise InvalidInput("The current password is wrong; nothing was changed.")
    if new == current:
        raise InvalidInput("password: the new password is the same as the current one")
    account.password_hash = hash_password(check_password(new))
    account.password_changed_at = now
    repo.delete_sessions(
        session, owner_id=owner_id, except_hash=token_hash(keep_token) if keep_token else None
    )
    session.flush()


def delete_user(session: Session, *, username: str, now: datetime) -> AccountInfo:
    """Delete an account and every row its owner has. The local owner's row is made again, empty,
    so the CLI on this machine keeps working."""
    account = _account(session, username)
    info = _info(account)
    repo.delete_owner(session, info.owner_id)
    if info.owner_id == LOCAL_OWNER_ID:
        repo.ensure_owner(session, owner_id=LOCAL_OWNER_ID, name="me", now=now)
    return info


# --- signing in -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: a session token, or why not (already in words)."""

    owner_id: int | None = None
    token: str | None = None
    error: str | None = None
    status: int = 200


def _locked(rows, now: datetime) -> datetime | None:  # type: ignore[no-untyped-def]
    until = [r.locked_until for r in rows if r.locked_until is not None and r.locked_until > now]
    return max(until) if until else None


def _wait_words(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def sign_in(session: Session, *, username: str, password: str, address: str, now: datetime) -> SignIn:
    """Check a username and password. Never raises for a wrong one: the failure is counted in this
    transaction, which must be committed for the count to hold."""
    key = username_key(username)[:100]
    keys = [f"account:{key}", f"address:{address}"[:200]]
    counted = repo.failures(session, keys)  # read once: locked?, then counted on a wrong password
    if (until := _locked(counted, now)) is not None:
        return SignIn(error=f"Too many failed sign-ins; try again in {_wait_words(until, now)}.", status=429)
    account = repo.by_username(session, key) if key else None
    usable = account is not None and account.disabled_at is None
    ok = _verify(account.password_hash if usable else _dummy_hash(), password[:MAX_PASSWORD])
    if not (usable and ok):
        rows = {row.key: row for row in counted}
        for k, limit in zip(keys, (ACCOUNT_LIMIT, ADDRESS_LIMIT), strict=True):
            row = rows.get(k) or repo.add_failure(session, key=k, now=now)
            if row.window_start is None or now - row.window_start > WINDOW:
                row.failures, row.window_start = 0, now
            row.failures += 1
            if row.failures >= limit:
                row.locked_until = now + LOCKOUT
        session.flush()
        return SignIn(error=WRONG, status=401)
    assert account is not None
    repo.clear_failures(session, keys[:1])
    if _hasher().check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    repo.purge_sessions(session, idle_before=now - IDLE_LIFETIME, created_before=now - ABSOLUTE_LIFETIME)
    token = secrets.token_urlsafe(32)
    repo.add_session(session, owner_id=account.owner_id, token_hash=token_hash(token), now=now)
    return SignIn(owner_id=account.owner_id, token=token)


def sign_out(session: Session, *, token: str) -> None:
    repo.delete_session(session, token_hash=token_hash(token))


@dataclass(frozen=True)
class SignedIn:
    """Whose a login session is (their account's name too), and whether its last-seen time is due a write."""

    owner_id: int
    username: str
    session_id: int
    needs_touch: bool


def session_owner(session: Session, *, token: str, now: datetime) -> SignedIn | None:
    """The owner a session cookie's token signs in, or None (unknown, expired, account disabled)."""
    row = repo.session_by_token(session, token_hash(token))
    if row is None or now - row.last_seen_at > IDLE_LIFETIME or now - row.created_at > ABSOLUTE_LIFETIME:
        return None
    return SignedIn(row.owner_id, row.username, row.id, now - row.last_seen_at > TOUCH_EVERY)


def touch(session: Session, *, session_id: int, now: datetime) -> None:
    repo.touch_session(session, session_id=session_id, now=now)


def owner_of_username(session: Session, username: str) -> int:
    """The owner id of an account name (for commands run on the server on someone's behalf)."""
    return _account(session, username).owner_id
