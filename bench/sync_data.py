"""Generated mail and calendars for `python -m bench.sync`: made-up people, deterministic by seed.

- `messages()`: a year of mail between the owner and a few hundred people, with mailing lists,
  bulk mail, auto-replies, no-reply senders and the owner's own sent mail, each a whole RFC 5322
  message (Received lines, a body, now and then an attachment) as a mail server stores it.
- `write_maildir()`: those messages as Maildir files (what Dovecot keeps), dated by their file time,
  which is the date IMAP's SEARCH SINCE reads.
- `events()`: a calendar's VEVENTs with attendees from the same people, some declined, cancelled,
  recurring or still to come; `write_radicale()` puts them in Radicale's storage, `ics_feed()` joins
  them into one published calendar.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ME = "me@example.org"
_GIVEN = ["Ana", "Chinedu", "Mei", "Jürgen", "Lucía", "Zoë", "Omar", "Priya", "Tomasz", "Aiko", "Ines",
          "Kwame", "Sven", "Fatima", "Hiro", "Lena", "Rafael", "Noor", "Pavel", "Amara"]  # fmt: skip
_FAMILY = ["Lima", "Okafor", "Tanaka", "Müller", "García", "Ångström", "Haddad", "Raman", "Nowak", "Sato",
           "Silva", "Kowalski", "Mensah", "Dubois", "Ivanova"]  # fmt: skip
_DOMAINS = ["example.com", "example.net", "fictional-robotics.example", "beispiel.example", "uni.example"]
_TOPICS = ["Lunch next week?", "The draft", "Re: budget", "Intro: a friend in robotics", "Slides", "Thanks!",
           "Café on Friday", "Quarterly plan", "Your talk", "Job opening"]  # fmt: skip
_BODY = (
    "Hi,\r\n\r\nthanks for the chat yesterday. We agreed to meet again next month; the prototype works,\r\n"
    "the budget does not. I attach the notes.\r\n\r\n> quoted text from the previous message\r\n\r\nBest,\r\n"
)


@dataclass(frozen=True)
class Person:
    """A made-up correspondent."""

    name: str
    email: str


def people(count: int = 400) -> list[Person]:
    """`count` distinct made-up people."""
    out = []
    for i in range(count):
        given, family = _GIVEN[i % len(_GIVEN)], _FAMILY[(i // len(_GIVEN)) % len(_FAMILY)]
        out.append(Person(f"{given} {family}", f"{given[0].lower()}.{family.lower()}.{i}@{_DOMAINS[i % 5]}"))
    return out


def vcards(known: list[Person]) -> str:
    """An address book of the people the owner already has in tieline."""
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{p.name}\r\nEMAIL:{p.email}\r\nEND:VCARD\r\n" for p in known
    )


def _date(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S +0000")


def _message(rnd: random.Random, i: int, crowd: list[Person], when: datetime, sent: bool) -> bytes:
    """One whole message: what a server stores, most of which tieline never asks for."""
    them = crowd[int(rnd.paretovariate(1.2) * 7) % len(crowd)]  # a few people write most of the mail
    extra = ""
    if sent:
        sender, to = f"Me <{ME}>", f"{them.name} <{them.email}>"
        if rnd.random() < 0.6:
            extra += f"In-Reply-To: <{i - 1}.m@bench.example>\r\nReferences: <{i - 1}.m@bench.example>\r\n"
    else:
        roll = rnd.random()
        sender, to = f"{them.name} <{them.email}>", f"Me <{ME}>"
        if roll < 0.10:
            sender, extra = (
                "Robotics list <robotics@lists.example>",
                "List-Id: Robotics <robotics.lists.example>\r\n",
            )
        elif roll < 0.15:
            sender, extra = "Shop <news@shop.example>", "Precedence: bulk\r\n"
        elif roll < 0.18:
            extra = "Auto-Submitted: auto-replied\r\n"
        elif roll < 0.20:
            sender = "Service <no-reply@service.example>"
    if rnd.random() < 0.2:
        other = crowd[rnd.randrange(len(crowd))]
        extra += f"Cc: {other.name} <{other.email}>\r\n"
    boundary = f"b{i}"
    attach = rnd.random() < 0.1
    headers = (
        f"Return-Path: <{them.email}>\r\n"
        f"Received: from mx.example.net by mail.example.org; {_date(when)}\r\n"
        f"Received: from laptop.local by mx.example.net; {_date(when)}\r\n"
        f"From: {sender}\r\nTo: {to}\r\nSubject: {_TOPICS[i % len(_TOPICS)]}\r\nDate: {_date(when)}\r\n"
        f"Message-ID: <{i}.m@bench.example>\r\n{extra}X-Mailer: bench 1.0\r\nMIME-Version: 1.0\r\n"
    )
    if not attach:
        return (headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + _BODY).encode()
    blob = "QUJDREVGR0g=\r\n" * 200  # a 2.8 KB base64 attachment
    return (
        headers + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n--{boundary}\r\n'
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{_BODY}--{boundary}\r\n"
        f'Content-Type: application/pdf; name="notes.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        f"{blob}--{boundary}--\r\n"
    ).encode()


def messages(count: int, *, now: datetime, seed: int = 15) -> Iterator[tuple[bool, datetime, bytes]]:
    """(in Sent, arrived at, the message) for `count` messages over the 350 days before `now`."""
    rnd = random.Random(seed)
    crowd = people()
    for i in range(count):
        when = now - timedelta(seconds=rnd.randrange(350 * 86400))
        sent = rnd.random() < 0.15
        yield sent, when, _message(rnd, i, crowd, when, sent)


def write_maildir(home: Path, count: int, *, now: datetime, owner: tuple[int, int] | None) -> dict[str, int]:
    """Write the messages into `home`'s Maildir (INBOX and .Sent), as a delivery agent would; per folder."""
    folders = {False: home / "Maildir", True: home / "Maildir" / ".Sent"}
    for folder in folders.values():
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    counts = {"INBOX": 0, "Sent": 0}
    for n, (sent, when, data) in enumerate(messages(count, now=now)):
        path = folders[sent] / "cur" / f"{int(when.timestamp())}.M{n}P1.bench,S={len(data)}:2,S"
        path.write_bytes(data)
        os.utime(path, (when.timestamp(), when.timestamp()))  # Maildir's internal date
        if owner:
            os.chown(path, *owner)
        counts["Sent" if sent else "INBOX"] += 1
    if owner:
        for folder in folders.values():
            for dirpath, _, _ in os.walk(folder):
                os.chown(dirpath, *owner)
    return counts


def _event(rnd: random.Random, i: int, crowd: list[Person], now: datetime) -> str:
    start = (now - timedelta(days=355) + timedelta(hours=rnd.randrange(375 * 24))).replace(minute=0, second=0)
    mine = "DECLINED" if rnd.random() < 0.05 else "ACCEPTED"
    lines = [
        "BEGIN:VEVENT", f"UID:bench-{i}@bench.example", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{_TOPICS[i % len(_TOPICS)]}", f"ORGANIZER;CN=Me:mailto:{ME}",
        f"ATTENDEE;PARTSTAT={mine}:mailto:{ME}",
    ]  # fmt: skip
    for _ in range(1 + rnd.randrange(4)):
        p = crowd[int(rnd.paretovariate(1.2) * 7) % len(crowd)]
        lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED;CN={p.name}:mailto:{p.email}")
    if rnd.random() < 0.03:
        lines.append("STATUS:CANCELLED")
    if rnd.random() < 0.02:
        lines.append("RRULE:FREQ=WEEKLY;COUNT=4")
    return "\r\n".join([*lines, "END:VEVENT"]) + "\r\n"


def events(count: int, *, now: datetime, seed: int = 15) -> list[str]:
    """`count` VEVENTs over the last 355 days and the next 20."""
    rnd = random.Random(seed)
    crowd = people()
    return [_event(rnd, i, crowd, now) for i in range(count)]


_CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tieline bench//EN\r\n{}END:VCALENDAR\r\n"


def write_radicale(collection: Path, vevents: list[str]) -> None:
    """One file per event in an existing Radicale calendar's folder (its multifilesystem storage)."""
    props = collection / ".Radicale.props"
    if not props.exists():
        props.write_text(json.dumps({"tag": "VCALENDAR", "C:supported-calendar-component-set": "VEVENT"}))
    for i, vevent in enumerate(vevents):
        (collection / f"bench-{i}.ics").write_text(_CALENDAR.format(vevent), newline="")


def ics_feed(path: Path, vevents: list[str]) -> Path:
    """The same events as one published calendar file."""
    path.write_text(_CALENDAR.format("".join(vevents)), newline="")
    return path
