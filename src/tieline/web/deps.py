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


def session(state: Annotated[WebState, Depends(web_state)]) -> Iterator[Session]:
    """A session in one transaction: committed when the request succeeds, rolled back otherwise.

    A plain generator, so FastAPI runs it in the thread pool: the commit can wait on the database.
    """
    with state.database.transaction() as s:
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


SessionDep = Annotated[Session, Depends(session)]
OwnerDep = Annotated[int, Depends(owner_id)]
NowDep = Annotated[datetime, Depends(now)]
TodayDep = Annotated[date, Depends(today)]
StateDep = Annotated[WebState, Depends(web_state)]
