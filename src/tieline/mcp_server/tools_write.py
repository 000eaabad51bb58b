"""The tools that write, offered only when the server was started with `--allow-writes`: log an
interaction, add a follow-up, record a favour, mark an agenda line done. Each runs the service the
matching CLI command runs, in one transaction of its own: a call that fails writes nothing."""

from __future__ import annotations

from typing import Any

from tieline.dates import parse_date, parse_when
from tieline.mcp_server.tools import (
    PERSON,
    Call,
    Tool,
    choice,
    flag,
    integer,
    required_text,
    schema,
    string,
    text,
    texts,
)
from tieline.models import FAVOUR_DIRECTIONS, FAVOUR_KINDS, INITIATORS, INTERACTION_KINDS
from tieline.serialise.agenda import agenda_item
from tieline.serialise.favours import favour_balance, named_favour
from tieline.serialise.followups import followup
from tieline.serialise.interactions import interaction
from tieline.services import agenda
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.agenda.actions import DoneOptions

WHEN = string("When: today (default), yesterday, 2026-03-01, '3 days ago', or an ISO 8601 time.")


def log_interaction(call: Call) -> dict[str, Any]:
    """Log an interaction with one or more people (as `tieline log --json`)."""
    kind = interactions_service.check_kind(required_text(call, "kind"))
    moment = parse_when(text(call, "date", default="today") or "today", now=call.now, field="date")
    found = [
        people_service.resolve_person(call.session, owner_id=call.owner_id, text=p)
        for p in texts(call, "people")
    ]
    unique = list({p.id: p for p in found}.values())  # "Bo" and "#2" may be one person
    item = interactions_service.log_interaction(
        call.session, owner_id=call.owner_id, kind=kind, people=unique, when=moment,
        notes=text(call, "note"), initiated_by=choice(call, "initiated_by", INITIATORS),
        subject=text(call, "subject"),
    )  # fmt: skip
    return dict(interaction(item, [p.display_name for p in unique]))


def add_follow_up(call: Call) -> dict[str, Any]:
    """Record a follow-up or a promise about a person (as `tieline follow-up --json`)."""
    due_on = parse_date(text(call, "due", default="today") or "today", today=call.today, field="due")
    person = people_service.resolve_person(
        call.session, owner_id=call.owner_id, text=required_text(call, "person")
    )
    item = followups_service.add_followup(
        call.session, owner_id=call.owner_id, person=person, text=required_text(call, "text"), due_on=due_on,
        every_days=integer(call, "every_days", default=None), is_promise=flag(call, "promise"),
    )  # fmt: skip
    return dict(followup(item, person.display_name))


def record_favour(call: Call) -> dict[str, Any]:
    """Log help given to or received from a person (as `tieline gave` / `tieline received`)."""
    direction = choice(call, "direction", FAVOUR_DIRECTIONS)
    assert direction is not None  # required by the schema, checked before the call
    kind = favours_service.check_kind(required_text(call, "kind"))
    moment = parse_when(text(call, "date", default="today") or "today", now=call.now, field="date")
    person = people_service.resolve_person(
        call.session, owner_id=call.owner_id, text=required_text(call, "person")
    )
    item = favours_service.record_favour(
        call.session, owner_id=call.owner_id, person=person, direction=direction, kind=kind, when=moment,
        now=call.now, text=text(call, "text"),
    )  # fmt: skip
    balance = favours_service.balance_of(call.session, owner_id=call.owner_id, person=person)
    return {**named_favour(item, person.display_name), "balance": favour_balance(balance)}


def mark_done(call: Call) -> dict[str, Any]:
    """Mark an agenda line done (as `tieline done`): a contact line also logs the contact."""
    options = DoneOptions(
        log_kind=interactions_service.check_kind(text(call, "kind", default="message") or "message"),
        note=text(call, "note"),
    )
    item = agenda.done(
        call.session, owner_id=call.owner_id, ref=required_text(call, "line"), now=call.now, options=options
    )
    return {"done": agenda_item(item)}


LOG = Tool(
    name="log_interaction",
    description=(
        "Write: log an interaction (a meeting, coffee, call, message...) with one or more people, with "
        "what was said in `note`. It counts in each person's tie strength and closes a reply owed."
    ),
    input_schema=schema(
        {
            "kind": string("How you met or talked.", enum=list(INTERACTION_KINDS)),
            "people": {
                "type": "array",
                "items": PERSON,
                "minItems": 1,
                "description": "Who took part: names or #ids.",
            },
            "date": WHEN,
            "note": string("What was said or agreed: searchable later, shown in the person's brief."),
            "subject": string("A title for the interaction."),
            "initiated_by": string("Who reached out.", enum=list(INITIATORS)),
        },
        required=("kind", "people"),
    ),
    answer=log_interaction,
    writes=True,
)

FOLLOW_UP = Tool(
    name="add_follow_up",
    description=(
        "Write: record something to do for or about a person by a date (or, with promise true, a "
        "promise you made them); it appears on the agenda when due."
    ),
    input_schema=schema(
        {
            "person": PERSON,
            "text": string("What to do, e.g. 'send her the article'."),
            "due": string("When it is due: today (default), tomorrow, 2026-03-01, 'in 2 weeks'."),
            "every_days": {
                "type": "integer",
                "minimum": 1,
                "description": "Repeat every this many days (marking it done moves it forward).",
            },
            "promise": {"type": "boolean", "default": False, "description": "A promise you made to them."},
        },
        required=("person", "text"),
    ),
    answer=add_follow_up,
    writes=True,
)

FAVOUR = Tool(
    name="record_favour",
    description=(
        "Write: log help given to a person or received from them (an introduction, advice, a "
        "referral...). Help received leaves a thank-you owed on the agenda. Answers with the favour "
        "and the balance with that person."
    ),
    input_schema=schema(
        {
            "person": PERSON,
            "direction": string(
                "given: you helped them; received: they helped you.", enum=list(FAVOUR_DIRECTIONS)
            ),
            "kind": string("What kind of help.", enum=list(FAVOUR_KINDS)),
            "text": string("What it was, e.g. 'intro to Bo at Acme'."),
            "date": WHEN,
        },
        required=("person", "direction", "kind"),
    ),
    answer=record_favour,
    writes=True,
)

DONE = Tool(
    name="mark_done",
    description=(
        "Write: mark an agenda line done. A contact line also logs the contact (as `kind`, with "
        "`note`); a follow-up line closes the follow-up (a repeating one moves to its next date)."
    ),
    input_schema=schema(
        {
            "line": string(
                "The line's `key` from todays_agenda (or a line number of the user's last `tieline today`)."
            ),
            "kind": string(
                "For a contact line: how you got in touch (default message).", enum=list(INTERACTION_KINDS)
            ),
            "note": string("A note for the interaction a contact line logs."),
        },
        required=("line",),
    ),
    answer=mark_done,
    writes=True,
)

WRITE_TOOLS: list[Tool] = [LOG, FOLLOW_UP, FAVOUR, DONE]
