"""Message drafts for agenda lines: a subject, a body and a mailto: link. Drafts never send anything.

Each agenda item names its draft template (`AgendaItem.draft`): check_in, thank_you, congratulations,
follow_up, reply, reconnect or give_first. Templates are Jinja2 plain text in `tieline/templates/drafts/`
(`<name>.txt.j2`); a file of the same name in `<data_dir>/templates/drafts/` replaces the package's.

Template format: the first non-blank line is `Subject: ...`; everything after it is the body
(leading blank lines dropped). A template without a Subject line gives an empty subject.

What a template can use (missing values render as nothing):

- `first_name`, `full_name`, `my_name` (setting me.name), `today`
- `title`, `company`, `role` ("title at company"), `interests`, `expertise`, `needs`
- `shared_interests`: setting me.interests that they share (case- and accent-insensitive), their spelling
- `last`: the last interaction, or nothing: `kind` ("video call"), `date`, `date_text`, `month`,
  `ago` ("3 months"), `days_ago`, `subject`, `notes` (your private notes: quote them with care)
- `role_change`: a new job or promotion in the last year, or nothing: `kind`, `what` ("your new job"),
  `date`, `date_text`, `text`
- `item`: the agenda line: `key`, `kind`, `title`, `reasons`, `ref_id`, `due_on`
- `favour` (thanks): `kind`, `what` ("the introduction"), `text`, `date`, `date_text`
- `follow_up` (follow_up): `text`, `due_on`, `is_promise`, and for one opened at an event `event`
  (`name`, `date_text`, `when`: "on Sunday", "yesterday")
- `message` (reply): the message owed a reply: `subject`, `reply_subject` ("Re: ..."), `kind`
  ("email", "message"), `date`, `date_text`, `when` ("on Friday")
- `occasion` (congratulate): "birthday", "work anniversary", or the milestone's kind ("new job"...)
- `milestone` (congratulate on a milestone): `kind`, `what` ("your promotion"), `text`, `date`, `date_text`
- `anniversary` (work anniversary): `years`, `years_text`, `organisation`, `role`, `since`
- `ask` (give_first): `text`
- `introduction` (intro_*): `id`, `why`, `state`, `nudge` (a reminder of a request not answered yet),
  `a` and `b` (each `first_name`, `full_name`, `role`, `interests`, `expertise`, `needs`),
  `shared_interests` (A's and B's), `a_offers_b` / `b_offers_a` (expertise meeting the other's needs),
  `asked_date_text`, `made_date_text`; intro_make and intro_outcome go to both A and B
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from tieline.dates import spoken_day
from tieline.errors import InvalidInput, NotFound
from tieline.models import Ask, Favour, FollowUp, Interaction, Introduction, Membership, Milestone, Person
from tieline.repo import agenda_people as agenda_people_repo
from tieline.repo import drafts as drafts_repo
from tieline.repo import interactions as interactions_repo
from tieline.repo import people as people_repo
from tieline.services.agenda.items import AgendaItem, first_name
from tieline.services.preferences import Preferences
from tieline.templating import environment, render
from tieline.text import fold

TEMPLATE_NAMES = ("check_in", "thank_you", "congratulations", "follow_up", "reply", "reconnect", "give_first",
                  "intro_ask_a", "intro_ask_b", "intro_make", "intro_outcome")  # fmt: skip
TEMPLATE_SUFFIX = ".txt.j2"
# A role change older than this is old news, not something to mention.
RECENT_ROLE_CHANGE_DAYS = 365
FAVOUR_WHAT = {
    "introduction": "the introduction",
    "advice": "your advice",
    "referral": "the referral",
    "recommendation": "the recommendation",
    "resource": "the resource you shared",
    "job_lead": "the job lead",
    "feedback": "your feedback",
    "help": "your help",
    "other": "your help",
}
_SUBJECT = re.compile(r"^subject:\s*(.*)$", re.IGNORECASE)
_ALREADY_REPLY = re.compile(r"^(re|aw|sv)\s*:", re.IGNORECASE)
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Draft:
    """A message ready to copy or open in a mail program; nothing is sent."""

    subject: str
    body: str
    to: list[str]
    mailto: str
    template: str

    def as_dict(self) -> dict[str, Any]:
        """The draft as plain data (for --json)."""
        return asdict(self)


def render_draft(
    session: Session,
    *,
    owner_id: int,
    item: AgendaItem,
    prefs: Preferences,
    data_dir: Path | None,
    now: datetime,
) -> Draft:
    """The draft message for an agenda line, from its template and what is known about the person."""
    if not item.draft:
        raise InvalidInput(f"{item.title!r} has no message to draft (a {item.kind.replace('_', ' ')} line)")
    person = _person(session, owner_id=owner_id, item=item)
    values = template_context(session, owner_id=owner_id, item=item, person=person, prefs=prefs, now=now)
    env = environment(subdir="drafts", data_dir=data_dir, autoescape=False)
    subject, body = split_subject(render(env, item.draft + TEMPLATE_SUFFIX, values))
    to = [e.address for e in person.emails] if person is not None else []
    to = values.get("recipients") or to
    return Draft(subject=subject, body=body, to=to, mailto=mailto(to, subject, body), template=item.draft)


def drafts_for(
    session: Session,
    *,
    owner_id: int,
    items: list[AgendaItem],
    prefs: Preferences,
    data_dir: Path | None,
    now: datetime,
) -> dict[str, Draft]:
    """Drafts of the items that have one, by item key (for `tieline today --drafts`)."""
    return {
        item.key: render_draft(session, owner_id=owner_id, item=item, prefs=prefs, data_dir=data_dir, now=now)
        for item in items
        if item.draft
    }


def _person(session: Session, *, owner_id: int, item: AgendaItem) -> Person | None:
    if item.person_id is None:
        return None
    person = people_repo.get(session, owner_id=owner_id, person_id=item.person_id)
    if person is None:
        raise NotFound(f"the person of agenda item {item.key} no longer exists")
    return person


def template_context(
    session: Session,
    *,
    owner_id: int,
    item: AgendaItem,
    person: Person | None,
    prefs: Preferences,
    now: datetime,
) -> dict[str, Any]:
    """Everything a draft template may use (listed in this module's docstring)."""
    today = now.astimezone().date()
    values: dict[str, Any] = {
        "my_name": str(prefs["me.name"] or ""),
        "today": today,
        "item": {
            "key": item.key,
            "kind": item.kind,
            "title": item.title,
            "reasons": list(item.reasons),
            "ref_id": item.ref_id,
            "due_on": item.due_on,
        },
        "first_name": "",
        "full_name": "",
        "title": None,
        "company": None,
        "role": "",
        "interests": [],
        "expertise": [],
        "needs": [],
        "shared_interests": [],
        "last": None,
        "role_change": None,
    }
    if person is not None:
        interests = person.topic_values("interest")
        values.update(
            first_name=first_name(person),
            full_name=person.display_name,
            title=person.title,
            company=person.company,
            role=" at ".join(x for x in (person.title, person.company) if x),
            interests=interests,
            expertise=person.topic_values("expertise"),
            needs=person.topic_values("need"),
            shared_interests=shared(list(prefs["me.interests"] or []), interests),
            last=_last_interaction(session, owner_id=owner_id, person_id=person.id, today=today),
            role_change=_role_change(session, owner_id=owner_id, person_id=person.id, today=today),
        )
    values.update(_referenced(session, owner_id=owner_id, item=item, today=today))
    return values


def shared(mine: list[str], theirs: list[str]) -> list[str]:
    """Their interests that are also mine, compared folded (case and accents ignored), in their order."""
    wanted = {fold(x) for x in mine if x and x.strip()}
    out: list[str] = []
    seen: set[str] = set()
    for value in theirs:
        key = fold(value)
        if key in wanted and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _last_interaction(
    session: Session, *, owner_id: int, person_id: int, today: date
) -> dict[str, Any] | None:
    entries = interactions_repo.timeline(session, owner_id=owner_id, person_id=person_id, limit=1)
    if not entries:
        return None
    interaction = entries[0].interaction
    day = interaction.occurred_at.astimezone().date()
    days = max(0, (today - day).days)
    return {
        "kind": interaction.kind.replace("_", " "),
        "date": day,
        "date_text": date_text(day),
        "month": day.strftime("%B"),
        "days_ago": days,
        "ago": ago_text(days),
        "subject": interaction.subject,
        "notes": interaction.notes,
        "with_others": entries[0].others,
    }


def _role_change(session: Session, *, owner_id: int, person_id: int, today: date) -> dict[str, Any] | None:
    since = today - timedelta(days=RECENT_ROLE_CHANGE_DAYS)
    milestone = drafts_repo.latest_role_change(session, owner_id=owner_id, person_id=person_id, since=since)
    if milestone is None:
        return None
    return {
        "kind": milestone.kind.replace("_", " "),
        "what": milestone_what(milestone.kind),
        "date": milestone.occurred_on,
        "date_text": date_text(milestone.occurred_on),
        "text": milestone.text,
    }


def _referenced(session: Session, *, owner_id: int, item: AgendaItem, today: date) -> dict[str, Any]:
    """The favour, follow-up, milestone or planned ask the agenda line points at, by its kind."""
    if item.kind == "congratulate":
        return _occasion(session, owner_id=owner_id, item=item, today=today)
    if item.ref_id is None:
        return {}
    if item.kind == "thanks":
        favour = drafts_repo.owned_row(session, Favour, owner_id=owner_id, row_id=item.ref_id)
        if favour is not None:
            day = favour.occurred_at.astimezone().date()
            return {
                "favour": {
                    "kind": favour.kind.replace("_", " "),
                    "what": FAVOUR_WHAT.get(favour.kind, "your help"),
                    "text": favour.text,
                    "date": day,
                    "date_text": date_text(day),
                }
            }
    elif item.kind == "follow_up":
        follow_up = drafts_repo.owned_row(session, FollowUp, owner_id=owner_id, row_id=item.ref_id)
        if follow_up is not None:
            met = agenda_people_repo.event_of_follow_up(session, owner_id=owner_id, follow_up_id=follow_up.id)
            met_on = met.met_at.astimezone().date() if met is not None else None
            return {
                "follow_up": {
                    "text": follow_up.text,
                    "due_on": follow_up.due_on,
                    "is_promise": bool(follow_up.is_promise),
                    "event": None
                    if met is None or met_on is None
                    else {
                        "name": met.event,
                        "date_text": date_text(met_on),
                        "when": spoken_day(met_on, today=today),
                    },
                }
            }
    elif item.kind == "reply":
        return _message(session, owner_id=owner_id, item=item, today=today)
    elif item.kind == "introduction":
        return _introduction(session, owner_id=owner_id, item=item)
    elif item.kind == "give_first":
        ask = drafts_repo.owned_row(session, Ask, owner_id=owner_id, row_id=item.ref_id)
        if ask is not None:
            return {"ask": {"text": ask.text}}
    return {}


def _message(session: Session, *, owner_id: int, item: AgendaItem, today: date) -> dict[str, Any]:
    """The message a reply is owed to, and the subject a reply to it carries."""
    message = drafts_repo.owned_row(session, Interaction, owner_id=owner_id, row_id=item.ref_id or 0)
    if message is None:
        return {}
    day = message.occurred_at.astimezone().date()
    subject = (message.subject or "").strip()
    return {
        "message": {
            "subject": subject,
            "reply_subject": subject if not subject or _ALREADY_REPLY.match(subject) else f"Re: {subject}",
            "kind": message.kind.replace("_", " "),
            "date": day,
            "date_text": date_text(day),
            "when": spoken_day(day, today=today),
        }
    }


def _introduction(session: Session, *, owner_id: int, item: AgendaItem) -> dict[str, Any]:
    """The two people of an introduction, what they share, and who the message goes to."""
    intro = drafts_repo.owned_row(session, Introduction, owner_id=owner_id, row_id=item.ref_id or 0)
    if intro is None:
        return {}
    a = people_repo.get(session, owner_id=owner_id, person_id=intro.person_a_id)
    b = people_repo.get(session, owner_id=owner_id, person_id=intro.person_b_id)
    if a is None or b is None:
        return {}
    asked = intro.asked_b_at if item.draft == "intro_ask_b" else intro.asked_a_at
    values: dict[str, Any] = {
        "introduction": {
            "id": intro.id,
            "why": intro.why,
            "state": intro.state,
            "nudge": (item.draft, intro.state) in (("intro_ask_a", "asked_a"), ("intro_ask_b", "asked_b")),
            "a": _party(a),
            "b": _party(b),
            "shared_interests": shared(a.topic_values("interest"), b.topic_values("interest")),
            "a_offers_b": shared(b.topic_values("need"), a.topic_values("expertise")),
            "b_offers_a": shared(a.topic_values("need"), b.topic_values("expertise")),
            "asked_date_text": date_text(asked.astimezone().date()) if asked else "",
            "made_date_text": date_text(intro.made_at.astimezone().date()) if intro.made_at else "",
        }
    }
    if item.draft in ("intro_make", "intro_outcome"):
        values["recipients"] = [e.address for e in (*a.emails, *b.emails)]
    return values


def _party(person: Person) -> dict[str, Any]:
    return {
        "first_name": first_name(person),
        "full_name": person.display_name,
        "role": " at ".join(x for x in (person.title, person.company) if x),
        "interests": person.topic_values("interest"),
        "expertise": person.topic_values("expertise"),
        "needs": person.topic_values("need"),
    }


def _occasion(session: Session, *, owner_id: int, item: AgendaItem, today: date) -> dict[str, Any]:
    """What a congratulation is for; the item key says which record its ref_id points at."""
    if item.key.startswith("congrats:birthday:"):
        return {"occasion": "birthday"}
    if item.key.startswith("congrats:anniversary:") and item.ref_id is not None:
        membership = drafts_repo.owned_row(session, Membership, owner_id=owner_id, row_id=item.ref_id)
        if membership is None:
            return {"occasion": "work anniversary"}
        on = item.due_on or today
        years = on.year - membership.start_date.year if membership.start_date else None
        return {
            "occasion": "work anniversary",
            "anniversary": {
                "years": years,
                "years_text": (f"{years} year" + ("" if years == 1 else "s")) if years else "",
                "organisation": membership.organisation.name,
                "role": membership.role,
                "since": membership.start_date,
            },
        }
    if item.ref_id is not None:
        milestone = drafts_repo.owned_row(session, Milestone, owner_id=owner_id, row_id=item.ref_id)
        if milestone is not None:
            return {
                "occasion": milestone.kind.replace("_", " "),
                "milestone": {
                    "kind": milestone.kind.replace("_", " "),
                    "what": milestone_what(milestone.kind),
                    "text": milestone.text,
                    "date": milestone.occurred_on,
                    "date_text": date_text(milestone.occurred_on),
                },
            }
    return {"occasion": None}


def split_subject(text: str) -> tuple[str, str]:
    """(subject, body) of rendered template text: a first `Subject:` line, then the body."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    subject = ""
    if lines and (m := _SUBJECT.match(lines[0].strip())):
        subject = m.group(1).strip()
        lines.pop(0)
    body = _BLANK_RUNS.sub("\n\n", "\n".join(line.rstrip() for line in lines).strip("\n"))
    return subject, (body + "\n" if body else "")


def mailto(to: list[str], subject: str, body: str) -> str:
    """A mailto: link (RFC 6068) that opens the draft in the user's mail program."""
    address = ",".join(quote(a, safe="@+") for a in to)
    query = []
    if subject:
        query.append("subject=" + quote(subject, safe=""))
    if body:
        query.append("body=" + quote(body.rstrip("\n").replace("\n", "\r\n"), safe=""))
    return f"mailto:{address}" + ("?" + "&".join(query) if query else "")


def milestone_what(kind: str) -> str:
    """How a message names a milestone: "your new job", "your news" for "other"."""
    return "your news" if kind == "other" else "your " + kind.replace("_", " ")


def date_text(day: date) -> str:
    """A date as people write it in a message: 3 February 2026."""
    return f"{day.day} {day:%B %Y}"


def ago_text(days: int) -> str:
    """A rough span of time: "5 days", "3 weeks", "4 months", "2 years"."""
    if days < 14:
        return f"{days} day" + ("" if days == 1 else "s")
    if days < 60:
        return f"{days // 7} weeks"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"
