"""Quick log: from any page, people (autocomplete), kind, date, note.

An idempotency key (the `idempotency_key` field or the Idempotency-Key header, made by static/pwa.js)
makes a send repeated after a lost answer, or queued on a phone while offline and sent later, log
once: the repeat answers as the first did. A queued entry also carries `typed_at`, when it was
typed, and its "when" is read as of then ("today" is the moment it was typed)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Header, Request
from fastapi.responses import HTMLResponse

from tieline.dates import parse_when
from tieline.errors import InvalidInput
from tieline.models import Interaction, Person
from tieline.services import idempotency
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.templating import templates

router = APIRouter()


@router.post("/log", response_class=HTMLResponse)
def quick_log(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    people: Annotated[str, Form(max_length=5000)],
    kind: Annotated[str, Form(max_length=40)] = "coffee",
    when: Annotated[str, Form(max_length=100)] = "today",
    note: Annotated[str, Form(max_length=100_000)] = "",
    typed_at: Annotated[str, Form(max_length=100)] = "",
    idempotency_key: Annotated[str | None, Form(max_length=1000)] = None,
    idempotency_key_header: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> HTMLResponse:
    """Log an interaction; answers with a confirmation line (HTMX) naming who and when."""
    key = idempotency.check_key(idempotency_key, idempotency_key_header)

    def log() -> tuple[Interaction, list[Person]]:
        names = [part.strip() for part in people.split(",") if part.strip()]
        if not names:
            raise InvalidInput("name at least one person")
        found = [people_service.resolve_person(session, owner_id=owner_id, text=name) for name in names]
        moment = parse_when(when, now=_typed_at(typed_at, now=now), field="when")
        item = interactions_service.log_interaction(
            session, owner_id=owner_id, kind=kind, people=found, when=moment, notes=note or None, now=now
        )
        return item, found

    done = idempotency.log_once(session, owner_id=owner_id, key=key, now=now, log=log)
    return templates.TemplateResponse(
        request, "ui/_logged.html", {"item": done.interaction, "people": done.people}
    )


def _typed_at(text: str, *, now: datetime) -> datetime:
    """When a queued entry was typed (an ISO time with its offset), never after now; now when none."""
    if not text.strip():
        return now
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"cannot read typed_at {text!r}: send an ISO time with its offset") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"typed_at {text!r} needs its offset (Z or +01:00)")
    return min(moment, now)
