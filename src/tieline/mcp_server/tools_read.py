"""The tools that only read: search, a person's brief, today's agenda, suggested introductions, the
warm path to someone and what two people have in common. Each answers with the shape the matching
CLI command prints under `--json`."""

from __future__ import annotations

from typing import Any

from tieline.analytics import common as common_mod
from tieline.analytics import intros as intros_mod
from tieline.dates import parse_date
from tieline.mcp_server.tools import (
    MAX_LIMIT,
    PERSON,
    Call,
    Tool,
    integer,
    limit_property,
    required_text,
    schema,
    string,
    text,
)
from tieline.serialise import network as network_out
from tieline.serialise.agenda import agenda as agenda_out
from tieline.serialise.brief import brief_json
from tieline.serialise.search import search_results
from tieline.services import agenda, team_paths
from tieline.services import brief as brief_service
from tieline.services import people as people_service
from tieline.services import search as search_service
from tieline.services.agenda.cache import cached_agenda


def search_people(call: Call) -> dict[str, Any]:
    """People matching the words, and where the words were said (as `tieline search --json`)."""
    limit = integer(call, "limit", default=20, high=MAX_LIMIT)
    results = search_service.search(
        call.session,
        owner_id=call.owner_id,
        query=required_text(call, "query"),
        limit=limit,
        said_limit=limit,
    )
    return dict(search_results(results))


def person_brief(call: Call) -> dict[str, Any]:
    """The brief on one person before meeting them (as `tieline brief --json`)."""
    person_id = people_service.resolve_person_id(
        call.session, owner_id=call.owner_id, text=required_text(call, "person")
    )
    brief = brief_service.brief_for(call.session, owner_id=call.owner_id, person_id=person_id, now=call.now)
    return dict(brief_json(brief))


def todays_agenda(call: Call) -> dict[str, Any]:
    """The agenda for a day (as `tieline today --json`, without changing what `tieline done 1` means)."""
    when = text(call, "date")
    day = parse_date(when, today=call.today, field="date") if when else call.today
    limit = integer(call, "limit", default=None, high=MAX_LIMIT)
    if limit is None:  # today's at the daily cap is read from the agenda cache when kept
        view = cached_agenda(call.session, owner_id=call.owner_id, day=day, now=call.now)
    else:
        view = agenda.agenda_for(
            call.session, owner_id=call.owner_id, day=day, now=call.now, limit=limit,
            remember=False,  # the user's own line numbers stay those of their last `tieline today`
        )  # fmt: skip
    return dict(agenda_out(view))


def suggest_introductions(call: Call) -> dict[str, Any]:
    """Pairs worth introducing (as `tieline suggest intros --json`), in an object."""
    found = intros_mod.suggest_intros(
        call.session, owner_id=call.owner_id, now=call.now, limit=integer(call, "limit", default=10)
    )
    return {"suggestions": [network_out.intro_suggestion(s) for s in found]}


def warm_path(call: Call) -> dict[str, Any]:
    """The strongest chain to a person or organisation and, in teams, a teammate's shared tie when
    stronger (as `tieline path --json`)."""
    found = team_paths.warm_path(
        call.session, owner_id=call.owner_id, text=required_text(call, "target"), now=call.now,
        team=text(call, "team"),
    )  # fmt: skip
    return dict(network_out.team_warm_path(found))


def common_ground(call: Call) -> dict[str, Any]:
    """What you share with a person, or two people share (as `tieline common --json`)."""
    resolve = people_service.resolve_person
    first = resolve(call.session, owner_id=call.owner_id, text=required_text(call, "person"))
    other = text(call, "other")
    second = resolve(call.session, owner_id=call.owner_id, text=other) if other else None
    a, b = (None, first) if second is None else (first, second)
    ground = common_mod.common_ground(
        call.session, owner_id=call.owner_id, a=a.id if a else None, b=b.id, now=call.now
    )
    return dict(network_out.common_ground(ground))


SEARCH = Tool(
    name="search_people",
    description=(
        "Search the user's network: people whose names, emails, companies, titles, tags, interests or "
        "notes match the words, and what was said (interactions' subjects and notes, events, "
        "introductions, opportunities) where the words appear, each with who was there. Best matches "
        "first. Use it to find who someone is, or who talked about a subject."
    ),
    input_schema=schema(
        {
            "query": string("Words to look for, e.g. 'kubernetes', 'Acme', 'ana lima'."),
            "limit": limit_property(20),
        },
        required=("query",),
    ),
    answer=search_people,
)

BRIEF = Tool(
    name="person_brief",
    description=(
        "The brief to read before meeting a person: who they are now and how the user met them, the "
        "tie (strength, trend, last contact), what they said lately (notes, newest first), what they "
        "care about and need and what the user could offer, promises both ways, recent milestones, "
        "common ground, and suggested openers, each citing where it came from."
    ),
    input_schema=schema({"person": PERSON}, required=("person",)),
    answer=person_brief,
)

AGENDA = Tool(
    name="todays_agenda",
    description=(
        "The user's agenda: whom to reach out to today and why, most important first (follow-ups "
        "due, promises, thanks owed, people drifting past their keep-in-touch rhythm, birthdays, "
        "congratulations, introductions to move on). Each line has a `key`, which mark_done takes. "
        "When nothing is due, `coming` lists the next days."
    ),
    input_schema=schema(
        {
            "date": string("The day to show: today (default), tomorrow, 2026-03-01, 'in 3 days'."),
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "description": "How many lines at most (default: the user's daily cap).",
            },
        }
    ),
    answer=todays_agenda,
)

INTRODUCTIONS = Tool(
    name="suggest_introductions",
    description=(
        "Introductions worth making between two people the user knows: one's needs meet the other's "
        "expertise, and they sit in different parts of the network. Best first, with the reasons."
    ),
    input_schema=schema({"limit": limit_property(10)}),
    answer=suggest_introductions,
)

PATH = Tool(
    name="warm_path",
    description=(
        "The strongest chain of people from the user to a person, or to anyone currently at an "
        "organisation: whom to ask for an introduction. Each step has its strength and the evidence "
        "that the two know each other. No chain: `steps` is empty. When the user is in teams, "
        "`team_routes` lists teammates whose shared tie to the target is stronger than the user's own "
        "route (`band`): ask them for an introduction."
    ),
    input_schema=schema(
        {
            "target": string("A person (name or #id) or an organisation (its name)."),
            "team": string("Ask this team's shared ties only (default: every team the user is in)."),
        },
        required=("target",),
    ),
    answer=warm_path,
)

COMMON = Tool(
    name="common_ground",
    description=(
        "What the user shares with a person (or, given `other`, what two people share): organisations, "
        "events, interests, contacts they both know (who knows whom in common), strongest first, with "
        "the evidence."
    ),
    input_schema=schema(
        {"person": PERSON, "other": {**PERSON, "description": "A second person: what the two share."}},
        required=("person",),
    ),
    answer=common_ground,
)

READ_TOOLS: list[Tool] = [SEARCH, BRIEF, AGENDA, INTRODUCTIONS, PATH, COMMON]
