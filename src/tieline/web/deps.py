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
from tieline.models import LOCAL_OWNER_ID

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class WebState:
    """What the app was built with (stored on app.state.tieline by create_app)."""

    settings: Settings
    database: Database
    clock: object  # a callable returning an aware datetime

    def now(self) -> datetime:
        """The current time (a fixed one under test)."""
        return self.clock()  # type: ignore[operator]


# The small dependencies below are `async def` on purpose: they never block, and a plain `def` would
# cost each request a round trip through the thread pool (several, one per dependency), which under
# load means waiting for the GIL and a free worker thread before the route even starts.


async def web_state(request: Request) -> WebState:
    """The app's state."""
    return request.app.state.tieline


def session(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Iterator[Session]:
    """A session in one transaction: committed when the route succeeds, rolled back otherwise.

    A plain generator, so FastAPI runs it in the thread pool: the commit can wait on the database.
    Used with scope="function" (`SessionDep`): the commit runs once the route has returned and
    before its response is sent, so a client told "saved" can read what it saved, and a commit that
    fails (another writer's lock held too long: `Busy`, 503) answers with that error instead.
    A request that may write (any method but GET, HEAD, OPTIONS) takes the write lock at its start.
    """
    with state.database.transaction(writes=request.method not in READ_ONLY_METHODS) as s:
        yield s


async def owner_id() -> int:
    """The owner whose data a request sees; local mode has one (server mode will read the login)."""
    return LOCAL_OWNER_ID


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
