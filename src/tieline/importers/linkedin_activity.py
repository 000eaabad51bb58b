"""LinkedIn activity: messages (with direction), invitations, and endorsements received.

A participant is named by the normalised profile URL when the export gives one (the same id the
connection carries), else by the connection of that name, else by a name-only id that matches
nobody unless people are created for unknown participants.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from tieline.importers.records import FavourRecord, InteractionRecord, Origin, Record, SkippedRecord
from tieline.importers.tabular import Table, digest, html_to_text, parse_datetime
from tieline.services.identity import linkedin_key
from tieline.text import fold

SOURCE = "linkedin"
PLACEHOLDERS = {"linkedin member", "linkedin user", ""}


def participant_id(name: str, url: str, by_name: dict[str, str]) -> str | None:
    """The person source id of a message or invitation participant, None for a hidden member."""
    if key := linkedin_key(url):
        return key
    folded = fold(name)
    if folded in PLACEHOLDERS:
        return None
    return by_name.get(folded) or f"name:{folded}"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def _get(row: dict[str, str], *names: str) -> str:
    lowered = {k.lower(): v for k, v in row.items()}
    for name in names:
        if lowered.get(name.lower()):
            return lowered[name.lower()]
    return ""


@dataclass
class _Conversations:
    """What one pass over messages.csv tells before any message is read as an interaction: who the
    owner is and which message is the last of each conversation. Holds what is distinct (names,
    conversations), never the rows."""

    # folded name -> the conversations it appears in (to guess the owner when nobody said who it is)
    appearances: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # folded names the old layout's DIRECTION column shows to be the owner's
    owner_by_direction: set[str] = field(default_factory=set)
    # folded sender name -> the sender profile URLs given with it
    sender_urls: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    latest: dict[str, tuple[datetime, int]] = field(default_factory=dict)

    def add(self, line: int, row: dict[str, str], *, guess_owner: bool) -> None:
        """Take in one row."""
        sender, to = _get(row, "FROM"), _get(row, "TO")
        conversation = _get(row, "CONVERSATION ID")
        if guess_owner:
            key = conversation or digest(*sorted((sender, to)))
            for name in [sender, *_split(to)]:
                if fold(name) not in PLACEHOLDERS:
                    self.appearances[fold(name)].add(key)
        direction, recipients = _get(row, "DIRECTION").upper(), _split(to)
        if direction == "OUTGOING":
            self.owner_by_direction.add(fold(sender))
        elif direction == "INCOMING" and len(recipients) == 1:
            self.owner_by_direction.add(fold(recipients[0]))
        if url := _get(row, "SENDER PROFILE URL"):
            self.sender_urls[fold(sender)].add(url)
        when = parse_datetime(_get(row, "DATE"))
        if conversation and when and when >= self.latest.get(conversation, (when, 0))[0]:
            self.latest[conversation] = (when, line)

    def owner(self, known: set[str]) -> set[str]:
        """The owner's folded names: given, else the one name found in the most conversations; and
        whoever the old layout says sent or alone received a message."""
        return (known or self._most_seen()) | self.owner_by_direction

    def _most_seen(self) -> set[str]:
        ranked = Counter({name: len(c) for name, c in self.appearances.items()}).most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return set()
        return {ranked[0][0]}

    def owner_profiles(self, owner: set[str]) -> set[str]:
        """The profile keys of the messages the owner sent."""
        return {key for name in owner for url in self.sender_urls.get(name, ()) if (key := linkedin_key(url))}


def messages(
    table: Table, own_names: set[str], own_profiles: set[str], by_name: dict[str, str]
) -> Iterator[Record]:
    """An interaction per message, sent ("me") or received ("them"); drafts and unreadable rows skipped.

    The file is read twice, as a stream: once to learn who the owner is and which message ends each
    conversation, then for the messages themselves."""
    seen = _Conversations()
    for line, row in table.records():
        seen.add(line, row, guess_owner=not own_names)
    owner = seen.owner(own_names)
    profiles = set(own_profiles) | seen.owner_profiles(owner)
    last_of = {conversation: line for conversation, (_, line) in seen.latest.items()}
    for line, row in table.records():
        origin = Origin(table.path, line)
        if _get(row, "IS MESSAGE DRAFT").lower() in ("yes", "true"):
            yield SkippedRecord(origin, "draft message (never sent)")
            continue
        when = parse_datetime(_get(row, "DATE"))
        if when is None:
            yield SkippedRecord(origin, f"DATE: unreadable date {_get(row, 'DATE')!r}")
            continue
        sender, sender_url = _get(row, "FROM"), _get(row, "SENDER PROFILE URL")
        recipients, recipient_urls = _split(_get(row, "TO")), _split(_get(row, "RECIPIENT PROFILE URLS"))
        direction = _get(row, "DIRECTION").upper()
        if direction in ("INCOMING", "OUTGOING"):
            from_me = direction == "OUTGOING"
        elif owner or own_profiles:
            from_me = _is_owner(sender, sender_url, owner, profiles)
        else:
            yield SkippedRecord(
                origin, "cannot tell which participant is you: include Profile.csv or set me.name"
            )
            continue
        urls = (
            dict(zip(recipients, recipient_urls, strict=True))
            if len(recipients) == len(recipient_urls)
            else {}
        )
        everyone = [(sender, sender_url), *((n, urls.get(n, "")) for n in recipients)]
        others = [(n, u) for n, u in everyone if not _is_owner(n, u, owner, profiles)]
        ids: dict[str, str] = {}
        for name, url in others:
            if (pid := participant_id(name, url, by_name)) is not None:
                ids[pid] = name
        if not ids:
            yield SkippedRecord(origin, "no identifiable participant (shown as 'LinkedIn Member')")
            continue
        conversation = _get(row, "CONVERSATION ID")
        content = _get(row, "CONTENT")
        yield InteractionRecord(
            source=SOURCE,
            source_id="msg:"
            + digest(conversation, _get(row, "DATE"), sender, _get(row, "TO"), content[:500]),
            origin=origin,
            kind="message",
            occurred_at=when,
            initiated_by="me" if from_me else "them",
            subject=_get(row, "SUBJECT", "CONVERSATION TITLE") or None,
            notes=html_to_text(content) or None,
            channel="linkedin",
            person_source_ids=list(ids),
            names=ids,
            addressed_to_me_alone=(
                not from_me
                and last_of.get(conversation) == line
                and len(recipients) <= 1
                and bool(conversation)
            ),
        )


def _is_owner(name: str, url: str, owner: set[str], profiles: set[str]) -> bool:
    key = linkedin_key(url)
    return (key in profiles) if key else fold(name) in owner


def invitations(table: Table, by_name: dict[str, str]) -> Iterator[Record]:
    """An interaction per invitation sent or received, with its message as notes."""
    for line, row in table.records():
        origin = Origin(table.path, line)
        when = parse_datetime(_get(row, "Sent At"))
        direction = _get(row, "Direction").upper()
        if when is None:
            yield SkippedRecord(origin, f"Sent At: unreadable date {_get(row, 'Sent At')!r}")
            continue
        if direction not in ("INCOMING", "OUTGOING"):
            yield SkippedRecord(origin, f"Direction: {direction or 'empty'} is neither INCOMING nor OUTGOING")
            continue
        outgoing = direction == "OUTGOING"
        name = _get(row, "To") if outgoing else _get(row, "From")
        url = _get(row, "inviteeProfileUrl") if outgoing else _get(row, "inviterProfileUrl")
        pid = participant_id(name, url, by_name)
        if pid is None:
            yield SkippedRecord(origin, "invitation from or to a hidden member")
            continue
        yield InteractionRecord(
            source=SOURCE,
            source_id="inv:" + digest(_get(row, "From"), _get(row, "To"), _get(row, "Sent At")),
            origin=origin,
            kind="social",
            occurred_at=when,
            initiated_by="me" if outgoing else "them",
            subject="LinkedIn invitation",
            notes=html_to_text(_get(row, "Message")) or None,
            channel="linkedin",
            person_source_ids=[pid],
            names={pid: name},
        )


def endorsements(table: Table, by_name: dict[str, str]) -> Iterator[Record]:
    """A light favour received per accepted endorsement of one of the owner's skills."""
    for line, row in table.records():
        origin = Origin(table.path, line)
        status = _get(row, "Endorsement Status").upper()
        if status and status != "ACCEPTED":
            yield SkippedRecord(origin, f"endorsement not accepted ({status.lower()})")
            continue
        when = parse_datetime(_get(row, "Endorsement Date"))
        if when is None:
            yield SkippedRecord(
                origin, f"Endorsement Date: unreadable date {_get(row, 'Endorsement Date')!r}"
            )
            continue
        name = " ".join(p for p in (_get(row, "Endorser First Name"), _get(row, "Endorser Last Name")) if p)
        pid = participant_id(name, _get(row, "Endorser Public Url"), by_name)
        skill = _get(row, "Skill Name")
        if pid is None:
            yield SkippedRecord(origin, "endorsement by a hidden member")
            continue
        yield FavourRecord(
            source=SOURCE,
            source_id="endorse:" + digest(pid, skill, _get(row, "Endorsement Date")),
            origin=origin,
            direction="received",
            kind="recommendation",
            occurred_at=when,
            text=f"endorsed your skill {skill}" if skill else "endorsed you",
            person_source_id=pid,
            name=name or None,
            light=True,
        )
