"""Teams on PostgreSQL (issue 19): "who knows someone at X" in a team of 50 members each sharing
5,000 people, beside the same answer from one hand-written SQL query; and one member's full refresh.

The data: `--members` accounts member00, member01, ... in one team, each sharing all their people
(`--people` each). The people are drawn from one made-up world of `--world` people (names, titles,
1-3 email addresses), so the same person is often known to two or three members, under the same
addresses; their organisations come from `--organisations` names (a few thousand) with a skewed
(Zipf) popularity, written as people write them ("Acme", "ACME Inc.", "Acme, Inc": one organisation
once folded), and about one in eight has none. Each member's people and ties (closeness, counts of
interactions, when the tie began and was last active) are bulk inserted (`repo.bulk.insert_many`,
COPY); the shared entries are then made by the service itself, `team_shares.refresh` for each
member: exactly what sharing makes (names, organisations, titles, bands, years, keyed hashes).
It is kept in the PostgreSQL database tieline_bench_teams (another name for other sizes), reused
while its stamp (sizes, seed, BENCH_VERSION, schema, day), kept as the database's comment, matches;
built as `..._partial` and renamed when whole.

Timed, alternating with the floor, after one untimed round of each: `team_shares.who` for an
organisation, in a transaction of its own as `tieline team who` runs it (the membership check, the
check for teammates to compute again (none: the steady state, checked first), the query, the
answer sorted), for `--queries` organisations spread over popularity (ranks drawn log-uniformly,
so the head, the middle and the tail are each well represented); the floor is one hand-written
SELECT of the same rows (each entry once, with its id to ask with, as `who` answers since the
entries carry their `share_id`: two entries of one member that look alike are two of their people)
on a plain psycopg connection. Then one member's full refresh (5,000
people, delete and insert of entries and keys), rolled back each time: a figure without a target.

python -m bench.teams [--members 50] [--people 5000] [--queries 200] [--refreshes 3] [--rebuild]
                      [--postgres URL]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from bench import kept_database
from bench.report import Figure, finish, median_ms, p95_ms
from tieline.db import SCHEMA_HEAD, Database
from tieline.repo import bulk
from tieline.repo import teams as teams_repo
from tieline.services import accounts, team_shares
from tieline.services import teams as teams_service
from tieline.services.identity import company_key

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "tieline_bench_teams"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TARGET_MS = 100.0
BENCH_VERSION = 1  # change when the generated rows change
DEFAULTS = {"members": 50, "people": 5000, "world": 120_000, "organisations": 3000, "seed": 42}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Ada Alan Ana Ben Bo Cy Dana Eli Eva Fay Gil Hal Ida Ira Jo Kai Kim Lea Leo Liv Max Mia Ned Noa Ola "
    "Pam Raj Rio Sam Sue Tom Uma Val Wes Yan Zoe Amir Chen Dev Emma Farah Hugo Ines Jon Kofi Lars Mei "
    "Nils Omar Priya Quinn Rosa Sven Tara Umar Vera Wen Yusuf Zara"
)
LAST = _words(
    "Reyes Ng Diaz Okafor Smith Jones Brown Garcia Muller Rossi Kim Singh Patel Cohen Dubois Larsen "
    "Novak Silva Tanaka Ivanova Haddad Murphy Kowalski Nielsen Costa Schmidt Weber Moreau Andersen Berg "
    "Fischer Lopez Martin Meyer Nakamura Olsen Park Romero Sato Suzuki Torres Wagner Wong Yilmaz Zhang "
    "Ali Bauer Castro Ferrari Gomez"
)
TITLES = (
    "CEO", "CTO", "CFO", "COO", "VP Sales", "VP Engineering", "Head of Product", "Engineering Manager",
    "Account Executive", "Software Engineer", "Data Scientist", "Designer", "Recruiter", "Partner",
    "Founder", "Analyst", "Consultant", "Director of Marketing", "Product Manager", "Professor",
    "Student", "Investor",
)  # fmt: skip
PARTS_A = _words(
    "Acme Globex Initech Umbrella Hooli Stark Wayne Tyrell Cyber Nova Blue Red Green North South East "
    "West Alpha Beta Delta Omega Quantum Vertex Apex Summit Harbor River Stone Iron Silver Gold Bright "
    "Clear Swift Prime Core Open Deep"
)
PARTS_B = _words(
    "Labs Systems Bank Capital Health Foods Energy Robotics Media Logistics Software Analytics Partners "
    "Ventures Works Motors Pharma Networks Retail Insurance Studio University Foundation Group"
)
LEGAL = ("", "", "", " Inc.", ", Inc", " Ltd", " GmbH", " LLC", " S.A.")


def username(n: int) -> str:
    return f"member{n:02d}"


@dataclass(frozen=True)
class Size:
    members: int
    people: int
    world: int
    organisations: int
    seed: int

    @property
    def stamp(self) -> str:
        return (
            f"members={self.members} people={self.people} world={self.world} "
            f"organisations={self.organisations} seed={self.seed} bench={BENCH_VERSION} "
            f"schema={SCHEMA_HEAD} now={NOW.isoformat()}"
        )

    @property
    def database(self) -> str:
        default = (self.members, self.people, self.world, self.organisations, self.seed) == tuple(
            DEFAULTS.values()
        )
        return DATABASE if default else f"{DATABASE}_{self.members}x{self.people}w{self.world}s{self.seed}"


# --- the made-up world ---------------------------------------------------------------------------------


def organisation_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct organisation names, most popular first (the order is the popularity rank)."""
    names: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        name = f"{rng.choice(PARTS_A)}{rng.choice(PARTS_A).lower()} {rng.choice(PARTS_B)}"
        if len(out) >= len(PARTS_A) * 8 and rng.random() < 0.3:
            name = f"{name} {rng.choice(('Europe', 'Asia', 'Nordic', 'US', 'Labs', 'Digital'))}"
        key = company_key(name)
        if key and key not in names:
            names.add(key)
            out.append(name)
    return out


@dataclass(frozen=True)
class WorldPerson:
    name: str
    given: str
    family: str
    title: str | None
    organisation: int | None  # popularity rank, 0 the most popular
    emails: tuple[str, ...]


def make_world(size: Size, rng: random.Random) -> tuple[list[str], list[WorldPerson]]:
    """The organisations (by rank) and the world's people, each at an organisation drawn by Zipf
    (exponent 1, over `organisations` names) or, one in eight, at none."""
    orgs = organisation_names(size.organisations, rng)
    weights = [1.0 / (rank + 1) for rank in range(len(orgs))]
    ranks = rng.choices(range(len(orgs)), weights=weights, k=size.world)
    people = []
    for i in range(size.world):
        given, family = rng.choice(FIRST), rng.choice(LAST)
        org = None if rng.random() < 0.125 else ranks[i]
        domain = (company_key(orgs[org]).replace(" ", "") if org is not None else "mail") + ".example"
        addresses = [f"{given}.{family}.{i}@{domain}".lower()]
        for extra in range(rng.choice((0, 0, 1, 2))):
            addresses.append(
                f"{given[0]}{family}{i}.{extra}@{rng.choice(('mail', 'post', 'inbox'))}.example".lower()
            )
        people.append(
            WorldPerson(
                f"{given} {family}",
                given,
                family,
                rng.choice(TITLES) if rng.random() < 0.85 else None,
                org,
                tuple(addresses),
            )
        )
    return orgs, people


def _written(name: str, rng: random.Random) -> str:
    """An organisation's name as one member writes it: a legal suffix, sometimes in capitals."""
    shown = name + rng.choice(LEGAL)
    return shown.upper() if rng.random() < 0.05 else shown


def member_rows(
    owner_id: int, first_id: int, chosen: list[WorldPerson], orgs: list[str], rng: random.Random
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], int]:
    """One member's person, tie and email rows (person ids from `first_id`), and the next free id."""
    people, ties, emails = [], [], []
    for n, w in enumerate(chosen):
        pid = first_id + n
        began = NOW - timedelta(days=rng.uniform(30, 15 * 365))
        active = rng.random()
        last = NOW - timedelta(days=rng.uniform(1, 120) if active < 0.45 else rng.uniform(120, 6 * 365))
        last = max(last, began)
        count = 0 if rng.random() < 0.2 else max(1, int(rng.paretovariate(1.2)))
        closeness = rng.choice((None, None, None, 1, 2, 3, 3, 4, 5))
        people.append({
            "id": pid, "owner_id": owner_id, "display_name": w.name, "sort_name": f"{w.family}, {w.given}",
            "given_name": w.given, "family_name": w.family, "title": w.title,
            "company": _written(orgs[w.organisation], rng) if w.organisation is not None else None,
            "tier": rng.choice((2, 3, 4, 4, 4, 5)), "closeness": closeness, "archived": False,
            "last_contact_at": last if count else None,
            "met_on": began.date() if rng.random() < 0.3 else None,
            "created_at": began, "updated_at": began,
        })  # fmt: skip
        ties.append({
            "person_id": pid, "owner_id": owner_id, "intensity": float(count) * rng.uniform(0.3, 1.0),
            "intensity_at": last if count else None, "half_life_days": 90.0,
            "first_contact_at": began if count else None, "interactions": count,
            "initiated_by_me": count // 2, "initiated_by_them": count - count // 2,
            "favours_given": 0, "favours_received": 0, "strength": 0.0,
        })  # fmt: skip
        for position, address in enumerate(w.emails):
            emails.append({"person_id": pid, "owner_id": owner_id, "address": address, "position": position})
    return people, ties, emails, first_id + len(chosen)


# --- the kept database ---------------------------------------------------------------------------------


def _plain(admin: sa.Engine, name: str, statement: str) -> None:
    engine = kept_database.admin_engine(kept_database.url_of(admin, name))
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def build(admin: sa.Engine, partial: str, size: Size, *, data_dir: Path) -> None:
    """Build the team into the empty database `partial` (kept_database.ensure renames it when whole)."""
    print(
        f"building {size.database}: {size.members} members, each sharing {size.people:,} people", flush=True
    )
    started = time.perf_counter()
    rng = random.Random(size.seed)
    orgs, world = make_world(size, rng)
    db = kept_database.open_at(kept_database.url_of(admin, partial), data_dir)
    try:
        with db.transaction(writes=True) as session:
            # The migrations write the local owner with an explicit id 1 and leave the sequence at 1.
            session.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('owner', 'id'), (SELECT max(id) FROM owner))")
            )
        owners = []
        for n in range(size.members):
            with db.transaction(writes=True) as session:
                owners.append(
                    accounts.add_user(
                        session, username=username(n), password=f"bench-{n:02d}-password", now=NOW
                    ).owner_id
                )
        with db.transaction(writes=True) as session:
            team = teams_service.create(session, owner_id=owners[0], name="Bench", now=NOW)
            for owner_id in owners[1:]:
                token = teams_service.invite(session, owner_id=owners[0], team=f"#{team.id}", now=NOW).token
                teams_service.join(session, owner_id=owner_id, token=token, now=NOW)
        next_id = 1
        for n, owner_id in enumerate(owners):
            chosen = rng.sample(world, size.people)
            people, ties, emails, next_id = member_rows(owner_id, next_id, chosen, orgs, rng)
            with db.transaction(writes=True) as session:
                bulk.insert_many(session, "person", people)
                bulk.insert_many(session, "tie", ties)
                bulk.insert_many(session, "person_email", emails)
            if (n + 1) % 10 == 0:
                print(
                    f"  people of {n + 1}/{size.members} members, {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        _plain(
            admin,
            partial,
            "SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person))",
        )
        refreshed = time.perf_counter()
        for n, owner_id in enumerate(owners):
            with db.transaction(writes=True) as session:
                rule = team_shares.rule_from(session, owner_id=owner_id, kind="all", value=None)
                team_shares.share(session, team_id=team.id, owner_id=owner_id, rule=rule, now=NOW)
            if (n + 1) % 10 == 0:
                spent = time.perf_counter() - refreshed
                print(f"  shared by {n + 1}/{size.members} members, {spent:.0f} s", flush=True)
        # On a plain connection: the app's sessions count a statement by hand as a write to every
        # owner's data, which would make every member's entries out of date.
        _plain(admin, partial, "ANALYZE")
    finally:
        db.dispose()


def ensure(admin: sa.Engine, size: Size, *, rebuild: bool, data_dir: Path) -> dict[str, Any]:
    def build_partial(partial: str) -> None:
        build(admin, partial, size, data_dir=data_dir)

    return kept_database.ensure(admin, size.database, stamp=size.stamp, rebuild=rebuild, build=build_partial)


# --- measuring -----------------------------------------------------------------------------------------

FLOOR_SQL = """
SELECT a.username, s.band, s.since_year, s.name, s.title, s.organisation, s.id
FROM team_share s JOIN account a ON a.owner_id = s.owner_id
WHERE s.team_id = %(team)s AND s.organisation_key = %(key)s AND s.owner_id <> %(asker)s
ORDER BY CASE s.band WHEN 'strong' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, s.since_year, lower(a.username), s.name
"""


@dataclass(frozen=True)
class Query:
    organisation: str
    rank: int
    asker: int


def queries(db: Database, team_id: int, count: int, rng: random.Random) -> list[Query]:
    """`count` organisations as shared, ranks drawn log-uniformly over their popularity, each asked
    by a member at random."""
    with db.transaction() as session:
        rows = session.execute(
            sa.text(
                "SELECT organisation_key, min(organisation) AS shown, count(*) AS n FROM team_share "
                "WHERE team_id = :t AND organisation_key IS NOT NULL GROUP BY organisation_key "
                "ORDER BY n DESC, organisation_key"
            ),
            {"t": team_id},
        ).all()
        members = [
            r.owner_id
            for r in teams_repo.members(session, team_id=team_id, asker_id=_any_member(session, team_id))
        ]
    out = []
    for _ in range(count):
        rank = min(len(rows) - 1, int(math.exp(rng.uniform(0, math.log(len(rows))))) - 1)
        out.append(Query(rows[rank].shown, rank, rng.choice(members)))
    return out


def _any_member(session: Any, team_id: int) -> int:
    return int(
        session.execute(
            sa.text("SELECT min(owner_id) FROM team_member WHERE team_id = :t"), {"t": team_id}
        ).scalar_one()
    )


def measure(
    db: Database, url: str, team_id: int, asked: list[Query]
) -> tuple[list[float], list[float], list[int]]:
    """Each query through the service and through the floor, alternating, after an untimed round."""
    service: list[float] = []
    floor: list[float] = []
    sizes: list[int] = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        for timed in (False, True):
            for q in asked:
                started = time.perf_counter()
                with db.transaction() as session:
                    found = team_shares.who(
                        session, team_id=team_id, asker_owner_id=q.asker, now=NOW, organisation=q.organisation
                    )
                middle = time.perf_counter()
                with conn.cursor() as cur:
                    cur.execute(
                        FLOOR_SQL, {"team": team_id, "key": company_key(q.organisation), "asker": q.asker}
                    )
                    rows = cur.fetchall()
                ended = time.perf_counter()
                if len(rows) != len(found):
                    raise RuntimeError(
                        f"{q.organisation}: the service found {len(found)}, the floor {len(rows)}"
                    )
                if timed:
                    service.append(middle - started)
                    floor.append(ended - middle)
                    sizes.append(len(found))
    return service, floor, sizes


class _RollBack(Exception):
    pass


def time_refresh(db: Database, team_id: int, owner_id: int, runs: int) -> tuple[list[float], int]:
    """One member's full refresh, timed `runs` times, each rolled back (the kept data unchanged)."""
    seconds, count = [], 0
    for _ in range(runs):
        try:
            with db.transaction(writes=True) as session:
                started = time.perf_counter()
                count = team_shares.refresh(session, team_id=team_id, owner_id=owner_id, now=NOW)
                session.flush()
                seconds.append(time.perf_counter() - started)
                raise _RollBack
        except _RollBack:
            pass
    return seconds, count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.teams", description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=DEFAULTS["members"])
    parser.add_argument("--people", type=int, default=DEFAULTS["people"], help="People each member shares.")
    parser.add_argument(
        "--world", type=int, default=DEFAULTS["world"], help="People the members' are drawn from."
    )
    parser.add_argument("--organisations", type=int, default=DEFAULTS["organisations"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--refreshes", type=int, default=3)
    parser.add_argument("--postgres", default=ADMIN_URL, help="The server (its postgres database).")
    parser.add_argument("--rebuild", action="store_true", help="Build the kept database again.")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    size = Size(args.members, args.people, max(args.world, args.people), args.organisations, args.seed)
    admin = kept_database.admin_engine(args.postgres)
    with tempfile.TemporaryDirectory(prefix="tieline-bench-teams-") as scratch:
        record = ensure(admin, size, rebuild=args.rebuild, data_dir=Path(scratch))
        url = kept_database.url_of(admin, size.database)
        db = kept_database.open_at(url, Path(scratch))
        try:
            with db.transaction() as session:
                team_id = int(session.execute(sa.text("SELECT min(id) FROM team")).scalar_one())
                asker = _any_member(session, team_id)
                stale = teams_repo.stale_members(
                    session, team_id=team_id, asker_id=asker, before=NOW - team_shares.REFRESH_MAX_AGE
                )
                entries = session.execute(sa.text("SELECT count(*) FROM team_share")).scalar_one()
                keys = session.execute(sa.text("SELECT count(*) FROM team_share_key")).scalar_one()
                bands = dict(
                    session.execute(sa.text("SELECT band, count(*) FROM team_share GROUP BY band")).all()
                )
                orgs = session.execute(
                    sa.text("SELECT count(DISTINCT organisation_key) FROM team_share")
                ).scalar_one()
                plan = (
                    session.execute(
                        sa.text(
                            "EXPLAIN SELECT * FROM team_share WHERE team_id = :t AND organisation_key = 'x'"
                        ),
                        {"t": team_id},
                    )
                    .scalars()
                    .all()
                )
            if stale:
                raise RuntimeError(f"{len(stale)} members would be computed again: not the steady state")
            asked = queries(db, team_id, args.queries, random.Random(args.seed))
            service, floor, sizes = measure(db, url, team_id, asked)
            refresh, refreshed = time_refresh(db, team_id, asker, args.refreshes)
        finally:
            db.dispose()
    verdict = "ok" if median_ms(service) < TARGET_MS else f"MISS {TARGET_MS:g} ms"
    label = f"who knows someone at X ({len(asked)} organisations)"
    head = [s for s, q in zip(service, asked, strict=True) if q.rank < 10]
    figures = [
        Figure(f"{label} median", median_ms(service), median_ms(floor), "ms", f"< {TARGET_MS:g} ms", verdict),
        Figure(f"{label} p95", p95_ms(service), p95_ms(floor), "ms"),
        Figure(
            f"one member's full refresh ({refreshed:,} people)", statistics.median(refresh) * 1000,
            float("nan"), "ms", "", "",
            f"median of {len(refresh)}, each rolled back; no floor (every value: "
            f"{', '.join(f'{s * 1000:.0f}' for s in refresh)} ms)",
        ),
    ]  # fmt: skip
    by_size = Counter(
        "1-9" if n < 10 else "10-99" if n < 100 else "100-999" if n < 1000 else "1000+" for n in sizes
    )
    notes = [
        f"data: {size.members} members x {size.people:,} people = {entries:,} shared entries, {keys:,} keyed hashes, "
        f"{orgs:,} organisations once folded; bands {', '.join(f'{b} {n:,}' for b, n in sorted(bands.items()))}",
        f"answers: median {statistics.median(sizes):.0f} teammates' entries, largest {max(sizes):,}; by size "
        + ", ".join(f"{k}: {by_size[k]}" for k in ("1-9", "10-99", "100-999", "1000+") if by_size[k]),
        f"the 10 most popular organisations ({len(head)} queries): median "
        f"{statistics.median(head) * 1000 if head else float('nan'):.1f} ms, max {max(head, default=0) * 1000:.1f} ms",
        f"plan of the query by organisation: {plan[0].strip() if plan else '?'}",
        f"kept database {size.database}: built in {record.get('seconds', '?')} s, "
        f"{int(record.get('bytes', 0)) / 1e6:,.0f} MB",
    ]
    finish(
        figures,
        title="Teams: who knows someone at X (PostgreSQL)",
        notes=notes,
        seconds=time.perf_counter() - started,
    )


if __name__ == "__main__":
    main()
