"""The shapes of the network analytics: common ground, suggestions, warm paths and `tieline stats`."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, NotRequired

from typing_extensions import TypedDict

from tieline.serialise import teams as teams_out
from tieline.serialise.teams import KnowerOut

if TYPE_CHECKING:
    from tieline.analytics.common import CommonGround
    from tieline.analytics.intros import IntroSuggestion, PersonSuggestion
    from tieline.analytics.measures import Spread
    from tieline.analytics.paths import AskSuggestion, Reconnect, WarmPath
    from tieline.analytics.stats import NetworkStats
    from tieline.services.team_paths import PathAnswer


class CommonItemOut(TypedDict):
    """One thing two people share, its weight and the sentences that show it."""

    kind: str
    label: str
    weight: float
    evidence: list[str]
    person_id: int | None


class CommonGroundOut(TypedDict):
    """What two people (or you, `a_id` null, and a person) share, strongest first."""

    a_id: int | None
    a: str
    b_id: int
    b: str
    score: float
    mutual_contacts: int
    items: list[CommonItemOut]


class IntroSuggestionOut(TypedDict):
    """Two people worth introducing: the score, its parts and why."""

    a_id: int
    a: str
    b_id: int
    b: str
    score: float
    complementarity: float
    novelty: float
    reasons: list[str]


class ViaOut(TypedDict):
    """One of your contacts through whom you could meet someone."""

    person_id: int
    person: str


class PersonSuggestionOut(TypedDict):
    """Someone you should know better, through whom and why."""

    person_id: int
    person: str
    score: float
    strength: float
    via: list[ViaOut]
    reasons: list[str]


class ReconnectOut(TypedDict):
    """A dormant tie worth reviving: past strength x novelty x engagement."""

    person_id: int
    person: str
    score: float
    past_strength: float
    novelty: float
    engagement: float
    days_since: int | None
    reasons: list[str]


class AskSuggestionOut(TypedDict):
    """Someone to ask about roles at an organisation."""

    person_id: int
    person: str
    score: float
    strength: float
    relation: str
    reasons: list[str]


class PathStepOut(TypedDict):
    """One step of a warm path: the person reached and the strength of the link reaching them."""

    person_id: int
    person: str
    strength: float
    evidence: list[str]


class TeamRouteOut(KnowerOut):
    """A teammate's shared tie to a path's target: the team, and what `who` shows of it (no more)."""

    team: str


class WarmPathOut(TypedDict):
    """The strongest chain from you to a target (no steps and strength 0 when there is none); in
    teams, `band` (your route's) and the teammates' shared ties stronger than it."""

    target: str
    strength: float
    steps: list[PathStepOut]
    band: NotRequired[str]
    team_routes: NotRequired[list[TeamRouteOut]]


class SpreadOut(TypedDict):
    """How people spread over the groups of one dimension."""

    known: int
    groups: int
    entropy: float
    largest: str | None
    largest_share: float


class DiversityOut(TypedDict):
    """One dimension: who is not known, the spread over everyone, and over strong ties alone."""

    dimension: str
    unknown: int
    known: int
    groups: int
    entropy: float
    largest: str | None
    largest_share: float
    strong: SpreadOut


class BrokerageOut(TypedDict):
    """Your ego network's brokerage: Burt's constraint, effective size and efficiency."""

    alters: int
    constraint: float
    effective_size: float
    efficiency: float


class ClusterOut(TypedDict):
    """A community of your network, with its best-connected members."""

    id: int
    label: str
    size: int
    top: list[ViaOut]


class MonthOut(TypedDict):
    """One month: people met and interactions logged."""

    month: str
    new_people: int
    interactions: int


class NetworkStatsOut(TypedDict):
    """`tieline stats --json`. Parts drawn from the analytics' dataclasses keep their fields
    (docs/json.md lists them): counts, tiers, strength_bins, bridges, reciprocity, returns."""

    date: str
    counts: dict[str, int]
    strong_threshold: float
    tiers: list[dict[str, object]]
    dunbar_layers: list[int]
    strength_bins: list[dict[str, float]]
    diversity: list[DiversityOut]
    brokerage: BrokerageOut
    bridges: list[dict[str, object]]
    clusters: list[ClusterOut]
    growth: list[MonthOut]
    on_cadence_share: float | None
    reciprocity: dict[str, int] | None
    returns: list[dict[str, object]]


def common_ground(ground: CommonGround) -> CommonGroundOut:
    """What two people (or you and a person) share, strongest first, each item with its evidence."""
    return {
        "a_id": ground.a_id,
        "a": ground.a_name,
        "b_id": ground.b_id,
        "b": ground.b_name,
        "score": ground.score,
        "mutual_contacts": ground.mutual_contacts,
        "items": [
            {
                "kind": i.kind,
                "label": i.label,
                "weight": i.weight,
                "evidence": i.evidence,
                "person_id": i.person_id,
            }
            for i in ground.items
        ],
    }


def intro_suggestion(item: IntroSuggestion) -> IntroSuggestionOut:
    """Two people worth introducing: the score, its parts and why."""
    return {
        "a_id": item.a_id,
        "a": item.a_name,
        "b_id": item.b_id,
        "b": item.b_name,
        "score": item.score,
        "complementarity": item.complementarity,
        "novelty": item.novelty,
        "reasons": item.reasons,
    }


def person_suggestion(item: PersonSuggestion) -> PersonSuggestionOut:
    """Someone you should know better, through whom and why."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "score": item.score,
        "strength": item.strength,
        "via": [{"person_id": pid, "person": name} for pid, name in item.via],
        "reasons": item.reasons,
    }


def reconnect_suggestion(item: Reconnect) -> ReconnectOut:
    """A dormant tie worth reviving: past strength x novelty x engagement."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "score": item.score,
        "past_strength": item.past_strength,
        "novelty": item.novelty,
        "engagement": item.engagement,
        "days_since": item.days_since,
        "reasons": item.reasons,
    }


def ask_suggestion(item: AskSuggestion) -> AskSuggestionOut:
    """Someone to ask about roles at an organisation."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "score": item.score,
        "strength": item.strength,
        "relation": item.relation,
        "reasons": item.reasons,
    }


def warm_path(path: WarmPath | None, target: str) -> WarmPathOut:
    """The strongest chain from you to a target (steps empty and strength 0 when there is none)."""
    if path is None:
        return {"target": target, "strength": 0.0, "steps": []}
    return {
        "target": path.target,
        "strength": path.strength,
        "steps": [
            {"person_id": s.person_id, "person": s.name, "strength": s.strength, "evidence": s.evidence}
            for s in path.steps
        ],
    }


def team_warm_path(answer: PathAnswer) -> WarmPathOut:
    """`tieline path --json`: the own route; in teams, its band and the team routes stronger than it."""
    out = warm_path(answer.own, answer.target)
    if answer.asked_teams:
        out["band"] = answer.own_band
        out["team_routes"] = [{"team": r.team, **teams_out.knower(r.knower)} for r in answer.team_routes]
    return out


def _spread(value: Spread) -> SpreadOut:
    return {
        "known": value.known,
        "groups": value.groups,
        "entropy": value.entropy,
        "largest": value.largest,
        "largest_share": value.largest_share,
    }


def network_stats(stats: NetworkStats) -> NetworkStatsOut:
    """`tieline stats`: tiers against Dunbar's layers, tie states, strengths, diversity, brokerage,
    clusters, growth, reciprocity and returns."""
    ego = stats.brokerage
    recip = stats.reciprocity
    return {
        "date": stats.day.isoformat(),
        "counts": asdict(stats.counts),
        "strong_threshold": stats.strong_threshold,
        "tiers": [asdict(t) for t in stats.tiers],
        "dunbar_layers": list(stats.dunbar_layers),
        "strength_bins": [asdict(b) for b in stats.bins],
        "diversity": [
            {"dimension": d.dimension, "unknown": d.unknown, **_spread(d.all), "strong": _spread(d.strong)}
            for d in stats.diversity
        ],
        "brokerage": {
            "alters": ego.alters,
            "constraint": round(ego.constraint, 6),
            "effective_size": round(ego.effective_size, 3),
            "efficiency": round(ego.efficiency, 4),
        },
        "bridges": [asdict(b) for b in stats.bridges],
        "clusters": [
            {
                "id": c.id,
                "label": c.label,
                "size": c.size,
                "top": [{"person_id": p, "person": n} for p, n in c.top],
            }
            for c in stats.clusters
        ],
        "growth": [
            {"month": m.month.strftime("%Y-%m"), "new_people": m.new_people, "interactions": m.interactions}
            for m in stats.growth
        ],
        "on_cadence_share": round(stats.on_cadence_share, 4) if stats.on_cadence_share is not None else None,
        "reciprocity": asdict(recip) if recip else None,
        "returns": [asdict(r) for r in stats.returns],
    }
