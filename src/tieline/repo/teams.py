"""Teams (issue 19): teams, members, invitations, share rules, the shared entries, introduction
requests and the audit of asking.

Every query of `team_share` names its team and checks, in the same statement, that the account
asking is a member of it (`_is_member`): a caller that forgot to check membership still reads
nothing of a team it is not in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Account,
    AgendaCache,
    Introduction,
    IntroRequest,
    Person,
    PersonEmail,
    PersonLink,
    PersonTag,
    Team,
    TeamAudit,
    TeamInvite,
    TeamMember,
    TeamShare,
    TeamShareKey,
    TeamShareRule,
    Tie,
)
from tieline.repo import bulk
from tieline.repo.agenda import PERSON_TIE_COLUMNS

_team = Team.__table__
_member = TeamMember.__table__
_rule = TeamShareRule.__table__
_share = TeamShare.__table__
_key = TeamShareKey.__table__
_account = Account.__table__
_cache = AgendaCache.__table__


def _is_member(team_id: int, owner_id: int) -> sa.Exists:
    return sa.exists().where(_member.c.team_id == team_id, _member.c.owner_id == owner_id)


# --- teams and members -------------------------------------------------------------------------------


class TeamRow(NamedTuple):
    id: int
    name: str
    role: str
    members: int


class MemberRow(NamedTuple):
    owner_id: int
    username: str
    role: str
    joined_at: datetime


def add_team(session: Session, *, name: str, hash_key: str, now: datetime) -> Team:
    team = Team(name=name, hash_key=hash_key, created_at=now)
    session.add(team)
    session.flush()
    return team


def team(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def delete_team(session: Session, team_id: int) -> None:
    """Delete a team; its members, invitations, rules and shares go with it (ON DELETE CASCADE)."""
    session.execute(sa.delete(_team).where(_team.c.id == team_id))


def add_member(session: Session, *, team_id: int, owner_id: int, role: str, now: datetime) -> None:
    session.execute(sa.insert(_member).values(team_id=team_id, owner_id=owner_id, role=role, joined_at=now))


def role_of(session: Session, *, team_id: int, owner_id: int) -> str | None:
    """The account's role in the team, or None when it is not a member."""
    statement = sa.select(_member.c.role).where(_member.c.team_id == team_id, _member.c.owner_id == owner_id)
    return session.execute(statement).scalar_one_or_none()


def set_role(session: Session, *, team_id: int, owner_id: int, role: str) -> None:
    session.execute(
        sa.update(_member)
        .where(_member.c.team_id == team_id, _member.c.owner_id == owner_id)
        .values(role=role)
    )


def delete_member(session: Session, *, team_id: int, owner_id: int) -> None:
    """Take an account out of a team; its rules and shared entries go with it (ON DELETE CASCADE)."""
    session.execute(sa.delete(_member).where(_member.c.team_id == team_id, _member.c.owner_id == owner_id))


def teams_of(session: Session, *, owner_id: int) -> list[TeamRow]:
    """The account's teams, by name: its role and how many members each has."""
    counts = (
        sa.select(_member.c.team_id, sa.func.count().label("members")).group_by(_member.c.team_id).subquery()
    )
    statement = (
        sa.select(_team.c.id, _team.c.name, _member.c.role, counts.c.members)
        .join(_member, _member.c.team_id == _team.c.id)
        .join(counts, counts.c.team_id == _team.c.id)
        .where(_member.c.owner_id == owner_id)
        .order_by(_team.c.name, _team.c.id)
    )
    return [TeamRow(r.id, r.name, r.role, r.members) for r in session.execute(statement)]


def members(session: Session, *, team_id: int, asker_id: int) -> list[MemberRow]:
    """The team's members by username (owners first), if the asker is one of them."""
    statement = (
        sa.select(_member.c.owner_id, _account.c.username, _member.c.role, _member.c.joined_at)
        .join(_account, _account.c.owner_id == _member.c.owner_id)
        .where(_member.c.team_id == team_id, _is_member(team_id, asker_id))
        .order_by(_member.c.role.desc(), _account.c.username_key)
    )
    return [MemberRow(r.owner_id, r.username, r.role, r.joined_at) for r in session.execute(statement)]


def first_member(session: Session, *, team_id: int) -> int | None:
    """The member who joined first (the next owner when the last one leaves)."""
    statement = (
        sa.select(_member.c.owner_id)
        .where(_member.c.team_id == team_id)
        .order_by(_member.c.joined_at, _member.c.owner_id)
        .limit(1)
    )
    return session.execute(statement).scalar_one_or_none()


def count_role(session: Session, *, team_id: int, role: str) -> int:
    statement = sa.select(sa.func.count()).where(_member.c.team_id == team_id, _member.c.role == role)
    return session.execute(statement).scalar_one()


# --- invitations -------------------------------------------------------------------------------------


def add_invite(
    session: Session, *, team_id: int, token_hash: str, created_by: int, now: datetime, expires_at: datetime
) -> None:
    session.add(
        TeamInvite(
            team_id=team_id,
            token_hash=token_hash,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()


def invite_by_hash(session: Session, token_hash: str) -> TeamInvite | None:
    statement = sa.select(TeamInvite).where(TeamInvite.token_hash == token_hash)
    return session.execute(statement).scalar_one_or_none()


# --- share rules -------------------------------------------------------------------------------------


class RuleRow(NamedTuple):
    kind: str
    value: str


def rules(session: Session, *, team_id: int, owner_id: int) -> list[RuleRow]:
    statement = (
        sa.select(_rule.c.kind, _rule.c.value)
        .where(_rule.c.team_id == team_id, _rule.c.owner_id == owner_id)
        .order_by(_rule.c.kind, _rule.c.value)
    )
    return [RuleRow(r.kind, r.value) for r in session.execute(statement)]


def add_rule(session: Session, *, team_id: int, owner_id: int, kind: str, value: str) -> None:
    session.execute(sa.insert(_rule).values(team_id=team_id, owner_id=owner_id, kind=kind, value=value))


def delete_rules(
    session: Session, *, team_id: int, owner_id: int, kind: str | None = None, value: str | None = None
) -> int:
    """Delete the member's rules for the team (those of one kind and value when given)."""
    statement = sa.delete(_rule).where(_rule.c.team_id == team_id, _rule.c.owner_id == owner_id)
    if kind is not None:
        statement = statement.where(_rule.c.kind == kind, _rule.c.value == (value or ""))
    return session.execute(statement).rowcount  # type: ignore[attr-defined]


# --- what a member shares ------------------------------------------------------------------------------


class SharedPerson(NamedTuple):
    """What a member's shared entry is computed from: the person's shared fields and what their tie
    strength is computed from (`scoring.strength_total` reads a row as both person and tie), no more."""

    id: int
    display_name: str
    company: str | None
    title: str | None
    created_at: datetime
    met_on: date | None
    closeness: int | None
    last_contact_at: datetime | None
    intensity: float | None
    intensity_at: datetime | None
    half_life_days: float | None
    first_contact_at: datetime | None
    interactions: int | None
    initiated_by_me: int | None
    initiated_by_them: int | None
    favours_given: int | None
    favours_received: int | None


# The person's and tie's columns SharedPerson names, in its order (as the agenda reads them).
_SHARED_COLUMNS = tuple({c.key: c for c in PERSON_TIE_COLUMNS}[name] for name in SharedPerson._fields)


def _chosen(owner_id: int, chosen: Sequence[RuleRow]) -> sa.Select[Any]:
    """The ids of the member's live people the rules choose."""
    conditions: list[sa.ColumnElement[bool]] = []
    for kind, value in chosen:
        if kind == "all":
            conditions.append(sa.true())
        elif kind == "tier":
            conditions.append(Person.tier == int(value))
        elif kind == "person":
            conditions.append(Person.id == int(value))
        elif kind == "tag":
            tagged = sa.select(PersonTag.person_id).where(
                PersonTag.owner_id == owner_id, PersonTag.tag == value
            )
            conditions.append(Person.id.in_(tagged))
    return sa.select(Person.id).where(
        Person.owner_id == owner_id,
        Person.archived.is_(False),
        sa.or_(*conditions) if conditions else sa.false(),
    )


def shared_people(session: Session, *, owner_id: int, chosen: Sequence[RuleRow]) -> list[SharedPerson]:
    """The member's live people the rules choose, with the tie their band and year come from."""
    statement = (
        sa.select(*_SHARED_COLUMNS)
        .outerjoin(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.id.in_(_chosen(owner_id, chosen)))
        .order_by(Person.id)
    )
    return [SharedPerson(*row) for row in session.execute(statement)]


class Address(NamedTuple):
    person_id: int
    kind: str  # "email" or "link"
    value: str


def _addresses(session: Session, owner_id: int, ids: sa.Select[Any] | list[int]) -> list[Address]:
    emails = sa.select(PersonEmail.person_id, sa.literal("email"), PersonEmail.address).where(
        PersonEmail.owner_id == owner_id, PersonEmail.person_id.in_(ids)
    )
    links = sa.select(PersonLink.person_id, sa.literal("link"), PersonLink.url).where(
        PersonLink.owner_id == owner_id, PersonLink.person_id.in_(ids)
    )
    return [Address(*row) for row in session.execute(sa.union_all(emails, links))]


def addresses(session: Session, *, owner_id: int, chosen: Sequence[RuleRow]) -> list[Address]:
    """The emails and links of the people the rules choose: hashed by the service, never stored."""
    return _addresses(session, owner_id, _chosen(owner_id, chosen))


def person_addresses(session: Session, *, owner_id: int, person_id: int) -> list[Address]:
    """One of the owner's people's emails and links, archived or not (to match by keyed hash)."""
    return _addresses(session, owner_id, [person_id])


def replace_shares(
    session: Session,
    *,
    team_id: int,
    owner_id: int,
    shares: list[dict[str, Any]],
    keys: dict[int, set[str]],
) -> None:
    """Put `shares` (one dict of TeamShare's columns per person) in place of the member's entries,
    with each person's keyed hashes (`keys`: person id -> hashes).

    Thousands of rows at a time (a member sharing everyone), so written by `bulk.insert_many` (COPY on
    PostgreSQL, where an executemany costs a statement per row), and the new entries' ids read back.
    The DELETE before it runs through SQLAlchemy, so db.py sees a write and does not take the COPY
    for an unknown write to every owner's data (team tables never feed the agenda)."""
    clear_shares(session, team_id=team_id, owner_id=owner_id)
    if not shares:
        return
    bulk.insert_many(session, "team_share", shares)
    made = sa.select(_share.c.id, _share.c.person_id).where(
        _share.c.team_id == team_id, _share.c.owner_id == owner_id
    )
    rows = [
        {"share_id": r.id, "key_hash": h}
        for r in session.execute(made)
        for h in sorted(keys.get(r.person_id, ()))
    ]
    bulk.insert_many(session, "team_share_key", rows)


def clear_shares(session: Session, *, team_id: int, owner_id: int) -> None:
    session.execute(
        sa.delete(_share).where(
            _share.c.team_id == team_id, _share.c.owner_id == owner_id, _is_member(team_id, owner_id)
        )
    )


def mark_refreshed(
    session: Session, *, team_id: int, owner_id: int, stamp: str | None, now: datetime
) -> None:
    session.execute(
        sa.update(_member)
        .where(_member.c.team_id == team_id, _member.c.owner_id == owner_id)
        .values(shares_at=now, shares_stamp=stamp)
    )


def data_stamp(session: Session, *, owner_id: int) -> str | None:
    """The owner's data stamp (agenda_cache.data_stamp): it changes with every write to their data."""
    statement = sa.select(_cache.c.data_stamp).where(_cache.c.owner_id == owner_id)
    return session.execute(statement).scalar_one_or_none()


def stale_members(session: Session, *, team_id: int, asker_id: int, before: datetime) -> list[int]:
    """The asker's teammates with share rules whose entries were computed before `before`, never, or
    from another state of their data than the current one."""
    has_rules = sa.exists().where(_rule.c.team_id == team_id, _rule.c.owner_id == _member.c.owner_id)
    statement = (
        sa.select(_member.c.owner_id)
        .outerjoin(_cache, _cache.c.owner_id == _member.c.owner_id)
        .where(
            _member.c.team_id == team_id,
            _member.c.owner_id != asker_id,
            _is_member(team_id, asker_id),
            has_rules,
            sa.or_(
                _member.c.shares_at.is_(None),
                _member.c.shares_at < before,
                _member.c.shares_stamp.is_distinct_from(_cache.c.data_stamp),
            ),
        )
        .order_by(_member.c.owner_id)
    )
    return list(session.execute(statement).scalars())


# --- asking -------------------------------------------------------------------------------------------


class KnowerRow(NamedTuple):
    """A teammate who knows someone: their username and the shared entry's fields."""

    username: str
    band: str
    since_year: int
    name: str
    title: str | None
    organisation: str | None
    owner_id: int
    share_id: int


def _knowers(team_id: int, asker_id: int) -> sa.Select[Any]:
    return (
        sa.select(
            _account.c.username, _share.c.band, _share.c.since_year, _share.c.name, _share.c.title,
            _share.c.organisation, _share.c.owner_id, _share.c.id,
        )
        .join(_account, _account.c.owner_id == _share.c.owner_id)
        .where(_share.c.team_id == team_id, _share.c.owner_id != asker_id, _is_member(team_id, asker_id))
    )  # fmt: skip


def _rows(session: Session, statement: sa.Select[Any]) -> list[KnowerRow]:
    return [KnowerRow(*row) for row in session.execute(statement)]


def knowers_at(session: Session, *, team_id: int, asker_id: int, organisation_key: str) -> list[KnowerRow]:
    """Teammates sharing someone whose organisation folds to `organisation_key`."""
    return _rows(session, _knowers(team_id, asker_id).where(_share.c.organisation_key == organisation_key))


def knowers_by_keys(
    session: Session, *, team_id: int, asker_id: int, key_hashes: Iterable[str]
) -> list[KnowerRow]:
    """Teammates sharing someone with one of these keyed hashes (once per shared person)."""
    matching = sa.select(_key.c.share_id).where(_key.c.key_hash.in_(sorted(key_hashes)))
    return _rows(session, _knowers(team_id, asker_id).where(_share.c.id.in_(matching)))


def knowers_by_name(session: Session, *, team_id: int, asker_id: int, name_key: str) -> list[KnowerRow]:
    """Teammates sharing someone whose name folds to `name_key`."""
    return _rows(session, _knowers(team_id, asker_id).where(_share.c.name_key == name_key))


def share_count(session: Session, *, team_id: int, owner_id: int) -> int:
    statement = sa.select(sa.func.count()).where(
        _share.c.team_id == team_id, _share.c.owner_id == owner_id, _is_member(team_id, owner_id)
    )
    return session.execute(statement).scalar_one()


# --- the audit and introduction requests ----------------------------------------------------------------

_audit = TeamAudit.__table__
_request = IntroRequest.__table__
_intro = Introduction.__table__


def add_audit(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(sa.insert(_audit), rows)


class AuditRow(NamedTuple):
    asker: str
    what: str
    query: str
    matched: int
    at: datetime


def audit_of(session: Session, *, team_id: int, owner_id: int) -> list[AuditRow]:
    """What was asked of the member's own shares in the team, newest first (theirs only)."""
    statement = (
        sa.select(_account.c.username, _audit.c.what, _audit.c.query, _audit.c.matched, _audit.c.at)
        .join(_account, _account.c.owner_id == _audit.c.asker_id)
        .where(_audit.c.team_id == team_id, _audit.c.owner_id == owner_id, _is_member(team_id, owner_id))
        .order_by(_audit.c.at.desc(), _audit.c.id.desc())
    )
    return [AuditRow(*r) for r in session.execute(statement)]


class ShareSeen(NamedTuple):
    id: int
    owner_id: int
    person_id: int
    name: str
    organisation: str | None


def share_seen_by(session: Session, *, team_id: int, asker_id: int, share_id: int) -> ShareSeen | None:
    """A teammate's shared entry in the team, if the asker is a member and it is not their own."""
    statement = sa.select(
        _share.c.id, _share.c.owner_id, _share.c.person_id, _share.c.name, _share.c.organisation
    ).where(
        _share.c.id == share_id,
        _share.c.team_id == team_id,
        _share.c.owner_id != asker_id,
        _is_member(team_id, asker_id),
    )
    row = session.execute(statement).first()
    return ShareSeen(*row) if row else None


def open_request(session: Session, *, asker_id: int, owner_id: int, person_id: int) -> int | None:
    """The asker's unanswered request to this holder about this person, if any."""
    statement = sa.select(_request.c.id).where(
        _request.c.asker_id == asker_id,
        _request.c.owner_id == owner_id,
        _request.c.person_id == person_id,
        _request.c.state == "asked",
    )
    return session.execute(statement).scalars().first()


def request_for_holder(session: Session, *, owner_id: int, request_id: int) -> IntroRequest | None:
    statement = sa.select(IntroRequest).where(
        IntroRequest.id == request_id, IntroRequest.owner_id == owner_id
    )
    return session.execute(statement).scalar_one_or_none()


def request_of_introduction(session: Session, *, owner_id: int, introduction_id: int) -> IntroRequest | None:
    statement = sa.select(IntroRequest).where(
        IntroRequest.owner_id == owner_id, IntroRequest.introduction_id == introduction_id
    )
    return session.execute(statement).scalars().first()


class RequestRow(NamedTuple):
    id: int
    holder: str
    asker: str
    team: str
    person_name: str
    organisation: str | None
    why: str
    state: str
    created_at: datetime
    answered_at: datetime | None
    introduction_state: str | None
    made_at: datetime | None
    person_id: int | None
    team_id: int
    holder_in_team: bool  # the holder is still a member of the request's team
    still_shared: bool  # the holder shares the person with the team now


def _requests() -> sa.Select[Any]:
    holder = _account.alias("holder")
    asker = _account.alias("asker")
    holder_in_team = sa.exists().where(
        _member.c.team_id == _request.c.team_id, _member.c.owner_id == _request.c.owner_id
    )
    still_shared = sa.exists().where(
        _share.c.team_id == _request.c.team_id,
        _share.c.owner_id == _request.c.owner_id,
        _share.c.person_id == _request.c.person_id,
    )
    return (
        sa.select(
            _request.c.id, holder.c.username, asker.c.username, _team.c.name, _request.c.person_name,
            _request.c.organisation, _request.c.why, _request.c.state, _request.c.created_at,
            _request.c.answered_at, _intro.c.state, _intro.c.made_at, _request.c.person_id,
            _request.c.team_id, holder_in_team, still_shared,
        )
        .join(holder, holder.c.owner_id == _request.c.owner_id)
        .join(asker, asker.c.owner_id == _request.c.asker_id)
        .join(_team, _team.c.id == _request.c.team_id)
        .outerjoin(_intro, _intro.c.id == _request.c.introduction_id)
        .order_by(_request.c.created_at.desc(), _request.c.id.desc())
    )  # fmt: skip


def requests_asked(session: Session, *, team_id: int, asker_id: int) -> list[RequestRow]:
    """The asker's requests in the team, newest first, with where each introduction stands."""
    statement = _requests().where(
        _request.c.team_id == team_id, _request.c.asker_id == asker_id, _is_member(team_id, asker_id)
    )
    return [RequestRow(*r) for r in session.execute(statement)]


def requests_waiting(session: Session, *, owner_id: int, team_id: int | None = None) -> list[RequestRow]:
    """Requests made of the holder, unanswered, in teams the holder and the asker are both still in
    (of one team, given `team_id`)."""
    both = [
        sa.exists().where(_member.c.team_id == _request.c.team_id, _member.c.owner_id == who)
        for who in (owner_id, _request.c.asker_id)
    ]
    statement = _requests().where(_request.c.owner_id == owner_id, _request.c.state == "asked", *both)
    if team_id is not None:
        statement = statement.where(_request.c.team_id == team_id)
    return [RequestRow(*r) for r in session.execute(statement)]


def request_row(
    session: Session, *, request_id: int, holder_id: int | None = None, asker_id: int | None = None
) -> RequestRow | None:
    """One request, whatever its state, if it was made of `holder_id` (or by `asker_id`): never
    without one of them, so no caller reads a request that is not its owner's."""
    if holder_id is None and asker_id is None:
        raise ValueError("request_row needs the holder or the asker")
    statement = _requests().where(_request.c.id == request_id)
    if holder_id is not None:
        statement = statement.where(_request.c.owner_id == holder_id)
    if asker_id is not None:
        statement = statement.where(_request.c.asker_id == asker_id)
    row = session.execute(statement).first()
    return RequestRow(*row) if row else None


def open_requests_of_asker(session: Session, *, team_id: int, asker_id: int) -> list[IntroRequest]:
    """The asker's unanswered requests in the team, as objects (a write of one marks its holder's
    cached agenda stale, db.py)."""
    statement = sa.select(IntroRequest).where(
        IntroRequest.team_id == team_id, IntroRequest.asker_id == asker_id, IntroRequest.state == "asked"
    )
    return list(session.execute(statement).scalars())


def request_of_asker(session: Session, *, asker_id: int, request_id: int) -> IntroRequest | None:
    statement = sa.select(IntroRequest).where(
        IntroRequest.id == request_id, IntroRequest.asker_id == asker_id
    )
    return session.execute(statement).scalar_one_or_none()


class NamedPerson(NamedTuple):
    id: int
    display_name: str


def live_people(session: Session, *, owner_id: int) -> list[NamedPerson]:
    """The owner's live people by id and name (to find one by a folded name)."""
    statement = (
        sa.select(Person.id, Person.display_name)
        .where(Person.owner_id == owner_id, Person.archived.is_(False))
        .order_by(Person.id)
    )
    return [NamedPerson(*r) for r in session.execute(statement)]
