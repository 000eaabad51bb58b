"""Something to say: one piece of context for each line shown, for the conversation it asks for.

Fetched only for the few lines shown (the agenda ranks thousands of lines and builds five): one query
for topics, one for roles, and a short index walk per person shown for their latest talks. One piece
per line, the first of these that the line does not already say:

1. the last thing you talked about (the notes, else the subject, of your latest written interaction);
2. their open need ("what Ana is looking for: a designer"), a chance to give first;
3. their recent job change (a company role or a new-job / promotion milestone in the last 180 days);
4. an interest you share (their interests and expertise against yours, setting `me.interests`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from tieline.dates import spoken_day
from tieline.repo import agenda_people as agenda_people_repo
from tieline.repo import graph as graph_repo
from tieline.repo.agenda_people import RoleRow, TalkRow
from tieline.repo.graph import Topic
from tieline.services.agenda.items import AgendaContext, AgendaItem
from tieline.text import fold

# A role started within this many days is news worth mentioning.
ROLE_NEWS_DAYS = 180
# The latest few written interactions are read, to skip the notes the agenda wrote itself.
TALKS_READ = 3
SNIPPET_CHARS = 90
# Notes logged by `done` on an agenda line say nothing about the conversation.
AGENDA_NOTE_SUFFIX = "(from the agenda)"


def add(ctx: AgendaContext, items: list[AgendaItem]) -> None:
    """Give each item about a person one thing to talk about, where there is one."""
    ids = sorted({item.person_id for item in items if item.person_id is not None})
    if not ids:
        return
    talks: dict[int, list[TalkRow]] = defaultdict(list)
    for talk in agenda_people_repo.latest_talks(
        ctx.session, owner_id=ctx.owner_id, person_ids=ids, per_person=TALKS_READ
    ):
        talks[talk.person_id].append(talk)
    topics: dict[int, list[Topic]] = defaultdict(list)
    for topic in graph_repo.topics_of(ctx.session, owner_id=ctx.owner_id, person_ids=ids):
        topics[topic.person_id].append(topic)
    roles: dict[int, list[RoleRow]] = defaultdict(list)
    for role in agenda_people_repo.roles_started(
        ctx.session,
        owner_id=ctx.owner_id,
        person_ids=ids,
        since=ctx.day - timedelta(days=ROLE_NEWS_DAYS),
        until=ctx.day,
    ):
        roles[role.person_id].append(role)
    mine = {fold(value) for value in ctx.prefs["me.interests"] or []}
    for item in items:
        if item.person_id is None:
            continue
        pid = item.person_id
        said = fold(" ".join([item.title, *item.reasons]))
        for text in _pieces(ctx, item, talks[pid], topics[pid], roles[pid], mine):
            if text and not _already_said(text, said):
                item.context = text
                break


def _pieces(
    ctx: AgendaContext,
    item: AgendaItem,
    talks: list[TalkRow],
    topics: list[Topic],
    roles: list[RoleRow],
    mine: set[str],
) -> Iterator[str | None]:
    """The candidate pieces for a line, in the order of the module's docstring."""
    first = (item.person_name or "they").split(" ")[0]
    yield last_talk(talks, ctx)
    if item.kind != "give_first":  # its reasons already offer what would meet their needs
        yield open_need(first, topics)
    if item.kind != "congratulate":  # the congratulation is about the news itself
        yield job_change(first, roles, ctx)
    yield shared_interest(topics, mine)


def last_talk(talks: list[TalkRow], ctx: AgendaContext) -> str | None:
    """ "last time (coffee on 12 January): the Berlin move"."""
    for talk in talks:
        text = " ".join((talk.notes or "").split()) or " ".join((talk.subject or "").split())
        if not text or text.endswith(AGENDA_NOTE_SUFFIX):
            continue
        if len(text) > SNIPPET_CHARS:
            text = text[: SNIPPET_CHARS - 1].rstrip() + "…"
        when = spoken_day(talk.occurred_at.astimezone().date(), today=ctx.day)
        return f"last time ({talk.kind.replace('_', ' ')} {when}): {text}"
    return None


def open_need(first: str, topics: list[Topic]) -> str | None:
    """ "what Ana is looking for: a designer and funding"."""
    needs = [t.value for t in topics if t.kind == "need"]
    return f"what {first} is looking for: {' and '.join(needs[:2])}" if needs else None


def job_change(first: str, roles: list[RoleRow], ctx: AgendaContext) -> str | None:
    """ "Ana started as CTO at Beta on 2 February" (the newest role started lately)."""
    if not roles:
        return None
    role = roles[0]
    when = spoken_day(role.started_on, today=ctx.day)
    if role.kind == "membership":
        as_role = f" as {role.role}" if role.role else ""
        return f"{first} started{as_role} at {role.organisation} {when}"
    what = "was promoted" if role.kind == "promotion" else "started a new job"
    return f"{first} {what}{': ' + role.role if role.role else ''} ({when.removeprefix('on ')})"


def shared_interest(topics: list[Topic], mine: set[str]) -> str | None:
    """ "you both care about climbing"."""
    for topic in topics:
        if topic.kind in ("interest", "expertise") and fold(topic.value) in mine:
            return f"you both care about {topic.value}"
    return None


def _already_said(text: str, said: str) -> bool:
    """Whether the line already says this piece (its words after the label, e.g. a note quoted)."""
    tail = fold(text.split(": ", 1)[-1])
    return bool(tail) and tail in said
