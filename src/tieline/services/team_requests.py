"""Asking a teammate for an introduction (issue 19), and the audit of what was asked of your shares.

A member asks for an introduction to someone a teammate shares (`ask`): only to an entry `who` could
show them (a teammate's shared entry, in a team both are in), one open request per asker and person.
The request sits on the holder's agenda (services/agenda/team_requests.py) with the why and who asks.
The holder accepts (`accept`): in the holder's data, an introduction in state proposed (their
double opt-in flow, services/introductions.py) of their person (A, asked first) and the asker (B),
found among the holder's people by the asker's username folded as a name, else added to the
holder's network under that username. Or declines (`decline`), with no reason asked. When the holder
marks that introduction made (`tieline intro made`), `introduction_made` writes in the asker's data
an email with the person introduced (the asker's own person found by the keyed hashes of the
holder's person's emails and LinkedIn URL, else by folded name, else added under the shared name and
organisation): so the introduction is in both members' histories. The asker follows their requests
(`asked`): the state, and once accepted, where the introduction stands; or withdraws one not answered
yet (`withdraw`).

What the asker's list shows of the teammate follows the rule of `who`: the person's name and
organisation only while the holder shares that person with the team, the holder's username only
while the holder is in it. Once un-shared (or the holder gone) the request says NO_LONGER_SHARED
(and FORMER_TEAMMATE); the asker's own words (why) stay. An introduction made is in the asker's own
history (`introduction_made`), which is theirs to keep. A request lapses when either member leaves
the team: the asker's unanswered ones are withdrawn (services/teams.py), and none of them is on the
holder's agenda or theirs to answer any longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import Introduction, IntroRequest, Person
from tieline.models.base import MAX_ID
from tieline.repo import accounts as accounts_repo
from tieline.repo import introductions as introductions_repo
from tieline.repo import teams as repo
from tieline.services import interactions as interactions_service
from tieline.services import introductions as introductions_service
from tieline.services import people as people_service
from tieline.services.identity import name_key
from tieline.services.people import PersonChanges
from tieline.services.team_shares import keys_of, require_member

MAX_WHY = 2000
NO_LONGER_SHARED = "someone no longer shared"
FORMER_TEAMMATE = "a former teammate"


@dataclass(frozen=True)
class Request:
    id: int
    team_id: int
    team: str
    holder: str
    asker: str
    person: str  # the shared person's name when asked
    organisation: str | None
    why: str
    state: str  # asked, accepted, declined, withdrawn
    created_at: datetime
    answered_at: datetime | None
    introduction: str | None  # once accepted, the introduction's state in the holder's flow
    made_at: datetime | None


@dataclass(frozen=True)
class Asked:
    """One thing asked of a member's shares, as the audit shows it."""

    asker: str
    what: str
    query: str
    matched: int
    at: datetime


def _of(row: repo.RequestRow, *, for_asker: bool = False) -> Request:
    """A request as its holder sees it, or (`for_asker`) as its asker may (module docstring)."""
    holder, person, organisation = row.holder, row.person_name, row.organisation
    if for_asker and not row.holder_in_team:
        holder = FORMER_TEAMMATE
    if for_asker and not row.still_shared:
        person, organisation = NO_LONGER_SHARED, None
    return Request(
        row.id, row.team_id, row.team, holder, row.asker, person, organisation, row.why, row.state,
        row.created_at, row.answered_at,
        introductions_service.STATE_NAMES.get(row.introduction_state or "", None), row.made_at,
    )  # fmt: skip


def ask(session: Session, *, team_id: int, asker: int, share_id: int, why: str, now: datetime) -> Request:
    """Ask the teammate sharing entry `share_id` (as `tieline team who` shows it) for an introduction."""
    require_member(session, team_id=team_id, owner_id=asker)
    reason = " ".join((why or "").split())
    if not reason:
        raise InvalidInput("say why you would like to meet them: --why TEXT")
    if len(reason) > MAX_WHY:
        raise InvalidInput(f"--why: at most {MAX_WHY} characters")
    seen = None
    if 0 < share_id <= MAX_ID:
        seen = repo.share_seen_by(session, team_id=team_id, asker_id=asker, share_id=share_id)
    if seen is None:
        raise NotFound(
            f"no teammate's entry #{share_id} in this team (entries are numbered anew when a teammate's "
            "data changes: tieline team who again)"
        )
    existing = repo.open_request(session, asker_id=asker, owner_id=seen.owner_id, person_id=seen.person_id)
    if existing is not None:
        raise InvalidInput(f"you already asked for this introduction (request #{existing}), not answered yet")
    request = IntroRequest(
        team_id=team_id, asker_id=asker, owner_id=seen.owner_id, share_id=seen.id, person_id=seen.person_id,
        person_name=seen.name, organisation=seen.organisation, why=reason, state="asked", created_at=now,
    )  # fmt: skip
    session.add(request)
    session.flush()
    repo.add_audit(
        session,
        [
            {"team_id": team_id, "owner_id": seen.owner_id, "asker_id": asker, "what": "intro_request",
             "query": seen.name, "matched": 1, "at": now}
        ],
    )  # fmt: skip
    return _mine(session, asker=asker, request_id=request.id)


def asked(session: Session, *, team_id: int, asker: int) -> list[Request]:
    """The asker's requests in the team, newest first."""
    require_member(session, team_id=team_id, owner_id=asker)
    return [_of(r, for_asker=True) for r in repo.requests_asked(session, team_id=team_id, asker_id=asker)]


def waiting(session: Session, *, holder: int, team_id: int | None = None) -> list[Request]:
    """Requests made of the holder, not answered yet (their agenda's lines), of one team if given."""
    if team_id is not None:
        require_member(session, team_id=team_id, owner_id=holder)
    return [_of(r) for r in repo.requests_waiting(session, owner_id=holder, team_id=team_id)]


def held(session: Session, *, holder: int, request_id: int) -> Request:
    """One request made of the holder, in any state (after answering it, to show where it stands)."""
    row = (
        repo.request_row(session, request_id=request_id, holder_id=holder)
        if 0 < request_id <= MAX_ID
        else None
    )
    if row is None:
        raise NotFound(f"no introduction request #{request_id} made of you")
    return _of(row)


def withdraw(session: Session, *, asker: int, request_id: int, now: datetime) -> Request:
    """Take back a request not answered yet: it leaves the holder's agenda."""
    found = None
    if 0 < request_id <= MAX_ID:
        found = repo.request_of_asker(session, asker_id=asker, request_id=request_id)
    if found is None:
        raise NotFound(f"no introduction request #{request_id} of yours")
    if found.state != "asked":
        raise InvalidInput(f"request #{request_id} is already {found.state}")
    found.state, found.answered_at = "withdrawn", now
    session.flush()
    return _mine(session, asker=asker, request_id=request_id)


def _mine(session: Session, *, asker: int, request_id: int) -> Request:
    """One of the asker's requests, as the asker may see it."""
    row = repo.request_row(session, request_id=request_id, asker_id=asker)
    assert row is not None  # just written by this asker
    return _of(row, for_asker=True)


def audit(session: Session, *, team_id: int, owner_id: int) -> list[Asked]:
    """What was asked of the member's own shares in the team, newest first; never of others'."""
    require_member(session, team_id=team_id, owner_id=owner_id)
    return [Asked(*r) for r in repo.audit_of(session, team_id=team_id, owner_id=owner_id)]


def _open_request(session: Session, *, holder: int, request_id: int) -> IntroRequest:
    found = None
    if 0 < request_id <= MAX_ID:
        found = repo.request_for_holder(session, owner_id=holder, request_id=request_id)
    if found is None or any(
        repo.role_of(session, team_id=found.team_id, owner_id=member) is None
        for member in (holder, found.asker_id)
    ):  # a request lapses when either member leaves the team
        raise NotFound(f"no introduction request #{request_id} made of you")
    if found.state != "asked":
        raise InvalidInput(f"request #{request_id} is already {found.state}")
    return found


def _find_or_add(
    session: Session, *, owner_id: int, name: str, now: datetime, company: str | None = None
) -> Person:
    """The owner's live person whose name folds as `name` does, else one added under it."""
    today = now.date()
    key = name_key(name)
    for p in repo.live_people(session, owner_id=owner_id):
        if name_key(p.display_name) == key:
            return people_service.get_person(session, owner_id=owner_id, person_id=p.id, details=False)
    values = {"company": company} if company else {}
    made = people_service.add_person(
        session, owner_id=owner_id, name=name, changes=PersonChanges(set=values, add={}), today=today, now=now
    )
    session.flush()
    return made


def accept(session: Session, *, holder: int, request_id: int, now: datetime) -> Introduction:
    """Accept: the introduction, proposed, in the holder's double opt-in flow (module docstring); or,
    when one of the two is already under way there, that one."""
    request = _open_request(session, holder=holder, request_id=request_id)
    if request.person_id is None:
        raise InvalidInput(f"{request.person_name} is no longer among your people; decline it instead")
    account = accounts_repo.by_owner(session, request.asker_id)
    assert account is not None  # the request cascades from the asker's owner row
    known = people_service.get_person(session, owner_id=holder, person_id=request.person_id, details=False)
    asker = _find_or_add(session, owner_id=holder, name=account.username, now=now)
    team = repo.team(session, request.team_id)
    assert team is not None
    # Asked again while an introduction of the two is under way: the request joins that one.
    intro = introductions_repo.open_between(session, owner_id=holder, a_id=known.id, b_id=asker.id)
    if intro is None:
        intro = introductions_service.propose(
            session, owner_id=holder, a=known, b=asker, now=now,
            why=f"{account.username} asked through team {team.name}: {request.why}",
        )  # fmt: skip
    request.state, request.answered_at, request.introduction_id = "accepted", now, intro.id
    session.flush()
    return intro


def decline(session: Session, *, holder: int, request_id: int, now: datetime) -> None:
    """Decline, no reason asked: the asker sees only that it was declined."""
    request = _open_request(session, holder=holder, request_id=request_id)
    request.state, request.answered_at = "declined", now
    session.flush()


def introduction_made(session: Session, *, holder: int, intro: Introduction, now: datetime) -> None:
    """The holder made an introduction: if a teammate asked for it, it goes into the asker's history."""
    request = repo.request_of_introduction(session, owner_id=holder, introduction_id=intro.id)
    if request is None:
        return
    team = repo.team(session, request.team_id)
    account = accounts_repo.by_owner(session, holder)
    assert team is not None and account is not None
    person = _asker_person(session, request=request, hash_key=team.hash_key, now=now)
    interactions_service.log_interaction(
        session, owner_id=request.asker_id, kind="email", people=[person], when=now, notes=request.why,
        subject=f"Introduction to {request.person_name} by {account.username} (team {team.name})", now=now,
    )  # fmt: skip


def _asker_person(session: Session, *, request: IntroRequest, hash_key: str, now: datetime) -> Person:
    """The asker's own person for the one introduced: by keyed hash, else by folded name, else new."""
    if request.person_id is not None:
        theirs = {
            h
            for a in repo.person_addresses(session, owner_id=request.owner_id, person_id=request.person_id)
            if (h := keys_of(hash_key, a.kind, a.value)) is not None
        }
        everyone = [repo.RuleRow("all", "")]
        for a in repo.addresses(session, owner_id=request.asker_id, chosen=everyone):
            if keys_of(hash_key, a.kind, a.value) in theirs:
                return people_service.get_person(
                    session, owner_id=request.asker_id, person_id=a.person_id, details=False
                )
    return _find_or_add(
        session, owner_id=request.asker_id, name=request.person_name, now=now,
        company=request.organisation,
    )  # fmt: skip
