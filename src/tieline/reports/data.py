"""What a report shows, as plain data, filled by `gather.py`, drawn by `charts.py` and
`network_map.py`. Rendering never touches the database. The analytics' own dataclasses are used as
they are; only the shapes a chart needs differently (groups sorted for drawing, brokerage left
unmeasured as None) are declared here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tieline.analytics.brokerage import NetworkMap
from tieline.analytics.stats import Counts, Month, Reciprocity, Returns, TierCount


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
class Brokerage:
    """Burt's measures over your ego network, and the people bridging otherwise separate groups."""

    alters: int  # people in your ego network (a positive tie)
    constraint: float | None  # None with no one to measure
    effective_size: float | None
    efficiency: float | None
    bridges: list[str] = field(default_factory=list)  # names, strongest bridge first


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, as of `day`."""

    day: date
    counts: Counts
    strengths: list[float]  # one tie strength (0..100) per person
    strong_threshold: float
    tiers: list[TierCount]
    diversity: list[Diversity]
    growth: list[Month]
    reciprocity: Reciprocity
    brokerage: Brokerage
    network: NetworkMap
    returns: list[Returns] = field(default_factory=list)
