"""Teams (issue 19): create one, invite by a single-use token, join, leave, remove a member, list.

Teams are between accounts (server mode): each member is an account, named by its username.
The creator is the team's owner. Only an owner invites and removes; anyone leaves. An invitation is
a random token shown once (only its SHA-256 is kept, as for login sessions), good for one join within
INVITE_LIFETIME. When the last owner leaves, the member who joined first becomes owner; when the last
member leaves, the team is deleted. Leaving, or being removed, deletes the member's share rules and
shared entries at once, in the same transaction (the rows cascade from `team_member`).

A team the asker is not a member of is NotFound, the same as one that does not exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tieline.errors import Ambiguous, Forbidden, InvalidInput, NotFound
from tieline.repo import accounts as accounts_repo
from tieline.repo import teams as repo
from tieline.services.accounts import token_hash, username_key
from tieline.text import fold

INVITE_LIFETIME = timedelta(days=7)
INVITE_PREFIX = "tli_"
MAX_NAME = 200


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    role: str
    members: int


@dataclass(frozen=True)
class MemberInfo:
    username: str
    role: str
    joined_at: datetime


@dataclass(frozen=True)
class Invitation:
    team: str
    token: str  # shown once; only its hash is stored
    expires_at: datetime


def _require_account(session: Session, owner_id: int) -> None:
    if accounts_repo.by_owner(session, owner_id) is None:
        raise InvalidInput("teams are between accounts: make one first (tieline user add NAME)")


def create(session: Session, *, owner_id: int, name: str, now: datetime) -> TeamInfo:
    """Make a team; its creator is its owner."""
    _require_account(session, owner_id)
    shown = " ".join(name.split())
    if not shown or len(shown) > MAX_NAME:
        raise InvalidInput(f"team name: 1 to {MAX_NAME} characters")
    team = repo.add_team(session, name=shown, hash_key=secrets.token_hex(32), now=now)
    repo.add_member(session, team_id=team.id, owner_id=owner_id, role="owner", now=now)
    return TeamInfo(team.id, team.name, "owner", 1)


def resolve(session: Session, *, owner_id: int, text: str) -> TeamInfo:
    """One of the account's teams, by id (#3) or name (case and accents folded)."""
    query = text.strip()
    mine = repo.teams_of(session, owner_id=owner_id)
    number = query.lstrip("#")
    if number.isascii() and number.isdigit():
        found = [t for t in mine if t.id == int(number)]
    else:
        found = [t for t in mine if fold(t.name) == fold(query)]
    if not found:
        raise NotFound(f"you are in no team {query!r} (tieline team list shows yours)")
    if len(found) > 1:
        raise Ambiguous(
            f"{len(found)} of your teams are named {query!r}; give its id",
            [f"#{t.id} {t.name}" for t in found],
        )
    t = found[0]
    return TeamInfo(t.id, t.name, t.role, t.members)


def _owned(session: Session, *, owner_id: int, text: str) -> TeamInfo:
    team = resolve(session, owner_id=owner_id, text=text)
    if team.role != "owner":
        raise Forbidden(f"only an owner of team {team.name!r} may do that")
    return team


def invite(session: Session, *, owner_id: int, team: str, now: datetime) -> Invitation:
    """A single-use invitation to the team, good for INVITE_LIFETIME; the token is shown once."""
    found = _owned(session, owner_id=owner_id, text=team)
    token = INVITE_PREFIX + secrets.token_urlsafe(32)
    expires = now + INVITE_LIFETIME
    repo.add_invite(
        session,
        team_id=found.id,
        token_hash=token_hash(token),
        created_by=owner_id,
        now=now,
        expires_at=expires,
    )
    return Invitation(found.name, token, expires)


def join(session: Session, *, owner_id: int, token: str, now: datetime) -> TeamInfo:
    """Join the team an invitation is for; the invitation is used up."""
    _require_account(session, owner_id)
    invitation = repo.invite_by_hash(session, token_hash(token.strip()))
    if invitation is None:
        raise NotFound("no such invitation (ask a team owner for a new one: tieline team invite TEAM)")
    if invitation.used_at is not None:
        raise InvalidInput("this invitation was already used; ask a team owner for a new one")
    if now >= invitation.expires_at:
        raise InvalidInput(
            f"this invitation expired on {invitation.expires_at:%Y-%m-%d}; ask a team owner for a new one"
        )
    if repo.role_of(session, team_id=invitation.team_id, owner_id=owner_id) is not None:
        raise InvalidInput("you are already in this team; the invitation is left for someone else")
    repo.add_member(session, team_id=invitation.team_id, owner_id=owner_id, role="member", now=now)
    invitation.used_at, invitation.used_by = now, owner_id
    session.flush()
    return resolve(session, owner_id=owner_id, text=f"#{invitation.team_id}")


def leave(session: Session, *, owner_id: int, team: str) -> TeamInfo:
    """Leave a team: what you shared with it is deleted now. The last member out deletes the team."""
    found = resolve(session, owner_id=owner_id, text=team)
    _drop(session, team_id=found.id, owner_id=owner_id)
    _keep_an_owner(session, team_id=found.id)
    return found


def _drop(session: Session, *, team_id: int, owner_id: int) -> None:
    """Take a member out: their entries go with them, and their requests not answered yet lapse
    (withdrawn, with no answer time: nobody answered), leaving their teammates' agendas."""
    for request in repo.open_requests_of_asker(session, team_id=team_id, asker_id=owner_id):
        request.state = "withdrawn"
    repo.delete_member(session, team_id=team_id, owner_id=owner_id)


def _keep_an_owner(session: Session, *, team_id: int) -> None:
    first = repo.first_member(session, team_id=team_id)
    if first is None:
        repo.delete_team(session, team_id)
    elif repo.count_role(session, team_id=team_id, role="owner") == 0:
        repo.set_role(session, team_id=team_id, owner_id=first, role="owner")


def remove(session: Session, *, owner_id: int, team: str, username: str) -> TeamInfo:
    """An owner takes a member out of the team; what they shared with it is deleted now."""
    found = _owned(session, owner_id=owner_id, text=team)
    account = accounts_repo.by_username(session, username_key(username))
    if account is None or repo.role_of(session, team_id=found.id, owner_id=account.owner_id) is None:
        raise NotFound(f"no member {username.strip()!r} in team {found.name!r} (tieline team list)")
    if account.owner_id == owner_id:
        raise InvalidInput("to take yourself out of a team, leave it: tieline team leave TEAM")
    _drop(session, team_id=found.id, owner_id=account.owner_id)
    return found


def members(session: Session, *, owner_id: int, team_id: int) -> list[MemberInfo]:
    """A team's members by username, owners first (none when the account is not one of them)."""
    return [
        MemberInfo(m.username, m.role, m.joined_at)
        for m in repo.members(session, team_id=team_id, asker_id=owner_id)
    ]


def my_teams(session: Session, *, owner_id: int) -> list[tuple[TeamInfo, list[MemberInfo]]]:
    """The account's teams with their members by username."""
    return [
        (TeamInfo(t.id, t.name, t.role, t.members), members(session, owner_id=owner_id, team_id=t.id))
        for t in repo.teams_of(session, owner_id=owner_id)
    ]


def invitation(session: Session, *, token: str, now: datetime) -> str:
    """The name of the team an invitation is for, if it can still be used (the join page shows it
    before the invitee confirms): NotFound for no such token, InvalidInput if used or expired."""
    found = repo.invite_by_hash(session, token_hash(token.strip()))
    if found is None:
        raise NotFound("no such invitation (ask a team owner for a new one)")
    if found.used_at is not None:
        raise InvalidInput("this invitation was already used; ask a team owner for a new one")
    if now >= found.expires_at:
        raise InvalidInput(
            f"this invitation expired on {found.expires_at:%Y-%m-%d}; ask a team owner for a new one"
        )
    team = repo.team(session, found.team_id)
    assert team is not None
    return team.name
