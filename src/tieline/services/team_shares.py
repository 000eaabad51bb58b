"""What a team member shares (issue 19), kept true, and asking who knows whom.

A member shares nothing until they set a rule for a team: all their people, a tier, a tag, or one
person. Each live (not archived) person a rule chooses becomes one shared entry (`team_share`):
- the person's name, current organisation (`person.company`, kept in step with their current company
  membership) and title;
- the member's tie as a band, from the tie strength (0-100, `scoring.strength_total` at the time the
  entry is computed, as the person page and the agenda compute it): `strong` from STRONG_FROM
  (analytics.stats.STRONG, 50), `medium` from MEDIUM_FROM (analytics.intros.WEAK, 20: below it a tie
  is too weak to ask an introduction of), else `weak`; a tie with no contact for the owner's
  `dormant.days` is `weak` whatever its strength;
- the year the tie began: the first interaction or the day met, whichever is earlier, else the year
  the person was added;
- the keyed hashes (`team_share_key`) of their emails (lower-cased) and LinkedIn URL (reduced by
  `identity.linkedin_key` to linkedin.com/in/slug): HMAC-SHA256 under the team's secret `hash_key`.
Nothing else: no email, phone, note, interaction, favour or score is written to a team table.

Kept true: `refresh` computes a member's entries for a team again and puts them in place of the old
ones (one delete, one bulk insert of entries, one of keys). It runs when the member changes their rules,
and when anyone asks (`who`) for each teammate whose entries are out of date: computed from another
state of their data than the current one, or more than REFRESH_MAX_AGE ago. The state of a member's
data is `agenda_cache.data_stamp`: every commit that writes an owner's data writes a new one, in the
same statement that marks their cached agenda stale (db.py, "Keeping agenda_cache true"), so any
change (a person edited, archived or deleted, an interaction logged, a tag added, an import, a merge,
a restore) is noticed without any service doing anything, and checking costs one query per ask.
REFRESH_MAX_AGE bounds what changes with time alone (a tie turning dormant). A member who leaves or
clears their rules has their entries deleted in that same transaction.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tieline import validate
from tieline.analytics.intros import WEAK as MEDIUM_FROM
from tieline.analytics.stats import STRONG as STRONG_FROM
from tieline.errors import InvalidInput, NotFound
from tieline.models import BANDS, SHARE_RULE_KINDS
from tieline.repo import teams as repo
from tieline.services import preferences, scoring
from tieline.services.identity import company_key, linkedin_key, name_key
from tieline.services.people import resolve_person_id

REFRESH_MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    kind: str  # all, tier, tag, person
    value: str  # '' for all; the tier; the tag; the person's id

    def words(self) -> str:
        return {"all": "all people", "tier": f"tier {self.value}", "tag": f"tag {self.value!r}"}.get(
            self.kind, f"person #{self.value}"
        )


@dataclass(frozen=True)
class Sharing:
    """A member's rules for a team and how many people they share with it now."""

    team: str
    rules: list[Rule]
    shared: int


@dataclass(frozen=True)
class Knower:
    """A teammate who knows someone: exactly what a teammate sees, nothing more."""

    username: str
    band: str
    since_year: int
    name: str
    title: str | None
    organisation: str | None
    share_id: int  # what to name to ask for an introduction (tieline team ask); new when recomputed


def require_member(session: Session, *, team_id: int, owner_id: int) -> None:
    if repo.role_of(session, team_id=team_id, owner_id=owner_id) is None:
        raise NotFound(f"you are in no team #{team_id} (tieline team list shows yours)")


def rule_from(session: Session, *, owner_id: int, kind: str, value: str | None) -> Rule:
    """A rule as typed: the tier checked, the tag kept as typed, the person found among yours."""
    if kind not in SHARE_RULE_KINDS:
        raise InvalidInput(f"share: one of {', '.join(SHARE_RULE_KINDS)}")
    if kind == "all":
        return Rule("all", "")
    if value is None or not value.strip():
        raise InvalidInput(f"share --{kind}: a value is needed")
    if kind == "tier":
        return Rule("tier", str(validate.tier(value)))
    if kind == "tag":
        return Rule("tag", validate.non_empty(value, "tag")[:200])
    return Rule("person", str(resolve_person_id(session, owner_id=owner_id, text=value)))


def share(session: Session, *, team_id: int, owner_id: int, rule: Rule, now: datetime) -> Sharing:
    """Add a rule (sharing more) and compute the member's entries for the team again."""
    require_member(session, team_id=team_id, owner_id=owner_id)
    if rule not in _rules(session, team_id=team_id, owner_id=owner_id):
        repo.add_rule(session, team_id=team_id, owner_id=owner_id, kind=rule.kind, value=rule.value)
    refresh(session, team_id=team_id, owner_id=owner_id, now=now)
    return sharing(session, team_id=team_id, owner_id=owner_id)


def unshare(session: Session, *, team_id: int, owner_id: int, rule: Rule | None, now: datetime) -> Sharing:
    """Take back one rule, or every rule (`rule` None): what is no longer shared is deleted now."""
    require_member(session, team_id=team_id, owner_id=owner_id)
    removed = repo.delete_rules(
        session,
        team_id=team_id,
        owner_id=owner_id,
        kind=rule.kind if rule else None,
        value=rule.value if rule else None,
    )
    if rule is not None and not removed:
        raise InvalidInput(
            f"you do not share {rule.words()} with this team (tieline team share TEAM lists it)"
        )
    refresh(session, team_id=team_id, owner_id=owner_id, now=now)
    return sharing(session, team_id=team_id, owner_id=owner_id)


def _rules(session: Session, *, team_id: int, owner_id: int) -> list[Rule]:
    return [Rule(r.kind, r.value) for r in repo.rules(session, team_id=team_id, owner_id=owner_id)]


def sharing(session: Session, *, team_id: int, owner_id: int) -> Sharing:
    require_member(session, team_id=team_id, owner_id=owner_id)
    team = repo.team(session, team_id)
    assert team is not None
    return Sharing(
        team.name,
        _rules(session, team_id=team_id, owner_id=owner_id),
        repo.share_count(session, team_id=team_id, owner_id=owner_id),
    )


# --- computing a member's entries ---------------------------------------------------------------------


def band(
    strength: float | None, last_contact_at: datetime | None, *, now: datetime, dormant_days: int
) -> str:
    """strong, medium or weak (module docstring)."""
    if last_contact_at is not None and now - last_contact_at > timedelta(days=dormant_days):
        return "weak"
    value = strength or 0.0
    return "strong" if value >= STRONG_FROM else "medium" if value >= MEDIUM_FROM else "weak"


@functools.lru_cache(maxsize=64)
def _mac(hash_key: str) -> hmac.HMAC:
    """The team's secret set up as an HMAC once (a refresh hashes thousands of addresses)."""
    return hmac.new(bytes.fromhex(hash_key), digestmod=hashlib.sha256)


def keyed_hash(hash_key: str, kind: str, value: str) -> str:
    """HMAC-SHA256 under the team's secret of "email:<address>" or "linkedin:<profile>"."""
    mac = _mac(hash_key).copy()
    mac.update(f"{kind}:{value}".encode())
    return mac.hexdigest()


def keys_of(hash_key: str, kind: str, value: str) -> str | None:
    """The keyed hash of an email or link as stored for a person, or None (a link not to LinkedIn)."""
    if kind == "email":
        address = value.strip().lower()
        return keyed_hash(hash_key, "email", address) if "@" in address else None
    profile = linkedin_key(value)
    return keyed_hash(hash_key, "linkedin", profile) if profile else None


def _since_year(row: repo.SharedPerson) -> int:
    began = [row.first_contact_at] if row.first_contact_at is not None else []
    if row.met_on is not None:
        began.append(datetime(row.met_on.year, row.met_on.month, row.met_on.day, 12, tzinfo=UTC))
    return min(began).year if began else row.created_at.year


def refresh(session: Session, *, team_id: int, owner_id: int, now: datetime) -> int:
    """Compute the member's shared entries for the team from their live data, in place of the old
    ones; how many there are now."""
    require_member(session, team_id=team_id, owner_id=owner_id)
    stamp = repo.data_stamp(session, owner_id=owner_id)  # before reading: a later write moves it
    # Marked first: the row's lock makes a second refresh of the same member (another process asking
    # at the same moment) wait for this one's commit, then replace what it wrote.
    repo.mark_refreshed(session, team_id=team_id, owner_id=owner_id, stamp=stamp, now=now)
    team = repo.team(session, team_id)
    assert team is not None
    chosen = repo.rules(session, team_id=team_id, owner_id=owner_id)
    if not chosen:
        repo.clear_shares(session, team_id=team_id, owner_id=owner_id)
        return 0
    prefs = preferences.load(session, owner_id=owner_id)
    dormant_days = int(prefs["dormant.days"])
    people = repo.shared_people(session, owner_id=owner_id, chosen=chosen)
    keys: dict[int, set[str]] = {}
    for address in repo.addresses(session, owner_id=owner_id, chosen=chosen):
        if (hashed := keys_of(team.hash_key, address.kind, address.value)) is not None:
            keys.setdefault(address.person_id, set()).add(hashed)
    shares = [
        {
            "team_id": team_id,
            "owner_id": owner_id,
            "person_id": p.id,
            "name": p.display_name,
            "name_key": name_key(p.display_name),
            "organisation": p.company or None,
            "organisation_key": company_key(p.company) or None,
            "title": p.title or None,
            "band": band(
                scoring.strength_total(p, p, at=now, prefs=prefs),  # type: ignore[arg-type]
                p.last_contact_at,
                now=now,
                dormant_days=dormant_days,
            ),
            "since_year": _since_year(p),
            "updated_at": now,
        }
        for p in people
    ]
    repo.replace_shares(session, team_id=team_id, owner_id=owner_id, shares=shares, keys=keys)
    return len(shares)


def refresh_stale(session: Session, *, team_id: int, asker_id: int, now: datetime) -> list[int]:
    """Compute again the entries of the asker's teammates whose data changed since (module docstring)."""
    stale = repo.stale_members(session, team_id=team_id, asker_id=asker_id, before=now - REFRESH_MAX_AGE)
    for owner_id in stale:
        refresh(session, team_id=team_id, owner_id=owner_id, now=now)
    return stale


# --- asking -------------------------------------------------------------------------------------------


def who(
    session: Session,
    *,
    team_id: int,
    asker_owner_id: int,
    now: datetime,
    organisation: str | None = None,
    person_id: int | None = None,
) -> list[Knower]:
    """Which teammates (never the asker) know someone at an organisation (its name folded, legal
    suffixes dropped: "ACME, Inc." is "Acme"), or know the asker's own person: matched by the keyed
    hashes of that person's emails and LinkedIn URL, else by their folded name. Strongest band first."""
    if (organisation is None) == (person_id is None):
        raise InvalidInput("who: name an organisation or a person (--person), one of the two")
    require_member(session, team_id=team_id, owner_id=asker_owner_id)
    refresh_stale(session, team_id=team_id, asker_id=asker_owner_id, now=now)
    if organisation is not None:
        key = company_key(organisation)
        if not key:
            raise InvalidInput("who: an organisation's name is needed")
        rows = repo.knowers_at(session, team_id=team_id, asker_id=asker_owner_id, organisation_key=key)
    else:
        assert person_id is not None
        rows = _knowers_of_person(session, team_id=team_id, asker_id=asker_owner_id, person_id=person_id)
    order = {b: i for i, b in enumerate(BANDS)}
    found = sorted(set(rows), key=lambda r: (order[r.band], r.since_year, r.username.casefold(), r.name))
    _audit(session, team_id=team_id, asker_id=asker_owner_id, organisation=organisation, rows=found, now=now)
    return [
        Knower(r.username, r.band, r.since_year, r.name, r.title, r.organisation, r.share_id) for r in found
    ]


def _audit(
    session: Session,
    *,
    team_id: int,
    asker_id: int,
    organisation: str | None,
    rows: list[repo.KnowerRow],
    now: datetime,
) -> None:
    """One audit row per member whose entries matched: who asked, what, when (tieline team audit)."""
    holders: dict[int, list[repo.KnowerRow]] = {}
    for r in rows:
        holders.setdefault(r.owner_id, []).append(r)
    repo.add_audit(
        session,
        [
            {
                "team_id": team_id,
                "owner_id": holder,
                "asker_id": asker_id,
                "what": "who_organisation" if organisation is not None else "who_person",
                "query": organisation.strip()
                if organisation is not None
                else ", ".join(sorted({r.name for r in matched})),
                "matched": len(matched),
                "at": now,
            }
            for holder, matched in sorted(holders.items())
        ],
    )


def _knowers_of_person(
    session: Session, *, team_id: int, asker_id: int, person_id: int
) -> list[repo.KnowerRow]:
    team = repo.team(session, team_id)
    assert team is not None
    summary = repo.shared_people(session, owner_id=asker_id, chosen=[repo.RuleRow("person", str(person_id))])
    if not summary:
        raise NotFound(f"no person with id {person_id}")
    hashes = {
        hashed
        for a in repo.person_addresses(session, owner_id=asker_id, person_id=person_id)
        if (hashed := keys_of(team.hash_key, a.kind, a.value)) is not None
    }
    if hashes and (
        rows := repo.knowers_by_keys(session, team_id=team_id, asker_id=asker_id, key_hashes=hashes)
    ):
        return rows
    return repo.knowers_by_name(
        session, team_id=team_id, asker_id=asker_id, name_key=name_key(summary[0].display_name)
    )
