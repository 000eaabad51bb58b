"""The shapes of teams (issue 19): a team with its members, and a teammate who knows someone.

A knower is exactly what a teammate sees of a member's shared person: the member's username, their
tie as a band and the year it began, and the person's name, title and organisation; nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

if TYPE_CHECKING:
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
