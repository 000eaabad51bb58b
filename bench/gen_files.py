"""Generated mailboxes and address books for the parser benchmarks: made-up people, deterministic.

`python -m bench.gen_files DIR [--messages N] [--cards N]` writes DIR/mail.mbox and DIR/contacts.vcf.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_GIVEN = [
    "Ana",
    "Chinedu",
    "Mei",
    "Jürgen",
    "Lucía",
    "Zoë",
    "Omar",
    "Priya",
    "Tomasz",
    "Aiko",
    "Ines",
    "Kwame",
]
_FAMILY = ["Lima", "Okafor", "Tanaka", "Müller", "García", "Ångström", "Haddad", "Raman", "Nowak", "Sato"]
_DOMAINS = ["example.org", "example.com", "example.net", "fictional-robotics.example", "beispiel.example"]
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_BODY = [
    "Hi,",
    "thanks for the chat yesterday. From what I remember we agreed to meet again next month.",
    "From the notes: the prototype works, the budget does not.",
    "",
    "> quoted text from the previous message",
    "Best,",
]


def _person(rnd: random.Random, index: int) -> tuple[str, str]:
    given, family = _GIVEN[index % len(_GIVEN)], _FAMILY[(index // len(_GIVEN)) % len(_FAMILY)]
    return f"{given} {family}", f"{given[0].lower()}.{index}@{_DOMAINS[index % len(_DOMAINS)]}"


def write_mbox(path: Path, messages: int, *, people: int = 5000, seed: int = 7) -> Path:
    """An mboxrd file: two-party threads, some lists and robots, encoded subjects, escaped body "From "."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(messages):
            name, address = _person(rnd, rnd.randrange(people))
            mine = rnd.random() < 0.4
            day, hour, minute = 1 + i % 28, i % 24, i % 60
            month = _MONTHS[(i // 28) % 12]
            sender = "me@example.com" if mine else address
            out.write(f"From {sender} {_WEEKDAYS[i % 7]} {month} {day:2d} {hour:02d}:{minute:02d}:00 2024\n")
            out.write("Received: from mail.example.org by mx.example.com; Mon, 1 Jan 2024 00:00:00 +0000\n")
            out.write(f"Date: {_WEEKDAYS[i % 7]}, {day} {month} 2024 {hour:02d}:{minute:02d}:00 +0100\n")
            out.write(
                f"From: Me <me@example.com>\nTo: {name} <{address}>\n"
                if mine
                else f"From: {name} <{address}>\n"
            )
            if not mine:
                out.write("To: Me <me@example.com>\n")
            if rnd.random() < 0.2:
                out.write(f"Cc: {_person(rnd, rnd.randrange(people))[1]}\n")
            if rnd.random() < 0.05:
                out.write("List-Id: Robotics <robotics.lists.example>\n")
            out.write(f"Subject: =?UTF-8?Q?Caf=C3=A9_{i}?=\nMessage-ID: <{i}.{seed}@bench.example>\n")
            out.write("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n")
            for line in _BODY[: 3 + i % 4]:
                out.write((">" + line if line.startswith("From ") else line) + "\n")
            out.write("\n")
    return path


def write_vcards(path: Path, cards: int, *, seed: int = 7) -> Path:
    """vCard 3.0 cards like a phone export: grouped labels, several emails and phones, ADR, NOTE, BDAY."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\r\n") as out:
        for i in range(cards):
            name, address = _person(rnd, i)
            given, family = name.split(" ", 1)
            out.write("BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.1//EN\n")
            out.write(
                f"N:{family};{given};;;\nFN:{name}\nORG:Company {i % 300};Team {i % 7}\nTITLE:Engineer\n"
            )
            out.write(f"item1.EMAIL;type=INTERNET;type=pref:{address}\nitem1.X-ABLabel:_$!<Work>!$_\n")
            out.write(f"EMAIL;type=INTERNET;type=HOME:{given.lower()}.{i}@home.example\n")
            out.write(
                f"TEL;type=CELL;type=VOICE;type=pref:+44 7700 {i % 1000000:06d}\nTEL;type=WORK:+44 20 7946 {i % 10000:04d}\n"
            )
            out.write(f"item2.URL:https://www.linkedin.com/in/person-{i}\nitem2.X-ABLabel:_$!<HomePage>!$_\n")
            out.write(
                f"item3.ADR;type=HOME:;;{i} Example Row;Bristol;;BS1 4XX;United Kingdom\nitem3.X-ABADR:gb\n"
            )
            out.write(f"BDAY:19{50 + i % 50}-0{1 + i % 9}-1{i % 9}\n")
            out.write(f"NOTE:Met at meetup {i % 40}\\, talked about robots.\\nFollow up in spring.\n")
            out.write(
                f"X-SOCIALPROFILE;type=twitter:https://twitter.com/person{i}\nUID:BENCH-{seed}-{i:06d}\n"
            )
            out.write("END:VCARD\n")
    return path


def main() -> None:
    """Write the benchmark files into a folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--cards", type=int, default=10_000)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(write_mbox(args.folder / "mail.mbox", args.messages))
    print(write_vcards(args.folder / "contacts.vcf", args.cards))


if __name__ == "__main__":
    main()
