"""The shapes of teams (issue 19): a team with its members, a teammate who knows someone, an
introduction request and a line of the audit.

A knower is exactly what a teammate sees of a member's shared person: the member's username, their
tie as a band and the year it began, and the person's name, title and organisation; nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

if TYPE_CHECKING:
    from tieline.services.team_requests import Asked, Request
    from tieline.services.team_shares import Knower
    from tieline.services.teams import MemberInfo, TeamInfo


class TeamMemberOut(TypedDict):
    """A member of a team: their account's name, `owner` or `member`, and when they joined."""

    username: str
    role: str
    joined_at: str


class TeamOut(TypedDict):
    """One of your teams, your role in it, and its members."""

    id: int
    name: str
    role: str
    members: list[TeamMemberOut]


class KnowerOut(TypedDict):
    """A teammate who knows someone: their username, band and year, and the person as they share it."""

    username: str
    band: str
    since_year: int
    name: str
    title: str | None
    organisation: str | None
    share_id: int  # the entry to name in `tieline team ask --share ID` (an entry's id, nothing of the person)


def team_member(item: MemberInfo) -> TeamMemberOut:
    return {"username": item.username, "role": item.role, "joined_at": item.joined_at.isoformat()}


def team(item: TeamInfo, members: list[MemberInfo]) -> TeamOut:
    return {
        "id": item.id,
        "name": item.name,
        "role": item.role,
        "members": [team_member(m) for m in members],
    }


def knower(item: Knower) -> KnowerOut:
    return {
        "username": item.username,
        "band": item.band,
        "since_year": item.since_year,
        "name": item.name,
        "title": item.title,
        "organisation": item.organisation,
        "share_id": item.share_id,
    }


class RequestOut(TypedDict):
    """An introduction request: who is asked (`holder`), by whom, to meet whom, why, and where it
    stands. To its asker the person shows only while the holder shares them with the team ("someone
    no longer shared" after), and the holder only while in it ("a former teammate" after)."""

    id: int
    team_id: int
    team: str
    holder: str
    asker: str
    person: str
    organisation: str | None
    why: str
    state: str  # asked, accepted, declined, withdrawn
    created_at: str
    answered_at: str | None
    introduction: str | None  # once accepted: the introduction's state in the holder's flow
    made_at: str | None


class AskedOut(TypedDict):
    """A line of your audit: a teammate asked your shares about an organisation or person, or for an
    introduction (`what`), and how many of your entries matched."""

    asker: str
    what: str  # who_organisation, who_person, intro_request
    query: str
    matched: int
    at: str


def request(item: Request) -> RequestOut:
    return {
        "id": item.id,
        "team_id": item.team_id,
        "team": item.team,
        "holder": item.holder,
        "asker": item.asker,
        "person": item.person,
        "organisation": item.organisation,
        "why": item.why,
        "state": item.state,
        "created_at": item.created_at.isoformat(),
        "answered_at": item.answered_at.isoformat() if item.answered_at else None,
        "introduction": item.introduction,
        "made_at": item.made_at.isoformat() if item.made_at else None,
    }


def asked(item: Asked) -> AskedOut:
    return {
        "asker": item.asker,
        "what": item.what,
        "query": item.query,
        "matched": item.matched,
        "at": item.at.isoformat(),
    }
