"""The meeting brief: one screen to read in the minute before meeting someone.

Who they are now and the tie; what they told you (the latest notes, newest first); what they care
about and need, and what you could offer that matches (resources you keep, people to introduce);
promises both ways; their milestones near today; common ground; and three openers, each citing the
row of the brief it came from (`Source.ref` equals that row's `ref`).

Everything is read through what tieline already computes: the person page's queries
(`repo.person_view`, `repo.interactions.timeline`), the favour ledger, open follow-ups,
`milestones.occasions`, `asks.Experts` (whom to introduce for a need), `asks.topics_match`
(resources on their topics) and `analytics.common` (common ground). Nothing is written.

Band: `never` (no contact), `dormant` (no contact for `dormant.days`), else `strong` from
`analytics.stats.STRONG` (50), else `weak`. Trend: `cooling` when past their cadence; otherwise the
interactions of the last TREND_DAYS against the TREND_DAYS before (among the latest NOTES_READ, which
the notes are read from too): more is `warming`, fewer `cooling`, as many `steady`; `new` before a
second interaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy.orm import Session

from tieline.analytics import common as common_mod
from tieline.analytics.stats import STRONG
from tieline.errors import NotFound
from tieline.repo import brief as brief_repo
from tieline.repo import interactions as interactions_repo
from tieline.repo import person_view as person_view_repo
from tieline.repo.person_view import PersonView
from tieline.services import asks as asks_service
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import milestones as milestones_service
from tieline.services import preferences, scoring
from tieline.validate import TIER_NAMES

NOTES_SHOWN = 5  # the latest interactions with notes
NOTES_READ = 50  # interactions read to find them (and to see the trend)
TREND_DAYS = 90
MILESTONES_BACK = 90  # logged milestones this recent count (a new job, a promotion)
YEARLY_BACK = 7  # a birthday or work anniversary this many days ago is still worth a word
MILESTONES_AHEAD = 30  # and coming up within this many days
RESOURCES_SHOWN = 3
COMMON_SHOWN = 3  # per section of common ground
OPENERS = 3


@dataclass(frozen=True)
class Source:
    """Where an opener came from: the brief's section and the row in it (`ref`), in words (`label`)."""

    section: str
    ref: str
    label: str


@dataclass(frozen=True)
class Who:
    """Who they are now, and how and since when you know them."""

    person_id: int
    name: str
    title: str | None
    company: str | None
    organisation: str | None  # their current organisation's name (a membership), else None
    role: str | None  # their role there
    location: str | None
    tier: int
    tier_name: str
    met_how: str | None
    met_where: str | None
    met_on: date | None
    since: date | None  # met_on, else the first contact, else when they were added


@dataclass(frozen=True)
class TieBrief:
    """The tie: strength now (0-100), band, trend, last contact and cadence."""

    strength: float
    band: str  # never, dormant, weak, strong
    trend: str  # new, warming, steady, cooling
    last_contact_at: datetime | None
    days_since_contact: int | None
    cadence_days: int | None
    next_due: date | None
    overdue: bool
    interactions: int


@dataclass(frozen=True)
class Note:
    """What they told you: one interaction's notes, with when and how."""

    ref: str
    interaction_id: int
    occurred_at: datetime
    kind: str
    subject: str | None
    notes: str
    others: list[str]


@dataclass(frozen=True)
class Topic:
    """Something they care about (interest), need (need) or know (expertise)."""

    ref: str
    kind: str
    value: str


@dataclass(frozen=True)
class Offer:
    """Something you could offer them: a resource you keep on one of their topics, or a person
    whose expertise meets one of their needs."""

    ref: str
    kind: str  # resource, introduction
    text: str
    topic: str  # their interest or need it answers
    resource_id: int | None = None
    url: str | None = None
    person_id: int | None = None  # the person to introduce them to


@dataclass(frozen=True)
class Promise:
    """Something owed: by you (`mine`: a follow-up, a promise, thanks) or by them (`theirs`)."""

    ref: str
    kind: str  # follow_up, promise, thanks, favours
    owed_by: str  # you, them
    text: str
    due_on: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Moment:
    """A milestone of theirs near today: logged (a new job), or a birthday or work anniversary."""

    ref: str
    kind: str
    on: date
    text: str
    days_from_today: int  # negative: that many days ago


@dataclass(frozen=True)
class Shared:
    """Common ground: an organisation, an event, a topic or a contact you share."""

    ref: str
    section: str  # organisations, events, topics, contacts
    kind: str
    label: str
    evidence: list[str]


@dataclass(frozen=True)
class Opener:
    """A suggested first line, and the row of the brief it was built from."""

    text: str
    source: Source


@dataclass(frozen=True)
class Brief:
    """Everything the brief shows, as plain data (no ORM object)."""

    who: Who
    tie: TieBrief
    notes: list[Note]
    cares: list[Topic]
    offers: list[Offer]
    promises: list[Promise]
    milestones: list[Moment]
    common: list[Shared]
    openers: list[Opener]
    today: date

    def refs(self) -> set[str]:
        """Every row's ref: what an opener's source may cite."""
        rows: list[Note | Topic | Offer | Promise | Moment | Shared] = [
            *self.notes, *self.cares, *self.offers, *self.promises, *self.milestones, *self.common,
        ]  # fmt: skip
        return {row.ref for row in rows} | {f"person:{self.who.person_id}"}


def brief_for(session: Session, *, owner_id: int, person_id: int, now: datetime) -> Brief:
    """The brief on one person as of `now`; NotFound when the owner has no such person."""
    session.flush()  # the reads below are Core statements: show what this transaction changed
    page = person_view_repo.person_page(session, owner_id=owner_id, person_id=person_id)
    if page is None:
        raise NotFound(f"no person with id {person_id}")
    person, tie = page.person, page.tie
    today = now.astimezone().date()
    prefs = preferences.load(session, owner_id=owner_id)
    timeline = interactions_repo.timeline(session, owner_id=owner_id, person_id=person_id, limit=NOTES_READ)
    tie_brief = _tie(person, tie, timeline, now=now, today=today, prefs=prefs)
    who = _who(person, page.memberships, tie)
    notes = [
        Note(f"interaction:{item.id}", item.id, item.occurred_at, item.kind, item.subject, item.notes.strip(),
             others)
        for item, others in timeline
        if item.notes and item.notes.strip()
    ][:NOTES_SHOWN]  # fmt: skip
    cares = [
        Topic(f"topic:{t.kind}:{t.value}", t.kind, t.value)
        for kind in ("need", "interest", "expertise")
        for t in person.topics
        if t.kind == kind
    ]
    offers = _offers(session, owner_id=owner_id, person=person, now=now)
    promises = _promises(session, owner_id=owner_id, person=person, today=today, prefs=prefs)
    milestones = _milestones(session, owner_id=owner_id, person=person, today=today)
    common = _common(session, owner_id=owner_id, person_id=person_id, now=now)
    parts = (notes, cares, offers, promises, milestones, common)
    return Brief(who, tie_brief, *parts, openers=_openers(who, *parts), today=today)


def _who(
    person: PersonView, memberships: list[person_view_repo.MembershipItem], tie: SimpleNamespace | None
) -> Who:
    # Where they are now: the employer their title names, else a current company, else any membership.
    ongoing = [m for m in memberships if m.end_date is None]
    current = next(
        (m for m in ongoing if person.company and m.organisation.name == person.company),
        next((m for m in ongoing if m.organisation.kind == "company"), ongoing[0] if ongoing else None),
    )
    first = tie.first_contact_at if tie is not None else None
    since = person.met_on or (first.astimezone().date() if first else None)
    if since is None and person.created_at is not None:
        since = person.created_at.astimezone().date()
    return Who(
        person_id=person.id,
        name=person.display_name,
        title=person.title,
        company=person.company,
        organisation=current.organisation.name if current else None,
        role=current.role if current else None,
        location=person.location,
        tier=person.tier,
        tier_name=TIER_NAMES[person.tier],
        met_how=person.met_how,
        met_where=person.met_where,
        met_on=person.met_on,
        since=since,
    )


def _tie(
    person: PersonView,
    tie: SimpleNamespace | None,
    timeline: list[interactions_repo.TimelineEntry],
    *,
    now: datetime,
    today: date,
    prefs: preferences.Preferences,
) -> TieBrief:
    strength = scoring.strength(person, tie, at=now, prefs=prefs).total
    cadence = scoring.cadence_days(person, prefs)
    last = person.last_contact_at
    days = (today - last.astimezone().date()).days if last else None
    since = last or person.created_at
    next_due = since.astimezone().date() + timedelta(days=cadence) if cadence and since else None
    overdue = next_due is not None and next_due < today
    count = int(tie.interactions or 0) if tie is not None else len(timeline)
    if days is None:
        band = "never"
    elif days > int(prefs["dormant.days"]):
        band = "dormant"
    else:
        band = "strong" if strength >= STRONG else "weak"
    return TieBrief(
        strength=round(strength, 1),
        band=band,
        trend=_trend(timeline, count=count, overdue=overdue, now=now),
        last_contact_at=last,
        days_since_contact=days,
        cadence_days=cadence,
        next_due=next_due,
        overdue=overdue,
        interactions=count,
    )


def _trend(
    timeline: list[interactions_repo.TimelineEntry], *, count: int, overdue: bool, now: datetime
) -> str:
    if count < 2:
        return "new"
    if overdue:
        return "cooling"
    recent_from, earlier_from = now - timedelta(days=TREND_DAYS), now - timedelta(days=2 * TREND_DAYS)
    recent = sum(1 for e in timeline if recent_from < e.interaction.occurred_at <= now)
    earlier = sum(1 for e in timeline if earlier_from < e.interaction.occurred_at <= recent_from)
    return "warming" if recent > earlier else "cooling" if recent < earlier else "steady"


def _offers(session: Session, *, owner_id: int, person: PersonView, now: datetime) -> list[Offer]:
    """Resources you keep on their needs and interests (not shared with them yet; topics matched by
    `asks.topics_match`), then for each need the strongest tie whose expertise meets it, as
    `asks.Experts` ranks them for `tieline ask`'s give-first proposals (up to MAX_INTRODUCTIONS)."""
    wanted = person.topic_values("need") + person.topic_values("interest")
    offers: list[Offer] = []
    if wanted:
        for resource in brief_repo.resources_not_shared(session, owner_id=owner_id, person_id=person.id):
            topic = next(
                (w for w in wanted for t in resource.topics if asks_service.topics_match(w, t)), None
            )
            if topic is None:
                continue
            what = resource.title or resource.url
            offers.append(
                Offer(f"resource:{resource.id}", "resource", f"share {what} ({resource.kind})", topic,
                      resource_id=resource.id, url=resource.url)
            )  # fmt: skip
            if len(offers) >= RESOURCES_SHOWN:
                break
    if person.topic_values("need"):
        at = datetime.combine(now.astimezone().date(), time(12, 0)).astimezone()
        experts = asks_service.Experts(session, owner_id=owner_id, at=at)
        for need in person.topic_values("need"):
            best = next((e for e in experts.ranked(need) if e.person_id != person.id), None)
            if best is None or any(o.person_id == best.person_id for o in offers):
                continue
            offers.append(
                Offer(f"introduction:{best.person_id}:{need}", "introduction",
                      f"introduce them to {best.name} (expertise: {best.topic})", need,
                      person_id=best.person_id)
            )  # fmt: skip
            if sum(o.kind == "introduction" for o in offers) >= asks_service.MAX_INTRODUCTIONS:
                break
    return offers


def _promises(
    session: Session, *, owner_id: int, person: PersonView, today: date, prefs: preferences.Preferences
) -> list[Promise]:
    """Open follow-ups and promises (soonest due first), thanks you owe, and the favour balance."""
    found = [
        Promise(f"followup:{f.id}", "promise" if f.is_promise else "follow_up", "you", f.text, f.due_on,
                f.due_on < today)
        for f in followups_service.open_for(session, owner_id=owner_id, person_id=person.id)
    ]  # fmt: skip
    ledger = favours_service.person_ledger(
        session, owner_id=owner_id, person_id=person.id, name=person.display_name
    )
    for favour in ledger.thanks_owed:
        due = favours_service.thanks_due_on(favour.occurred_at, int(prefs["thanks.due_days"]))
        what = favour.text or favour.kind
        found.append(
            Promise(f"favour:{favour.id}", "thanks", "you", f"thank them for {what}", due, due < today)
        )
    balance = ledger.balance
    if balance.balance:
        owed_by = "you" if balance.owe_them else "them"
        found.append(Promise("favours:balance", "favours", owed_by, balance.explain()))
    return found


def _milestones(session: Session, *, owner_id: int, person: PersonView, today: date) -> list[Moment]:
    occasions = milestones_service.occasions(
        session,
        owner_id=owner_id,
        person=person,
        day=today,
        back=MILESTONES_BACK,
        ahead=MILESTONES_AHEAD,
    )
    moments = []
    for o in occasions:
        days = (o.on - today).days
        if o.kind in ("birthday", "work_anniversary") and days < -YEARLY_BACK:
            continue
        moments.append(Moment(f"milestone:{o.kind}:{o.on.isoformat()}", o.kind, o.on, o.text, days))
    return moments


# How an opener says what is shared, by the common-ground section it came from.
_SHARED = {
    "organisations": "you were both there",
    "events": "you were both there",
    "topics": "it matters to you both",
    "contacts": "you both know them",
}


def _common(session: Session, *, owner_id: int, person_id: int, now: datetime) -> list[Shared]:
    ground = common_mod.by_section(common_mod.common_ground(session, owner_id=owner_id, b=person_id, now=now))
    found = []
    for section in ("organisations", "events", "topics", "contacts"):
        for item in getattr(ground, section)[:COMMON_SHOWN]:
            evidence = [item.overlap_text] if item.overlap_text else list(item.evidence)
            found.append(Shared(f"common:{item.kind}:{item.label}", section, item.kind, item.label, evidence))
    return found


def _openers(
    who: Who,
    notes: list[Note],
    cares: list[Topic],
    offers: list[Offer],
    promises: list[Promise],
    milestones: list[Moment],
    common: list[Shared],
) -> list[Opener]:
    """Up to three first lines, in this order of preference: a milestone near today, the latest
    thing they told you, a promise you owe, something to offer, a need or interest, common ground."""
    found: list[Opener] = []
    for m in milestones[:1]:
        days = m.days_from_today
        when = "today" if days == 0 else f"in {days} days" if days > 0 else f"{-days} days ago"
        text = (
            f"{_capital(m.text)} is {when}: wish them well."
            if days > 0
            else f"Congratulate them on {m.text} ({when})."
        )
        found.append(Opener(text, Source("milestones", m.ref, f"{m.kind} on {m.on.isoformat()}")))
    for n in notes[:1]:
        said = n.subject or _first_words(n.notes)
        day = n.occurred_at.astimezone().date().isoformat()
        text = f"Pick up where you left off on {day} ({n.kind}): \u201c{said}\u201d"
        found.append(Opener(text, Source("notes", n.ref, f"{n.kind} on {day}")))
    for p in [p for p in promises if p.owed_by == "you" and p.kind != "favours"][:1]:
        lead = {"promise": "Keep your promise: ", "follow_up": "Follow up: "}.get(p.kind, "")
        text = f"{lead}{p.text}." if lead else f"{_capital(p.text)}."
        found.append(Opener(text, Source("promises", p.ref, p.kind.replace("_", " "))))
    for o in offers[:1]:
        found.append(Opener(f"Offer to {o.text}, for {o.topic}.", Source("offers", o.ref, o.kind)))
    for t in cares[:1]:
        ask = "how it is going with" if t.kind == "need" else "what is new in"
        found.append(Opener(f"Ask {ask} {t.value}.", Source("cares", t.ref, f"{t.kind}: {t.value}")))
    for c in common[:1]:
        found.append(Opener(f"Bring up {c.label}: {_SHARED.get(c.section, 'you share it')}.",
                            Source("common", c.ref, c.kind)))  # fmt: skip
    if not found:
        found.append(Opener(f"Ask {who.name} what they are working on these days.",
                            Source("who", f"person:{who.person_id}", "who they are")))  # fmt: skip
    return found[:OPENERS]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _first_words(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "\u2026"
