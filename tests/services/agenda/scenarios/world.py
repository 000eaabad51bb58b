"""A small network built through the services, on the tests' fixed Tuesday, and its agenda.

Each scenario builds the few people it needs, then reads the top of the day as `tieline today` does
(the daily cap, five by default) and checks what must and must not be there, and the words why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tieline.importers.records import ImportOptions, InteractionRecord, Origin
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import agenda, preferences
from tieline.services import asks as asks_service
from tieline.services import events as events_service
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service
from tieline.services import mentorship as mentorship_service
from tieline.services import milestones as milestones_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem, AgendaView
from tieline.services.importing import save as importing_save
from tieline.services.people import PersonChanges

OWNER = LOCAL_OWNER_ID
DAY = date(2026, 3, 10)  # a Tuesday
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def noon(day: date) -> datetime:
    """Noon UTC (the tests run in UTC) on a day."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def ago(days: int) -> datetime:
    """Noon, `days` before the fixed Tuesday."""
    return noon(DAY - timedelta(days=days))


@dataclass
class World:
    """One owner's network, written through the services, and the agenda it makes."""

    session: Session
    mail_count: int = field(default=0)

    # --- people and what happened with them ------------------------------------------------------

    def person(
        self,
        name: str,
        *,
        tier: int = 4,
        added: int = 0,
        lists: dict[str, list[str]] | None = None,
        **values: object,
    ) -> Person:
        """Someone added `added` days ago (their cadence counts from then until a first contact)."""
        person = people_service.add_person(
            self.session,
            owner_id=OWNER,
            name=name,
            changes=PersonChanges(set={"tier": tier, **values}, add=lists or {}),
            today=DAY,
            now=ago(added),
        )
        self.session.flush()
        return person

    def correspondent(self, name: str, **values: object) -> Person:
        """Someone you email with: their address is their name at example.org ("ana.lima@example.org")."""
        address = name.lower().replace(" ", ".") + "@example.org"
        return self.person(name, lists={"emails": [address]}, **values)

    def talk(
        self,
        person: Person,
        days_ago: int,
        kind: str = "coffee",
        *,
        notes: str | None = None,
        by: str | None = None,
    ) -> None:
        """A contact with them, `days_ago` days before today."""
        interactions_service.log_interaction(
            self.session, owner_id=OWNER, kind=kind, people=[person], when=ago(days_ago), notes=notes,
            initiated_by=by, now=ago(days_ago),
        )  # fmt: skip

    def mail(
        self,
        sender: Person | None,
        days_ago: int,
        subject: str | None,
        *,
        to: list[Person] | None = None,
        to_me_alone: bool = False,
    ) -> None:
        """An email `days_ago` days ago, stored as an mbox import stores it: from `sender` (None: from
        you) to you and the people `to`."""
        self.mail_count += 1
        people = [p for p in (sender, *(to or [])) if p is not None]
        record = InteractionRecord(
            source="mbox",
            source_id=f"message-{self.mail_count}@example.org",
            origin=Origin("scenario.mbox", self.mail_count),
            kind="email",
            occurred_at=ago(days_ago),
            initiated_by="them" if sender is not None else "me",
            subject=subject,
            emails=[p.emails[0].address for p in people],
            addressed_to_me_alone=to_me_alone,
        )
        importing_save.save(
            self.session, [record], owner_id=OWNER, fmt="mbox", path="scenario.mbox", options=ImportOptions(),
            now=ago(days_ago),
        )  # fmt: skip
        self.session.flush()

    def wrote_to_me(self, person: Person, days_ago: int, subject: str | None = None) -> None:
        """An email from them to you alone, `days_ago` days ago."""
        self.mail(person, days_ago, subject, to_me_alone=True)

    def friend(
        self, name: str, *, tier: int, silent: int, closeness: int | None = None, **values: object
    ) -> Person:
        """Someone you talked with a few times, the last time `silent` days ago."""
        person = self.person(name, tier=tier, added=silent + 400, closeness=closeness, **values)
        for gap in (60, 30, 0):
            self.talk(person, silent + gap, "meeting")
        return person

    def helped_me(
        self, person: Person, kind: str = "advice", days_ago: int = 0, text: str | None = None
    ) -> None:
        """Help received from them, not thanked yet."""
        favours_service.record_favour(
            self.session, owner_id=OWNER, person=person, direction="received", kind=kind, when=ago(days_ago),
            now=ago(days_ago), text=text,
        )  # fmt: skip

    def helped_them(self, person: Person, kind: str = "advice", days_ago: int = 0) -> None:
        """Help given to them."""
        favours_service.record_favour(
            self.session, owner_id=OWNER, person=person, direction="given", kind=kind, when=ago(days_ago),
            now=ago(days_ago),
        )  # fmt: skip

    def thank(self, person: Person) -> None:
        """A thank-you logged now."""
        favours_service.thank(self.session, owner_id=OWNER, person=person, now=NOW)

    def promise(self, person: Person, text: str, due_in: int = 0) -> None:
        """A promise made to them, due `due_in` days from today (negative: already late)."""
        followups_service.add_followup(
            self.session,
            owner_id=OWNER,
            person=person,
            text=text,
            due_on=DAY + timedelta(days=due_in),
            is_promise=True,
        )

    def reminder(self, person: Person, text: str, due_in: int = 0) -> None:
        """A follow-up you set yourself, due `due_in` days from today."""
        followups_service.add_followup(
            self.session, owner_id=OWNER, person=person, text=text, due_on=DAY + timedelta(days=due_in)
        )

    def met_at(self, event: str, names: list[str], days_ago: int, note: str | None = None) -> list[Person]:
        """People met at an event `days_ago` days ago (new ones are created), each owed a follow-up."""
        on = DAY - timedelta(days=days_ago)
        found = events_service.add_event(self.session, owner_id=OWNER, name=event, starts_on=on)
        met = events_service.meet(
            self.session, owner_id=OWNER, event=found, names=names, note=note, now=noon(on)
        )
        return [e.person for e in met]

    def news(self, person: Person, kind: str, days_ago: int, text: str | None = None) -> None:
        """A milestone of theirs (a new job, a promotion...) `days_ago` days ago."""
        milestones_service.add_milestone(
            self.session, owner_id=OWNER, person=person, kind=kind, occurred_on=DAY - timedelta(days=days_ago),
            text=text,
        )  # fmt: skip

    def joined(self, person: Person, company: str, role: str | None, days_ago: int) -> None:
        """They started a role at a company `days_ago` days ago."""
        org = organisations_service.ensure_organisation(
            self.session, owner_id=OWNER, name=company, kind="company"
        )
        organisations_service.add_membership(
            self.session, person=person, organisation=org, role=role, since=DAY - timedelta(days=days_ago)
        )
        self.session.flush()

    def plan_ask(self, person: Person, text: str) -> None:
        """An ask you plan to make of them."""
        asks_service.plan_ask(self.session, owner_id=OWNER, person=person, text=text, day=DAY, now=NOW)

    def mentee(self, person: Person, since_days: int) -> None:
        """They are your mentee since `since_days` days ago."""
        mentorship_service.set_relation(
            self.session,
            owner_id=OWNER,
            person=person,
            today=DAY,
            kind="mentee",
            since=DAY - timedelta(days=since_days),
        )

    def setting(self, key: str, value: str) -> None:
        """Change one of the owner's settings."""
        preferences.set_value(self.session, owner_id=OWNER, key=key, value=value)

    # --- the agenda ------------------------------------------------------------------------------

    def agenda(self, day: date = DAY, limit: int | None = None) -> AgendaView:
        """The agenda as `tieline today` shows it on `day` (today now, another day at noon)."""
        return agenda.agenda_for(
            self.session, owner_id=OWNER, day=day, now=NOW if day == DAY else noon(day), limit=limit
        )

    def top(self, day: date = DAY) -> list[AgendaItem]:
        """The lines shown on `day`, best first."""
        return self.agenda(day).items

    def shown(self, day: date = DAY) -> list[tuple[str, str | None]]:
        """(kind, person) of each line shown on `day`, best first."""
        return [(item.kind, item.person_name) for item in self.top(day)]

    def line(self, name: str, kind: str | None = None, day: date = DAY) -> AgendaItem:
        """The one line shown about `name` (of `kind`) on `day`."""
        [found] = [i for i in self.top(day) if i.person_name == name and (kind is None or i.kind == kind)]
        return found

    def snooze(self, item: AgendaItem, days: int) -> None:
        """Snooze a line, as the Snooze button does."""
        agenda.snooze(self.session, owner_id=OWNER, ref=item.key, days=days, now=NOW)

    def dismiss(self, item: AgendaItem) -> None:
        """Dismiss a line, as the Dismiss button does."""
        agenda.dismiss(self.session, owner_id=OWNER, ref=item.key, now=NOW)

    def done(self, item: AgendaItem) -> None:
        """Mark a line done, as `tieline done` does."""
        agenda.done(self.session, owner_id=OWNER, ref=item.key, now=NOW)
        self.session.flush()


def kinds(items: list[AgendaItem]) -> list[str]:
    """The kind of each line."""
    return [item.kind for item in items]


def people_in(items: list[AgendaItem]) -> set[str | None]:
    """Everyone a line is about."""
    return {item.person_name for item in items}
