"""Introductions, double opt-in: proposed -> asked A -> asked B -> made (or declined), then an outcome.

You ask A whether they would welcome the introduction, then (once A agrees) B, and only then
introduce them. A made introduction is a favour given to both, a "knows" link between them and an
email to both. Each step has a draft (templates intro_ask_a, intro_ask_b, intro_make, intro_outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import Introduction, Person
from tieline.models.base import MAX_ID
from tieline.repo import introductions as introductions_repo
from tieline.repo import said as said_repo
from tieline.services import favours as favours_service
from tieline.services import interactions as interactions_service
from tieline.services import knows as knows_service
from tieline.services import people as people_service
from tieline.services.agenda.items import AgendaItem

KIND = "introduction"
STATE_NAMES = {
    "proposed": "proposed",
    "asked_a": "asked A",
    "asked_b": "asked B",
    "made": "made",
    "declined": "declined",
}


@dataclass(frozen=True)
class Step:
    """What the owner does next for an introduction: the message (template) and to whom."""

    template: str
    to: str  # "a" or "b": the person the message greets
    hint: str


# The next message in each state; sending it and running the command moves the introduction on.
STEPS = {
    "proposed": Step(
        "intro_ask_a", "a", "ask {a} whether they would welcome it, then `tieline intro ask-a {id}`"
    ),
    "asked_a": Step("intro_ask_b", "b", "once {a} agrees, ask {b}, then `tieline intro ask-b {id}`"),
    "asked_b": Step("intro_make", "a", "once {b} agrees, introduce them, then `tieline intro made {id}`"),
    "made": Step("intro_outcome", "a", "ask how it went, then `tieline intro outcome {id} TEXT`"),
}


def get(session: Session, *, owner_id: int, introduction_id: int) -> Introduction:
    """An introduction by its number."""
    found = None
    if 0 < introduction_id <= MAX_ID:  # a larger number is no row's (and PostgreSQL refuses to look)
        found = introductions_repo.get(session, owner_id=owner_id, introduction_id=introduction_id)
    if found is None:
        raise NotFound(f"no introduction #{introduction_id}")
    return found


def people_of(session: Session, intro: Introduction) -> tuple[Person, Person]:
    """A and B."""
    a, b = session.get(Person, intro.person_a_id), session.get(Person, intro.person_b_id)
    assert a is not None and b is not None  # foreign keys cascade: an introduction dies with its people
    return a, b


def propose(
    session: Session, *, owner_id: int, a: Person, b: Person, why: str, now: datetime
) -> Introduction:
    """A new introduction of A to B, in state proposed (at `now`: the agenda counts days from it)."""
    if a.id == b.id:
        raise InvalidInput(f"cannot introduce {a.display_name} to themselves")
    reason = why.strip() if why else ""
    if not reason:
        raise InvalidInput("say why they should meet: --why TEXT")
    existing = introductions_repo.open_between(session, owner_id=owner_id, a_id=a.id, b_id=b.id)
    if existing is not None:
        raise InvalidInput(
            f"introduction #{existing.id} of {a.display_name} and {b.display_name} is already "
            f"{STATE_NAMES[existing.state]}"
        )
    intro = Introduction(
        owner_id=owner_id, person_a_id=a.id, person_b_id=b.id, why=reason, state="proposed", created_at=now
    )
    session.add(intro)
    session.flush()
    said_repo.refresh(session, owner_id=owner_id, item="introduction", ids=[intro.id])  # for search
    return intro


def next_step(intro: Introduction, a_name: str, b_name: str) -> str | None:
    """What to do next, in words, or None when there is nothing left to do."""
    if intro.state == "made" and intro.outcome:
        return None
    step = STEPS.get(intro.state)
    return step.hint.format(a=a_name, b=b_name, id=intro.id) if step else None


def _require(intro: Introduction, states: tuple[str, ...], action: str, a_name: str, b_name: str) -> None:
    if intro.state in states:
        return
    hint = next_step(intro, a_name, b_name)
    where = f"it is {STATE_NAMES[intro.state]}"
    action = action.format(id=intro.id)
    raise InvalidInput(f"cannot {action}: {where}" + (f" (next: {hint})" if hint else ""))


def ask_a(session: Session, intro: Introduction, *, now: datetime) -> Introduction:
    """You asked A whether they would welcome the introduction."""
    a, b = people_of(session, intro)
    _require(intro, ("proposed",), "mark introduction #{id} as asked A", a.display_name, b.display_name)
    intro.state, intro.asked_a_at = "asked_a", now
    session.flush()
    return intro


def ask_b(session: Session, intro: Introduction, *, now: datetime) -> Introduction:
    """A agreed, and you asked B."""
    a, b = people_of(session, intro)
    _require(intro, ("asked_a",), "mark introduction #{id} as asked B", a.display_name, b.display_name)
    intro.state, intro.asked_b_at = "asked_b", now
    session.flush()
    return intro


def make(session: Session, *, owner_id: int, intro: Introduction, now: datetime) -> Introduction:
    """Both agreed and you introduced them: a favour to each, a knows link, and the email to both."""
    a, b = people_of(session, intro)
    _require(intro, ("asked_b",), "mark introduction #{id} as made", a.display_name, b.display_name)
    intro.state, intro.made_at = "made", now
    for person, other in ((a, b), (b, a)):
        favours_service.record_favour(
            session, owner_id=owner_id, person=person, direction="given", kind="introduction", when=now,
            now=now, text=f"introduced to {other.display_name}",
        )  # fmt: skip
    knows_service.link(session, owner_id=owner_id, person=a, other=b, note=intro.why, source="introduction")
    interactions_service.log_interaction(
        session, owner_id=owner_id, kind="email", people=[a, b], when=now, notes=intro.why,
        initiated_by="me", subject=f"Introduction: {a.display_name} and {b.display_name}", now=now,
    )  # fmt: skip
    # Asked for by a teammate (issue 19): it goes into their history too. Imported here, as
    # team_requests proposes introductions through this module.
    from tieline.services import team_requests

    team_requests.introduction_made(session, holder=owner_id, intro=intro, now=now)
    session.flush()
    return intro


def decline(
    session: Session, *, owner_id: int, intro: Introduction, by: str | None, now: datetime
) -> Introduction:
    """A or B said no (`by` is "a", "b", or a name), or with no `by` you dropped it yourself."""
    a, b = people_of(session, intro)
    _require(
        intro, introductions_repo.OPEN_STATES, "decline introduction #{id}", a.display_name, b.display_name
    )
    who = _which(session, owner_id=owner_id, text=by, a=a, b=b) if by else None
    asked = {"a": ("asked_a", "asked_b"), "b": ("asked_b",)}
    if who is not None and intro.state not in asked[who]:
        name = (a if who == "a" else b).display_name
        raise InvalidInput(
            f"{name} has not been asked yet (introduction #{intro.id} is {STATE_NAMES[intro.state]})"
        )
    intro.state, intro.declined_at = "declined", now
    intro.declined_by = None if who is None else (a.id if who == "a" else b.id)
    session.flush()
    return intro


def _which(session: Session, *, owner_id: int, text: str, a: Person, b: Person) -> str:
    letter = text.strip().lower()
    if letter in ("a", "b"):
        return letter
    person = people_service.resolve_person(session, owner_id=owner_id, text=text)
    if person.id in (a.id, b.id):
        return "a" if person.id == a.id else "b"
    raise InvalidInput(
        f"--by: {person.display_name} is neither {a.display_name} (A) nor {b.display_name} (B)"
    )


def record_outcome(session: Session, intro: Introduction, text: str, *, now: datetime) -> Introduction:
    """What came of a made introduction ("they hired her"); a later outcome replaces an earlier one."""
    a, b = people_of(session, intro)
    _require(intro, ("made",), "log an outcome for introduction #{id}", a.display_name, b.display_name)
    if not text or not text.strip():
        raise InvalidInput("say what came of it, e.g. 'they hired her'")
    intro.outcome, intro.outcome_at = text.strip(), now
    session.flush()
    said_repo.refresh(session, owner_id=intro.owner_id, item="introduction", ids=[intro.id])
    return intro


def listing(
    session: Session, *, owner_id: int, open_only: bool = False
) -> list[tuple[Introduction, str, str]]:
    """(introduction, A's name, B's name), newest first; `open_only` leaves out made and declined ones."""
    return introductions_repo.listing(session, owner_id=owner_id, open_only=open_only)


def names_of(session: Session, *, owner_id: int, intro: Introduction) -> tuple[str, str]:
    """A's and B's names."""
    a, b = people_of(session, intro)
    return a.display_name, b.display_name


def step_item(
    intro_id: int, state: str, *, a: tuple[int, str], b: tuple[int, str], key: str | None = None
) -> AgendaItem:
    """An agenda-shaped item for the introduction's next message, for drafts (and the agenda's lines)."""
    step = STEPS.get(state)
    if step is None:
        raise InvalidInput(f"introduction #{intro_id} is {STATE_NAMES[state]}: there is no message to draft")
    person_id, name = a if step.to == "a" else b
    return AgendaItem(
        key=key or f"intro:{intro_id}:{state}",
        kind=KIND,
        title=step.hint.format(a=a[1], b=b[1], id=intro_id),
        reasons=[],
        priority=0.0,
        person_id=person_id,
        person_name=name,
        ref_id=intro_id,
        draft=step.template,
    )
