"""/api/v1/favours: the favour ledger (list, log, read, delete), balances, and thank-yous."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from tieline.dates import parse_when
from tieline.models import FAVOUR_KINDS, Person
from tieline.serialise import favours as serialise
from tieline.serialise.favours import BalanceOut, NamedFavourOut
from tieline.serialise.interactions import InteractionOut, interaction
from tieline.services import favours as favours_service
from tieline.services import people as people_service
from tieline.services.interactions import check_kind as check_interaction_kind
from tieline.web.api.schemas import MAX_ID, ErrorOut, Page
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.params import IdPath

KINDS_TEXT = ", ".join(FAVOUR_KINDS)
router = APIRouter(tags=["favours"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


class FavourCreate(BaseModel):
    """Help given to or received from a person."""

    model_config = ConfigDict(extra="forbid")

    person_id: int = Field(ge=1, le=MAX_ID)
    direction: Literal["given", "received"]
    kind: str = Field(
        min_length=1, max_length=40, description=f"one of {KINDS_TEXT} (intro, lead, link... also read)"
    )
    text: str | None = Field(None, max_length=10000, description="what it was, e.g. 'intro to Bo at Acme'")
    when: str = Field(
        "today", max_length=100, description="today, yesterday, YYYY-MM-DD, '3 days ago' or an ISO time"
    )


class PersonBalanceOut(BalanceOut):
    """One person's balance (serialise's shape), with the ids of the help received still owed a
    thank-you."""

    thanks_owed: list[int]


class LedgerOut(BaseModel):
    """Everyone's balance, the most lopsided first, and whether you are overall a giver or a taker."""

    given: int
    received: int
    balance: int
    stance: Literal["giver", "taker", "even"]
    people: list[BalanceOut]


class ThankIn(BaseModel):
    """A thank-you: how it was sent, and what for (the note; by default built from the help owed)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field("message", min_length=1, max_length=40, description="an interaction kind")
    text: str | None = Field(None, max_length=10000)


class ThankOut(BaseModel):
    """The thanks owed that a thank-you closed, and the interaction it logged."""

    closed: list[NamedFavourOut]
    interaction: InteractionOut


def _person(session: Session, owner_id: int, person_id: int) -> Person:
    return people_service.get_person(session, owner_id=owner_id, person_id=person_id, details=False)


@router.get("/favours", response_model=Page[NamedFavourOut])
def list_favours(
    session: SessionDep,
    owner_id: OwnerDep,
    person: Annotated[int | None, Query(description="person id", ge=1, le=MAX_ID)] = None,
    direction: Annotated[str | None, Query(pattern="^(given|received)$")] = None,
    kind: Annotated[str | None, Query(max_length=40, description=f"one of {KINDS_TEXT}")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Favours given and received, newest first, a page at a time."""
    if person is not None:
        _person(session, owner_id, person)
    rows, total = favours_service.page(
        session,
        owner_id=owner_id,
        person_id=person,
        direction=direction,
        kind=kind,
        limit=limit,
        offset=offset,
    )
    return {
        "items": [serialise.named_favour(f, name) for f, name in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.post("/favours", response_model=NamedFavourOut, status_code=status.HTTP_201_CREATED)
def create_favour(
    body: FavourCreate, session: SessionDep, owner_id: OwnerDep, now: NowDep, response: Response
) -> dict[str, Any]:
    """Log help given or received (received help is owed a thank-you until one is logged)."""
    person = _person(session, owner_id, body.person_id)
    item = favours_service.record_favour(
        session,
        owner_id=owner_id,
        person=person,
        direction=body.direction,
        kind=body.kind,
        when=parse_when(body.when, now=now, field="when"),
        now=now,
        text=body.text,
    )
    response.headers["Location"] = f"/api/v1/favours/{item.id}"
    return serialise.named_favour(item, person.display_name)


# Declared before /favours/{favour_id} so that "ledger" is not read as an id.
@router.get("/favours/ledger", response_model=LedgerOut)
def read_ledger(session: SessionDep, owner_id: OwnerDep) -> dict[str, Any]:
    """Every balance, the most lopsided first, and your totals."""
    ledger = favours_service.ledger(session, owner_id=owner_id)
    return {
        "given": ledger.given,
        "received": ledger.received,
        "balance": ledger.balance,
        "stance": ledger.stance,
        "people": [serialise.favour_balance(b) for b in ledger.people],
    }


@router.get("/favours/{favour_id}", response_model=NamedFavourOut)
def read_favour(favour_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> dict[str, Any]:
    """One favour."""
    item = favours_service.get(session, owner_id=owner_id, favour_id=favour_id)
    return serialise.named_favour(item, _person(session, owner_id, item.person_id).display_name)


@router.delete("/favours/{favour_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_favour(favour_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> Response:
    """Delete a favour logged by mistake (the person's balance and tie strength follow)."""
    item = favours_service.get(session, owner_id=owner_id, favour_id=favour_id)
    favours_service.delete_favour(session, owner_id=owner_id, favour=item, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/people/{person_id}/favours/balance", response_model=PersonBalanceOut)
def read_balance(person_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> dict[str, Any]:
    """Favours exchanged with one person, and the help they gave that you have not thanked yet."""
    person = _person(session, owner_id, person_id)
    balance = favours_service.balance_of(session, owner_id=owner_id, person=person)
    owed = favours_service.thanks_owed(session, owner_id=owner_id, person=person)
    return {**serialise.favour_balance(balance), "thanks_owed": [f.id for f in owed]}


@router.post("/people/{person_id}/favours/thank", response_model=ThankOut)
def thank(
    person_id: IdPath, body: ThankIn, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> dict[str, Any]:
    """Log a thank-you: every thanks owed to the person is closed and the contact recorded."""
    person = _person(session, owner_id, person_id)
    result = favours_service.thank(
        session,
        owner_id=owner_id,
        person=person,
        now=now,
        text=body.text,
        kind=check_interaction_kind(body.kind),
    )
    return {
        "closed": [serialise.named_favour(f, person.display_name) for f in result.closed],
        "interaction": interaction(result.interaction, [person.display_name]),
    }
