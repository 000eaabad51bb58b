"""Server mode's sign-in (issue 17), in-process against the real app on both databases: who may see
what, sessions and their lifetimes, lockouts, tokens and their scopes, passwords, deleting an account."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW, Clock
from tests.web.conftest import WebClient
from tieline.config import Settings
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Base
from tieline.services import accounts, tokens
from tieline.services import demo as demo_service
from tieline.services import people as people_service
from tieline.web.app import create_app
from tieline.web.auth import COOKIE

PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(db: Database, web_settings: Settings, clock: Clock) -> Iterator[Callable[..., WebClient]]:
    """Clients of one app (each its own cookie jar) on this test's database, with accounts ana and
    ben (ana owns the local network: one person, Carla)."""
    with db.transaction(writes=True) as s:
        people_service.add_person(
            s, owner_id=LOCAL_OWNER_ID, name="Carla Diaz", today=FIXED_NOW.date(), now=FIXED_NOW
        )
        accounts.add_user(s, username="ana", password=PASSWORD, now=FIXED_NOW)
        accounts.add_user(s, username="Ben", password=PASSWORD + "2", now=FIXED_NOW)
    app = create_app(web_settings, database=db, now=clock)
    made: list[WebClient] = []

    def new(base_url: str = "http://127.0.0.1") -> WebClient:
        c = WebClient(app, base_url=base_url, follow_redirects=False)
        c.__enter__()
        made.append(c)
        return c

    yield new
    for c in made:
        c.__exit__(None, None, None)


def sign_in(c: WebClient, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    page = c.get("/login")
    assert page.status_code == 200
    return c.post(
        "/login",
        data={"username": username, "password": password, "next": "/people", **extra},
        headers={"X-CSRF-Token": c.cookies["tieline_csrf"]},
    )


def test_with_an_account_every_page_and_api_call_asks_for_sign_in(server) -> None:  # type: ignore[no-untyped-def]
    c = server()
    page = c.get("/people/1")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fpeople%2F1"
    assert c.get("/").headers["location"] == "/login"
    api = c.get("/api/v1/people")
    assert api.status_code == 401
    assert api.headers["www-authenticate"].startswith("Bearer")
    assert api.json()["error"]["code"] == "unauthorized"
    # A fragment fetched by HTMX sends the page it was fetched from to sign in, never the fragment itself.
    hx = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1:8000/people/1?tab=notes"}
    partial = c.get("/people/1/common", headers=hx)
    assert (
        partial.status_code == 401
        and partial.headers["hx-redirect"] == "/login?next=%2Fpeople%2F1%3Ftab%3Dnotes"
    )
    badge = c.get(
        "/discovered/badge", headers={"HX-Request": "true", "HX-Current-URL": "http://evil.example//x"}
    )
    assert badge.headers["hx-redirect"] == "/login"
    slanted = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1:8000/\\evil.example/x"}
    assert c.get("/discovered/badge", headers=slanted).headers["hx-redirect"] == "/login"
    assert "Carla" not in page.text + api.text + partial.text


def test_signing_in_opens_your_own_network_only(server, db: Database) -> None:  # type: ignore[no-untyped-def]
    ana, ben = server(), server()
    answer = sign_in(ana, "ana", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/people"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert "Carla Diaz" in ana.get("/people").text
    # The username is matched case-folded; Ben's network is his own, empty one.
    assert sign_in(ben, "ben", PASSWORD + "2").status_code == 303
    assert "Carla Diaz" not in ben.get("/people").text
    assert ben.get("/people/1").status_code == 404
    # Only the token's hash is stored.
    token = ana.cookies[COOKIE].rpartition(".")[0]
    with db.transaction() as s:
        stored = s.execute(sa.text("SELECT token_hash FROM login_session")).scalars().all()
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored


def test_over_https_the_session_cookie_is_secure(server) -> None:  # type: ignore[no-untyped-def]
    c = server("https://127.0.0.1")
    assert "Secure" in sign_in(c, "ana", PASSWORD).headers["set-cookie"]


@pytest.mark.parametrize("username", ["ana", "nobody"])
def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(server, username: str) -> None:  # type: ignore[no-untyped-def]
    c = server()
    answer = sign_in(c, username, "not the password")
    assert answer.status_code == 401
    assert "Wrong username or password." in answer.text
    assert COOKIE not in c.cookies
    assert c.get("/people").status_code == 303


def test_repeated_failures_lock_the_name_for_a_while(server, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    c = server()
    for _ in range(accounts.ACCOUNT_LIMIT):
        assert sign_in(c, "ana", "guess").status_code == 401
    locked = sign_in(c, "ana", PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-ins; try again in 15 minutes." in locked.text
    # A name that does not exist locks the same way: the answer tells no one which names exist.
    for _ in range(accounts.ACCOUNT_LIMIT):
        sign_in(c, "nobody", "guess")
    assert "Too many failed sign-ins" in sign_in(c, "nobody", "guess").text
    # Another name from the same address is not locked yet (the address allows more).
    assert sign_in(server(), "ben", PASSWORD + "2").status_code == 303
    clock.now += accounts.LOCKOUT + timedelta(seconds=1)
    assert sign_in(c, "ana", PASSWORD).status_code == 303


def test_many_failures_from_one_address_lock_the_address(server) -> None:  # type: ignore[no-untyped-def]
    c = server()
    for n in range(accounts.ADDRESS_LIMIT):
        sign_in(c, f"name{n}", "guess")
    assert sign_in(c, "ana", PASSWORD).status_code == 429


def test_signing_out_ends_the_session_for_good(server, db: Database) -> None:  # type: ignore[no-untyped-def]
    c = server()
    sign_in(c, "ana", PASSWORD)
    old_cookie = c.cookies[COOKIE]
    out = c.post("/logout", headers={"X-CSRF-Token": c.cookies["tieline_csrf"]})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert out.headers["clear-site-data"] == '"cache"'
    with db.transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM login_session")).scalar() == 0
    replay = server()
    replay.cookies.set(COOKIE, old_cookie)
    assert replay.get("/people").status_code == 303


def test_a_cookie_this_server_did_not_sign_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    c = server()
    sign_in(c, "ana", PASSWORD)
    token, _, signature = c.cookies[COOKIE].rpartition(".")
    forged = server()
    forged.cookies.set(COOKIE, f"{token}.{signature[:-2]}AA")
    assert forged.get("/people").status_code == 303


def test_sessions_end_after_idle_and_absolute_lifetimes(server, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    c = server()
    sign_in(c, "ana", PASSWORD)
    clock.now += accounts.IDLE_LIFETIME - timedelta(hours=1)
    assert c.get("/people").status_code == 200  # still inside; this view counts as activity
    clock.now += accounts.IDLE_LIFETIME - timedelta(hours=1)
    assert c.get("/people").status_code == 200
    clock.now += accounts.IDLE_LIFETIME + timedelta(minutes=1)
    assert c.get("/people").status_code == 303  # idle too long
    d = server()
    sign_in(d, "ana", PASSWORD)
    start = clock.now
    while clock.now - start < accounts.ABSOLUTE_LIFETIME - timedelta(days=1):
        clock.now += timedelta(days=1)
        assert d.get("/people").status_code == 200
    clock.now = start + accounts.ABSOLUTE_LIFETIME + timedelta(minutes=1)
    assert d.get("/people").status_code == 303  # used every day, but past its absolute lifetime


def test_tokens_open_the_api_by_scope_and_stop_when_revoked(server, db: Database, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    with db.transaction(writes=True) as s:
        read, read_secret = tokens.create(
            s, owner_id=LOCAL_OWNER_ID, name="reader", scope="read", now=FIXED_NOW
        )
        _, write_secret = tokens.create(
            s, owner_id=LOCAL_OWNER_ID, name="writer", scope="write", now=FIXED_NOW
        )
        stored = s.execute(sa.text("SELECT token_hash, prefix FROM api_token")).all()
    assert all(read_secret not in row for row in stored)
    c = server()
    as_reader = {"Authorization": f"Bearer {read_secret}"}
    listing = c.get("/api/v1/people", headers=as_reader)
    assert listing.status_code == 200 and "Carla Diaz" in listing.text
    refused = c.post("/api/v1/people", json={"name": "Dan Eze"}, headers=as_reader)
    assert refused.status_code == 403 and "only read" in refused.json()["error"]["message"]
    made = c.post(
        "/api/v1/people", json={"name": "Dan Eze"}, headers={"Authorization": f"Bearer {write_secret}"}
    )
    assert made.status_code == 201
    with db.transaction() as s:
        assert tokens.listing(s, owner_id=LOCAL_OWNER_ID)[0].last_used_at == FIXED_NOW
    # A token opens the API, not the pages; a wrong one opens nothing.
    assert c.get("/people", headers=as_reader).status_code == 303
    assert c.get("/api/v1/people", headers={"Authorization": "Bearer tl_wrong"}).status_code == 401
    with db.transaction(writes=True) as s:
        tokens.revoke(s, owner_id=LOCAL_OWNER_ID, which=str(read.id), now=FIXED_NOW)
    assert c.get("/api/v1/people", headers=as_reader).status_code == 401


def test_a_disabled_account_loses_its_sessions_and_tokens(server, db: Database) -> None:  # type: ignore[no-untyped-def]
    c = server()
    sign_in(c, "ana", PASSWORD)
    with db.transaction(writes=True) as s:
        _, secret = tokens.create(s, owner_id=LOCAL_OWNER_ID, name="t", scope="read", now=FIXED_NOW)
        accounts.set_disabled(s, username="ana", disabled=True, now=FIXED_NOW)
    assert c.get("/people").status_code == 303
    assert server().get("/api/v1/people", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert sign_in(server(), "ana", PASSWORD).status_code == 401
    with db.transaction(writes=True) as s:
        accounts.set_disabled(s, username="ana", disabled=False, now=FIXED_NOW)
    assert sign_in(server(), "ana", PASSWORD).status_code == 303


def test_changing_the_password_signs_out_the_other_browsers(server) -> None:  # type: ignore[no-untyped-def]
    here, there = server(), server()
    sign_in(here, "ana", PASSWORD)
    sign_in(there, "ana", PASSWORD)
    wrong = here.form("/account/password", {"current": "nope", "new": "a new long password"})
    assert wrong.status_code == 422 and "current password is wrong" in wrong.text
    assert there.get("/people").status_code == 200
    short = here.form("/account/password", {"current": PASSWORD, "new": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = here.form("/account/password", {"current": PASSWORD, "new": "a new long password"})
    assert done.status_code == 200 and "Password changed" in done.text
    assert here.get("/people").status_code == 200
    assert there.get("/people").status_code == 303
    assert sign_in(server(), "ana", PASSWORD).status_code == 401
    assert sign_in(server(), "ana", "a new long password").status_code == 303


def test_the_account_page_makes_a_token_shown_once(server) -> None:  # type: ignore[no-untyped-def]
    c = server()
    sign_in(c, "ana", PASSWORD)
    made = c.form("/account/tokens", {"name": "phone shortcut", "scope": "write"})
    assert made.status_code == 200
    secret = made.text.split('class="token-secret">')[1].split("<")[0]
    assert secret.startswith("tl_")
    page = c.get("/account").text
    assert "phone shortcut" in page and secret not in page and secret[:10] in page
    assert server().get("/api/v1/people", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def owned_tables() -> list[sa.Table]:
    return [t for t in Base.metadata.sorted_tables if "owner_id" in t.c]


def test_deleting_an_account_deletes_every_row_it_owns_and_nothing_else(db: Database) -> None:
    with db.transaction(writes=True) as s:
        accounts.add_user(s, username="ana", password=PASSWORD, now=FIXED_NOW)
        ben = accounts.add_user(s, username="ben", password=PASSWORD, now=FIXED_NOW)
        scale = demo_service.scale_named("small")
        demo_service.load(s, owner_id=LOCAL_OWNER_ID, scale=scale, seed=1, now=FIXED_NOW)
        demo_service.load(s, owner_id=ben.owner_id, scale=scale, seed=2, now=FIXED_NOW)
        tokens.create(s, owner_id=ben.owner_id, name="t", scope="read", now=FIXED_NOW)
        accounts.sign_in(s, username="ben", password=PASSWORD, address="127.0.0.1", now=FIXED_NOW)
    tables = owned_tables()
    with db.transaction() as s:
        from tieline.repo.accounts import owned_row_counts

        before_ben = owned_row_counts(s, owner_id=ben.owner_id, tables=tables)
        before_ana = owned_row_counts(s, owner_id=LOCAL_OWNER_ID, tables=tables)
    assert before_ben["person"] > 0 and before_ben["interaction"] > 0 and before_ben["login_session"] == 1
    with db.transaction(writes=True) as s:
        accounts.delete_user(s, username="ben", now=FIXED_NOW)
    with db.transaction() as s:
        after_ben = owned_row_counts(s, owner_id=ben.owner_id, tables=tables)
        after_ana = owned_row_counts(s, owner_id=LOCAL_OWNER_ID, tables=tables)
        owners = s.execute(sa.text("SELECT id FROM owner ORDER BY id")).scalars().all()
        people_left = s.execute(
            sa.text("SELECT count(*) FROM person WHERE owner_id = :o"), {"o": ben.owner_id}
        ).scalar()
    assert {t: n for t, n in after_ben.items() if n} == {}
    assert after_ana == before_ana
    assert owners == [LOCAL_OWNER_ID] and people_left == 0


@contextmanager
def reading_who(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], list[str]]]:
    """(the paths whose identity was resolved, the statements naming an account table), recorded
    while the block runs."""
    import tieline.web.deps as deps

    calls: list[str] = []
    statements: list[str] = []
    identify = deps.identify

    def counted(request, *args):  # type: ignore[no-untyped-def]
        calls.append(request.url.path)
        return identify(request, *args)

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        text = " ".join(statement.lower().split())
        if any(table in text for table in ("login_session", "from account", "join account", "api_token")):
            statements.append(text)

    monkeypatch.setattr(deps, "identify", counted)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield calls, statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def test_a_request_reads_who_it_is_once_and_in_one_query(server, db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every request resolves its identity once, even a route asking for the session, the owner and the
    identity; a signed-in browser's session is read with its account's name in one statement."""
    c = server()
    sign_in(c, "ana", PASSWORD)
    with db.transaction(writes=True) as s:
        _, secret = tokens.create(s, owner_id=LOCAL_OWNER_ID, name="t", scope="read", now=FIXED_NOW)
    as_token = {"Authorization": f"Bearer {secret}"}
    assert c.get("/api/v1/people", headers=as_token).status_code == 200  # its last use written: not again
    with reading_who(db, monkeypatch) as (calls, statements):
        page = c.get("/account")  # SessionDep and OwnerDep; the page names who is signed in
        assert page.status_code == 200 and "Signed in as <strong>ana</strong>" in page.text
        assert calls == ["/account"]
        assert len(statements) == 2 and "join account" in statements[0]  # then the page's token list
        assert "from api_token" in statements[1] and "account" not in statements[1]
        calls.clear(), statements.clear()
        made = c.form("/account/tokens", {"name": "phone", "scope": "read"})  # IdentityDep too, writing
        assert made.status_code == 200 and "Signed in as <strong>ana</strong>" in made.text
        assert calls == ["/account/tokens"]
        assert sum("login_session" in s for s in statements) == 1
        calls.clear(), statements.clear()
        assert c.get("/api/v1/people", headers=as_token).status_code == 200
        assert calls == ["/api/v1/people"] and len(statements) == 1 and "from api_token" in statements[0]


def test_in_local_mode_a_request_reads_who_it_is_in_one_query(client, db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with reading_who(db, monkeypatch) as (calls, statements):
        assert client.get("/people").status_code == 200
    assert calls == ["/people"]
    assert len(statements) == 1 and "from account" in statements[0]  # whether any account exists


@pytest.mark.parametrize("username", ["ana", "nobody", "ben"])
def test_a_sign_in_checks_one_argon2_hash_whether_the_name_exists_or_not(
    db: Database, monkeypatch: pytest.MonkeyPatch, username: str
) -> None:
    """The same work for a name that exists, one that does not and a disabled one: one Argon2id check,
    so the time taken tells nobody which names exist."""
    with db.transaction(writes=True) as s:
        accounts.add_user(s, username="ana", password=PASSWORD, now=FIXED_NOW)
        accounts.add_user(s, username="ben", password=PASSWORD, now=FIXED_NOW)
        accounts.set_disabled(s, username="ben", disabled=True, now=FIXED_NOW)
    checked: list[str] = []
    verify = accounts._verify

    def counted(stored: str, password: str) -> bool:
        checked.append(stored)
        return verify(stored, password)

    monkeypatch.setattr(accounts, "_verify", counted)
    with db.transaction(writes=True) as s:
        result = accounts.sign_in(s, username=username, password="wrong guess", address="a", now=FIXED_NOW)
    assert result.status == 401 and result.error == accounts.WRONG
    assert len(checked) == 1 and checked[0].startswith("$argon2id$")
