"""The warm path across the team (issue 19): `tieline path` through a teammate's shared tie when it
is stronger than your own route.

Your own route is `analytics.paths.find_path`: the strongest chain of your people to the target, its
strength the product of its links (each a tie strength / 100), so on the 0-100 scale it is
`100 * strength`. A teammate's route is one of their shared entries (`team_shares.who`): for an
organisation, anyone they share who is at it (folded, legal suffixes dropped); for one of your
people, the same person known to them (keyed hashes of emails and LinkedIn URL, else the folded
name). A teammate's route says only what a teammate may see: their username, the band, the year and
the shared person's name, title and organisation.

Comparing them: your route is put in the bands the shares use (team_shares.band): `strong` from
STRONG_FROM (50), `medium` from MEDIUM_FROM (20), else `weak`; no route at all is below `weak`.
A team route is shown when its band is above your route's band: a strong teammate tie beats a
chain of strength under 50, a medium one a chain under 20, and any one beats no chain. A band equal
to yours is not shown (yours needs nobody's help). The link from you to the teammate is not scored:
a teammate is someone you can ask. Only the teammates' best band is shown, at most MAX_TEAM_ROUTES
entries of it (the longest-standing first, then by username).

With teams, a target your own network does not know (no person, no organisation of that name) is
still asked of the teammates as an organisation: your route is then none. Without teams it is the
error it always was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.analytics import paths as paths_mod
from tieline.errors import NotFound
from tieline.models import BANDS
from tieline.repo import teams as teams_repo
from tieline.services import team_shares
from tieline.services import teams as teams_service
from tieline.services.team_shares import MEDIUM_FROM, STRONG_FROM, Knower

MAX_TEAM_ROUTES = 3
_RANK = {"none": 0, "weak": 1, "medium": 2, "strong": 3}
assert set(BANDS) < set(_RANK)


@dataclass(frozen=True)
class TeamRoute:
    """A teammate's shared tie to the target, and the team it is shared with."""

    team: str
    knower: Knower


@dataclass(frozen=True)
class PathAnswer:
    """Your own route (None: no chain), its band, and the team routes stronger than it."""

    target: str
    own: paths_mod.WarmPath | None
    own_band: str  # strong, medium, weak, or none
    team_routes: list[TeamRoute]
    asked_teams: list[str]  # the teams asked (empty: you are in none, or none was asked)

    @property
    def team_first(self) -> bool:
        return bool(self.team_routes)


def route_band(own: paths_mod.WarmPath | None) -> str:
    """Your route's band on the shares' scale: 100 * its strength against STRONG_FROM and MEDIUM_FROM."""
    if own is None:
        return "none"
    value = 100 * own.strength
    return "strong" if value >= STRONG_FROM else "medium" if value >= MEDIUM_FROM else "weak"


def warm_path(
    session: Session, *, owner_id: int, text: str, now: datetime, team: str | None = None
) -> PathAnswer:
    """Your own strongest chain to the target and, from the teams asked (`team`, else every team you
    are in), the teammates' shared ties stronger than it (module docstring)."""
    if team is not None:
        found = teams_service.resolve(session, owner_id=owner_id, text=team)
        teams = [(found.id, found.name)]
    else:
        teams = [(t.id, t.name) for t in teams_repo.teams_of(session, owner_id=owner_id)]
    try:
        target = paths_mod.target_of(session, owner_id=owner_id, text=text, today=now.date())
    except NotFound:
        if not teams or text.strip().startswith("#"):
            raise
        target = paths_mod.Target(" ".join(text.split()), [], None, " ".join(text.split()))
    own = (
        paths_mod.find_path(
            session, owner_id=owner_id, now=now, target=target.name, person_ids=target.person_ids
        )
        if target.person_ids
        else None
    )
    band = route_band(own)
    routes: list[TeamRoute] = []
    for team_id, team_name in teams:
        knowers = team_shares.who(
            session,
            team_id=team_id,
            asker_owner_id=owner_id,
            now=now,
            organisation=target.organisation,
            person_id=target.person_id,
        )
        routes += [TeamRoute(team_name, k) for k in knowers if _RANK[k.band] > _RANK[band]]
    if routes:
        best = max(_RANK[r.knower.band] for r in routes)
        routes = sorted(
            (r for r in routes if _RANK[r.knower.band] == best),
            key=lambda r: (r.knower.since_year, r.knower.username.casefold(), r.knower.name, r.team),
        )[:MAX_TEAM_ROUTES]
    return PathAnswer(target.name, own, band, routes, [name for _, name in teams])
