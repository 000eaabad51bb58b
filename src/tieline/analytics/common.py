"""Common ground: what you share with a person, or what two people share, ranked, each item with
its evidence. Set-based queries over just these people (never the whole graph).

Kinds and their weight in the ranking (a shared past counts less than a shared present):
school (alumni network) 3; employer 3 now, 2 in the past (one of them); other organisation 2;
event 2; expertise 1.5, interest 1 (and the same need 1); tag 1; industry 0.5; location 0.5;
mutual contact: 2 x the weaker of the two links (your tie strength / 100 when one side is you).
The person page shows them by section (`by_section`): organisations with when you overlapped,
events, interests and topics, anything else, then the mutual contacts, each item in one section.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from tieline.analytics.graph import links_around
from tieline.repo import graph as graph_repo
from tieline.services import organisations as organisations_service
from tieline.services import preferences
from tieline.text import fold

WEIGHTS = {
    "school": 3.0,
    "employer": 3.0,
    "organisation": 2.0,
    "event": 2.0,
    "expertise": 1.5,
    "interest": 1.0,
    "need": 1.0,
    "tag": 1.0,
    "industry": 0.5,
    "location": 0.5,
}
MUTUAL_WEIGHT = 2.0
MUTUAL_SHOWN = 10
# The strongest things in common on a person's page (`tieline show`, the web page);
# `tieline common PERSON` lists them all.
COMMON_SHOWN = 5


@dataclass(frozen=True)
class CommonItem:
    """One thing in common: its kind, a label, a weight for ranking and the evidence for it."""

    kind: str  # school, employer, organisation, event, expertise, interest, need, tag, industry, location, contact
    label: str
    weight: float
    evidence: list[str] = field(default_factory=list)
    person_id: int | None = None  # the mutual contact, for kind contact
    # For an organisation: when both were in it together (the end None while both still are).
    overlap: tuple[date, date | None] | None = None

    @property
    def overlap_text(self) -> str:
        """When both were in the organisation together, in words ("" when unknown or never)."""
        if self.overlap is None:
            return ""
        start, end = self.overlap
        if end is None:
            return f"together since {start.isoformat()}"
        return f"together {start.isoformat()} to {end.isoformat()}"


@dataclass(frozen=True)
class CommonGround:
    """What `a` (None: you) and `b` share, strongest first."""

    a_id: int | None
    a_name: str
    b_id: int
    b_name: str
    items: list[CommonItem]
    mutual_contacts: int  # all of them, though only the strongest are listed

    @property
    def score(self) -> float:
        """The sum of the weights: how much there is to talk about."""
        return round(sum(i.weight for i in self.items), 3)


# The person page's "What you share", one section per sort of thing; every item lands in one.
SECTIONS = {
    "organisations": ("school", "employer", "organisation"),
    "events": ("event",),
    "topics": ("expertise", "interest", "need"),
    "also": ("tag", "industry", "location"),
    "contacts": ("contact",),
}
_SECTION_OF = {kind: name for name, kinds in SECTIONS.items() for kind in kinds}


@dataclass(frozen=True)
class SharedGround:
    """What you share with a person, by section, strongest first in each: organisations (with when
    you overlapped), events, interests and topics, anything else, and the mutual contacts (the
    strongest listed, `contacts_total` in all)."""

    person_id: int
    organisations: list[CommonItem]
    events: list[CommonItem]
    topics: list[CommonItem]
    also: list[CommonItem]
    contacts: list[CommonItem]
    contacts_total: int


def by_section(ground: CommonGround) -> SharedGround:
    """Common ground split into the person page's sections, each item in exactly one."""
    sections: dict[str, list[CommonItem]] = {name: [] for name in SECTIONS}
    for item in ground.items:
        sections[_SECTION_OF[item.kind]].append(item)
    return SharedGround(ground.b_id, **sections, contacts_total=ground.mutual_contacts)


def _org_kind(kind: str) -> str:
    if kind in ("school", "alumni_network"):
        return "school"
    return "employer" if kind == "company" else "organisation"


def _memberships(
    session: Session, *, owner_id: int, a: int | None, b: int, today: date, who: dict[int | None, str]
) -> list[CommonItem]:
    """Organisations both belong (or belonged) to, the most specific shared one of each line: one in
    Acme's data team and the other in its sales team share Acme (services.organisations)."""
    items = []
    for shared in organisations_service.common_memberships(
        session, owner_id=owner_id, person_id=b, other_id=a, today=today
    ):
        group = _org_kind(shared.organisation.kind)
        sides = {a: shared.mine, b: shared.theirs}
        both_now = all(
            any(organisations_service.is_current(m, today=today) for m in side) for side in sides.values()
        )
        weight = WEIGHTS[group] if both_now or group != "employer" else 2.0
        evidence = [
            _span(who[person], [(m.role, m.start_date, m.end_date) for m in sides[person]])
            for person in (a, b)
        ]
        label = shared.organisation.name + ("" if both_now or group != "employer" else " (in the past)")
        overlap = None
        if shared.overlap is not None:
            start, end = shared.overlap  # open memberships overlap until today: still together
            overlap = (start, None if end >= today else end)
        items.append(CommonItem(group, label, weight, evidence, overlap=overlap))
    return items


def _span(who: str, spans: list[tuple[str | None, date | None, date | None]]) -> str:
    parts = []
    for role, start, end in spans:
        when = f"{start.isoformat() if start else '?'} to {end.isoformat() if end else 'now'}"
        parts.append(f"{role}, {when}" if role else when)
    return f"{who}: " + "; ".join(parts)


def common_ground(
    session: Session, *, owner_id: int, b: int, now: datetime, a: int | None = None
) -> CommonGround:
    """What you (a None) or person `a` share with person `b`; ids must be the owner's people."""
    today = now.date()
    ids = [b] if a is None else [a, b]
    people = {int(p.id): p for p in graph_repo.people_by_ids(session, owner_id=owner_id, person_ids=ids)}
    who = {pid: person.display_name for pid, person in people.items()} | {None: "you"}
    items = _memberships(session, owner_id=owner_id, a=a, b=b, today=today, who=who)
    items += _events(session, owner_id=owner_id, a=a, b=b)
    items += _topics(session, owner_id=owner_id, a=a, b=b)
    if a is not None:
        tags: dict[str, set[int]] = defaultdict(set)
        for pid, tag in graph_repo.tags_of(session, owner_id=owner_id, person_ids=ids):
            tags[fold(tag)].add(pid)
        items += [
            CommonItem("tag", t, WEIGHTS["tag"], ["both tagged"]) for t, who in tags.items() if len(who) == 2
        ]
        for kind in ("industry", "location"):
            x, y = getattr(people[a], kind), getattr(people[b], kind)
            if x and y and fold(x) == fold(y):
                items.append(CommonItem(kind, y, WEIGHTS[kind], [f"both in {y}"]))
    mutual, total = _mutual(session, owner_id=owner_id, a=a, b=b, now=now)
    items += mutual[:MUTUAL_SHOWN]
    items.sort(key=lambda i: (-i.weight, i.kind, i.label))
    a_name = "you" if a is None else people[a].display_name
    return CommonGround(a, a_name, b, people[b].display_name, items, total)


def _events(session: Session, *, owner_id: int, a: int | None, b: int) -> list[CommonItem]:
    # Events are the owner's own: everyone you met at one shares it with you.
    rows = graph_repo.events_of(session, owner_id=owner_id, person_ids=[b] if a is None else [a, b])
    seen: dict[int, set[int]] = defaultdict(set)
    info: dict[int, tuple[str, date]] = {}
    for attended in rows:
        seen[attended.event_id].add(attended.person_id)
        info[attended.event_id] = (attended.name, attended.starts_on)
    wanted = 1 if a is None else 2
    return [
        CommonItem("event", info[e][0], WEIGHTS["event"], [f"{info[e][1].isoformat()}: both there"])
        for e, who in seen.items()
        if len(who) == wanted
    ]


def _topics(session: Session, *, owner_id: int, a: int | None, b: int) -> list[CommonItem]:
    theirs: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    ids = [b] if a is None else [a, b]
    for pid, kind, value in graph_repo.topics_of(session, owner_id=owner_id, person_ids=ids):
        theirs[pid][fold(value)][kind] = value
    if a is None:
        prefs = preferences.load(session, owner_id=owner_id)
        mine = {fold(v): {"interest": v} for v in prefs["me.interests"] or []}
    else:
        mine = theirs[a]
    items = []
    for key, kinds in theirs[b].items():
        if key not in mine:
            continue
        shared = [k for k in ("expertise", "interest", "need") if k in kinds or k in mine[key]]
        kind = max(shared, key=lambda k: WEIGHTS[k])
        side_a = ", ".join(sorted(mine[key])) if a is not None else "your interest"
        evidence = [f"{'you' if a is None else 'one'}: {side_a}", f"they: {', '.join(sorted(kinds))}"]
        items.append(CommonItem(kind, kinds.get(kind) or next(iter(kinds.values())), WEIGHTS[kind], evidence))
    return items


def _mutual(
    session: Session, *, owner_id: int, a: int | None, b: int, now: datetime
) -> tuple[list[CommonItem], int]:
    ids = [b] if a is None else [a, b]
    links = links_around(session, owner_id=owner_id, now=now, person_ids=ids)
    near: dict[int, dict[int, tuple[float, list[tuple[str, str]]]]] = {p: {} for p in ids}
    for (x, y), link in links.items():
        for me, other in ((x, y), (y, x)):
            if me in near and other not in ids:
                near[me][other] = (link.strength, link.evidence)
    if a is None:
        strengths = graph_repo.strengths_of(session, owner_id=owner_id, person_ids=list(near[b]))
        candidates = {
            p: (strengths[p] / 100.0, [("tie", f"your tie strength {strengths[p]:.0f}")])
            for p in near[b]
            if strengths.get(p, 0) > 0
        }
    else:
        candidates = near[a]
    shared = sorted(
        (p for p in candidates if p in near[b]), key=lambda p: (-min(candidates[p][0], near[b][p][0]), p)
    )
    # Names for the strongest only (a hub can share thousands); archived people drop out here.
    shown = shared[: 3 * MUTUAL_SHOWN]
    found = {int(f.id): f for f in graph_repo.people_by_ids(session, owner_id=owner_id, person_ids=shown)}
    items = []
    for p in shown:
        if p not in found or found[p].archived:
            continue
        first, second = candidates[p], near[b][p]
        evidence = [
            f"{'you' if a is None else 'one'}: " + "; ".join(d for _, d in first[1][:2]),
            "they: " + "; ".join(d for _, d in second[1][:2]),
        ]
        weight = round(MUTUAL_WEIGHT * min(first[0], second[0]), 3)
        items.append(CommonItem("contact", found[p].display_name, weight, evidence, person_id=p))
    items.sort(key=lambda i: (-i.weight, i.label))
    return items, len(shared)
