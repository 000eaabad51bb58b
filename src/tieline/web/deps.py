"""Request dependencies: one transaction per request, the owner, the clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tieline.config import Settings
from tieline.db import Database
from tieline.errors import Forbidden, Unauthorized
from tieline.web.auth import Identity, identify

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class WebState:
    """What the app was built with (stored on app.state.tieline by create_app)."""

    settings: Settings
    database: Database
    clock: object  # a callable returning an aware datetime
    secret: bytes = b""  # signs session cookies and CSRF tokens (<data dir>/web-secret)

    def now(self) -> datetime:
        """The current time (a fixed one under test)."""
        return self.clock()  # type: ignore[operator]


# The small dependencies below are `async def` on purpose: they never block, and a plain `def` would
# cost each request a round trip through the thread pool (several, one per dependency), which under
# load means waiting for the GIL and a free worker thread before the route even starts.


async def web_state(request: Request) -> WebState:
    """The app's state."""
    return request.app.state.tieline


def identity(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Identity:
    """Who the request is (`web/auth.py`: the local owner, a session cookie or an API token), read in a
    short transaction of its own before the route's: a route that runs its work in a thread (an
    import, a sync) holds no lock while it does, and a session's last-use time can be written
    without waiting on the route's write lock. Kept on `request.state` for the templates."""
    with state.database.transaction() as s:
        who = identify(request, s, state.database, state.secret, state.now())
    request.state.identity = who
    request.state.username = who.username
    return who


IdentityDep = Annotated[Identity, Depends(identity)]


def session(
    request: Request, state: Annotated[WebState, Depends(web_state)], _: IdentityDep
) -> Iterator[Session]:
    """A session in one transaction: committed when the route succeeds, rolled back otherwise.

    A plain generator, so FastAPI runs it in the thread pool: the commit can wait on the database.
    Used with scope="function" (`SessionDep`): the commit runs once the route has returned and
    before its response is sent, so a client told "saved" can read what it saved, and a commit that
    fails (another writer's lock held too long: `Busy`, 503) answers with that error instead.
    A request that may write (any method but GET, HEAD, OPTIONS) takes the write lock at its start,
    after its identity was read (`identity`).
    """
    with state.database.transaction(writes=request.method not in READ_ONLY_METHODS) as s:
        yield s


async def owner_id(request: Request, who: Annotated[Identity, Depends(identity)]) -> int:
    """The owner whose data a request sees: the local owner, or the signed-in account's. Raises
    Unauthorized (the app answers 401, or sends a page to /login) when nobody is signed in, and
    Forbidden when a read-only token asks to change something."""
    if who.owner_id is None:
        if request.url.path.startswith("/api/"):
            raise Unauthorized("sign in first: send 'Authorization: Bearer TOKEN' (tieline token create)")
        raise Unauthorized("sign in first")
    if who.scope != "write" and request.method not in READ_ONLY_METHODS:
        raise Forbidden("this token may only read; make one with --scope write to change things")
    return who.owner_id


async def now(state: Annotated[WebState, Depends(web_state)]) -> datetime:
    """The current time."""
    return state.now()


async def today(moment: Annotated[datetime, Depends(now)]) -> date:
    """Today's date in the server's local time zone."""
    return moment.astimezone().date()


SessionDep = Annotated[Session, Depends(session, scope="function")]
OwnerDep = Annotated[int, Depends(owner_id)]
NowDep = Annotated[datetime, Depends(now)]
TodayDep = Annotated[date, Depends(today)]
StateDep = Annotated[WebState, Depends(web_state)]
