"""What a report shows, as plain data: one dataclass per chart, filled by `gather.py`, drawn by
`charts.py` and `network_map.py`. Rendering never touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TierRow:
    """One tier: its people, everyone up to it (Dunbar's layers are cumulative: the 15 include the
    5), Dunbar's layer size for it, and who is on cadence."""

    tier: int
    name: str
    people: int
    cumulative: int
    dunbar: int
    cadence_days: int | None
    on_cadence: int  # people contacted within their cadence (0 where there is no cadence)

    @property
    def on_cadence_share(self) -> float | None:
        """Share of the tier contacted within its cadence; None for a tier without cadence or people."""
        if self.cadence_days is None or self.people == 0:
            return None
        return self.on_cadence / self.people


@dataclass(frozen=True)
class Group:
    """A label (an industry, an organisation ...) and how many people carry it."""

    label: str
    people: int


@dataclass(frozen=True)
class Diversity:
    """How people spread over one dimension: groups largest first, Shannon entropy, largest share."""

    dimension: str  # "industry", "function", "organisation", "location"
    groups: list[Group]
    entropy: float  # Shannon entropy normalised to 0..1: 0 when everyone is in one group
    largest_share: float  # of the people with a value, 0..1
    unknown: int = 0  # people with no value for the dimension
    strong_groups: list[Group] = field(default_factory=list)  # the same, strong ties only


@dataclass(frozen=True)
class Month:
    """One calendar month of growth: new people added and interactions logged."""

    month: date  # first day of the month
    new_people: int
    interactions: int


@dataclass(frozen=True)
class Reciprocity:
    """The favour ledger in totals, and thank-yous owed."""

    favours_given: int
    favours_received: int
    thanks_owed: int
    thanked: int
    initiated_by_me: int = 0  # interactions you started
    initiated_by_them: int = 0


@dataclass(frozen=True)
class Counts:
    """Everyone, by the state of the tie: strong and weak among live ties, dormant (silent a year),
    never contacted; the links between people on the graph; interactions logged."""

    people: int
    strong: int
    weak: int
    dormant: int
    interactions: int
    never_contacted: int = 0
    links: int = 0


@dataclass(frozen=True)
class Brokerage:
    """Burt's measures over your ego network, and the people bridging otherwise separate groups."""

    alters: int  # people in your ego network (a positive tie)
    constraint: float | None  # None with no one to measure
    effective_size: float | None
    efficiency: float | None
    bridges: list[str] = field(default_factory=list)  # names, strongest bridge first


@dataclass(frozen=True)
class Cluster:
    """A community in your network: an id, its label (from common organisations or industries), size."""

    id: int
    label: str
    size: int


@dataclass(frozen=True)
class Node:
    """A person on the map: id, name, tie strength 0..100, cluster id (-1 none), whether a bridge."""

    id: int
    name: str
    strength: float
    cluster: int = -1
    bridge: bool = False


@dataclass(frozen=True)
class NetworkMap:
    """The people drawn and the links among them (weight 0..1); `total` is how many people there are."""

    nodes: list[Node]
    links: list[tuple[int, int, float]]
    total: int
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def sampled(self) -> bool:
        """True when only the strongest part of the network is drawn."""
        return self.total > len(self.nodes)


@dataclass(frozen=True)
class Returns:
    """Where your network came from: an event or organisation, people met there, ties still warm."""

    kind: str  # "event" or "organisation"
    name: str
    people: int
    lasting: int  # of them, ties still live (not dormant)
    opportunities: int = 0
    won: int = 0


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, as of `day`."""

    day: date
    counts: Counts
    strengths: list[float]  # one tie strength (0..100) per person
    strong_threshold: float
    tiers: list[TierRow]
    diversity: list[Diversity]
    growth: list[Month]
    reciprocity: Reciprocity
    brokerage: Brokerage
    network: NetworkMap
    returns: list[Returns] = field(default_factory=list)
