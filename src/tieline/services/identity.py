"""Who is who: match people by email, LinkedIn URL, phone, then name and company, with reasons.

A match is *certain* when it rests on an identifier (email, LinkedIn URL, a phone shared by people
of similar names) or on the same full name at the same company; anything weaker is a candidate
for review (`tieline duplicates`). Two people with different LinkedIn URLs are never the same
person, however alike their names and employers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from rapidfuzz import fuzz, process

from tieline.text import fold

# Nickname -> the given name it stands for; both sides of a comparison are mapped before matching.
NICKNAMES = {
    "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
    "bill": "william", "billy": "william", "will": "william", "willy": "william", "liam": "william",
    "liz": "elizabeth", "lizzie": "elizabeth", "beth": "elizabeth", "betty": "elizabeth",
    "eliza": "elizabeth", "libby": "elizabeth", "jim": "james", "jimmy": "james", "jamie": "james",
    "mike": "michael", "mikey": "michael", "mick": "michael", "tom": "thomas", "tommy": "thomas",
    "dick": "richard", "rick": "richard", "ricky": "richard", "rich": "richard",
    "dave": "david", "davy": "david", "dan": "daniel", "danny": "daniel", "joe": "joseph",
    "joey": "joseph", "chris": "christopher", "kate": "katherine", "katie": "katherine",
    "kathy": "katherine", "cathy": "catherine", "jen": "jennifer", "jenny": "jennifer",
    "sam": "samuel", "alex": "alexander", "sasha": "alexander", "andy": "andrew", "drew": "andrew",
    "tony": "anthony", "steve": "stephen", "steven": "stephen", "ted": "edward", "ed": "edward",
    "eddie": "edward", "ned": "edward", "matt": "matthew", "nick": "nicholas", "pat": "patrick",
    "peggy": "margaret", "maggie": "margaret", "meg": "margaret", "sue": "susan", "suzy": "susan",
    "jack": "john", "johnny": "john", "jon": "john", "greg": "gregory", "ben": "benjamin",
    "charlie": "charles", "chuck": "charles", "fred": "frederick", "freddie": "frederick",
    "hank": "henry", "harry": "henry", "larry": "lawrence", "len": "leonard", "lenny": "leonard",
    "ron": "ronald", "ronnie": "ronald", "tim": "timothy", "vicky": "victoria", "abby": "abigail",
    "becky": "rebecca", "pam": "pamela", "mandy": "amanda", "debbie": "deborah", "nate": "nathan",
    "josh": "joshua", "zach": "zachary", "pepe": "jose", "paco": "francisco", "nacho": "ignacio",
    "lupe": "guadalupe", "manolo": "manuel", "sandro": "alessandro", "beppe": "giuseppe",
}  # fmt: skip
_COMPANY_SUFFIXES = re.compile(
    r"\b(inc|incorporated|ltd|limited|llc|llp|plc|gmbh|ag|sa|sas|sarl|bv|nv|corp|corporation|co|company"
    r"|group|holdings?|pty|srl|spa|oy|ab|as|kk)\b\.?"
)
_NON_WORD = re.compile(r"[\W_]+")

CERTAIN = 0.9  # a match at or above this confidence is merged without asking
NAME_CUTOFF = 85.0  # least name similarity (0-100) for a pair to be considered at all
MAX_BLOCK = 2000  # a name word shared by more people than this is not used to find similar names


def linkedin_key(url: str | None) -> str | None:
    """A LinkedIn profile URL reduced to compare equal however it was written, else None."""
    if not url or "linkedin.com" not in url.lower():
        return None
    text = url.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    host, _, rest = text.partition("/")
    if not rest or not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    rest = rest.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return f"linkedin.com/{rest}" if rest else None


def phone_key(number: str | None, region: str | None = None) -> str | None:
    """The national significant number of a phone, so +44 20 7946 0958 and 020 7946 0958 agree.

    Numbers of fewer than 7 digits (extensions, short codes) are not identifiers and give None.
    """
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, region)
        digits = str(parsed.national_number)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", number).lstrip("0")
    return digits if len(digits) >= 7 else None


def name_tokens(name: str | None) -> list[str]:
    """The words of a name, folded, with nicknames replaced by the names they stand for, sorted."""
    if not name:
        return []
    words = _NON_WORD.sub(" ", fold(name)).split()
    return sorted(NICKNAMES.get(w, w) for w in words)


def name_key(name: str | None) -> str:
    """A name in a form where word order, accents, case and nicknames no longer matter."""
    return " ".join(name_tokens(name))


def company_key(company: str | None) -> str:
    """A company name without case, accents, punctuation or legal suffixes ("ACME, Inc." -> "acme")."""
    if not company:
        return ""
    text = _COMPANY_SUFFIXES.sub(" ", _NON_WORD.sub(" ", fold(company)))
    return " ".join(text.split())


@dataclass
class Facts:
    """What identity resolution knows about a person (or an incoming record)."""

    id: int
    name: str
    company: str | None = None
    emails: set[str] = field(default_factory=set)
    linkedin: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    name_key: str = ""
    company_key: str = ""

    def __post_init__(self) -> None:
        self.name_key = self.name_key or name_key(self.name)
        self.company_key = self.company_key or company_key(self.company)


@dataclass(frozen=True)
class Match:
    """Two people judged to be one, how sure we are (0-1), and why."""

    a: int
    b: int
    confidence: float
    reasons: tuple[str, ...]

    @property
    def certain(self) -> bool:
        """Sure enough to merge without asking."""
        return self.confidence >= CERTAIN


def compare(a: Facts, b: Facts) -> Match | None:
    """The evidence that two people are one, or None when there is none (or a LinkedIn conflict)."""
    reasons: list[str] = []
    linkedin_conflict = bool(a.linkedin and b.linkedin and not a.linkedin & b.linkedin)
    if linkedin_conflict and not a.emails & b.emails:
        return None  # two LinkedIn profiles are two people, whatever else they share
    if shared := a.linkedin & b.linkedin:
        reasons.append(f"same LinkedIn profile {min(shared)}")
    if shared := a.emails & b.emails:
        reasons.append(f"same email {min(shared)}")
    similarity = fuzz.token_sort_ratio(a.name_key, b.name_key) if a.name_key and b.name_key else 0.0
    same_company = bool(a.company_key) and a.company_key == b.company_key
    if same_company:
        reasons.append(f"same company {a.company or b.company}")
    phone_shared = a.phones & b.phones
    if phone_shared:
        reasons.append(f"same phone (…{min(phone_shared)[-4:]})")
    if similarity >= NAME_CUTOFF:
        reasons.insert(0, "same name" if similarity == 100 else f"similar names ({similarity:.0f}/100)")
    if a.linkedin & b.linkedin:
        return Match(a.id, b.id, 1.0, tuple(reasons))
    if a.emails & b.emails:
        return Match(a.id, b.id, 0.7 if linkedin_conflict else 1.0, tuple(reasons))
    if linkedin_conflict:
        return None
    full_name = len(a.name_key.split()) >= 2
    if phone_shared:
        return Match(a.id, b.id, 0.95 if similarity >= 60 else 0.6, tuple(reasons))
    if similarity < NAME_CUTOFF:
        return None
    if similarity == 100 and same_company and full_name:
        confidence = 0.9
    elif same_company:
        confidence = 0.8
    elif similarity == 100 and full_name and not (a.company_key and b.company_key):
        confidence = 0.7
    elif similarity == 100 and full_name:
        confidence = 0.5  # the same name at two employers: maybe a job change, maybe a namesake
    else:
        confidence = 0.4
    return Match(a.id, b.id, confidence, tuple(reasons))


class Index:
    """People by each identifier and by name word, for resolving many incoming records quickly."""

    def __init__(self, people: Iterable[Facts] = ()) -> None:
        self.facts: dict[int, Facts] = {}
        self.by_email: dict[str, set[int]] = defaultdict(set)
        self.by_linkedin: dict[str, set[int]] = defaultdict(set)
        self.by_phone: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        # Name word -> (ids, name keys) in step, so a block is compared in one rapidfuzz call.
        self.by_token: dict[str, tuple[list[int], list[str]]] = {}
        for person in people:
            self.add(person)

    def add(self, person: Facts) -> None:
        """Index a person."""
        self.facts[person.id] = person
        for email in person.emails:
            self.by_email[email].add(person.id)
        for key in person.linkedin:
            self.by_linkedin[key].add(person.id)
        for key in person.phones:
            self.by_phone[key].add(person.id)
        if person.name_key:
            self.by_name[person.name_key].add(person.id)
            for token in set(person.name_key.split()):
                ids, keys = self.by_token.setdefault(token, ([], []))
                ids.append(person.id)
                keys.append(person.name_key)

    def candidates(self, incoming: Facts) -> set[int]:
        """Ids of people sharing an identifier or the name with `incoming`, or with a similar name.

        Similar names are looked for among people sharing a name word; a word shared by more than
        MAX_BLOCK people ("john", "wang") says too little to be worth comparing against them all.
        """
        found: set[int] = set()
        for email in incoming.emails:
            found |= self.by_email.get(email, set())
        for key in incoming.linkedin:
            found |= self.by_linkedin.get(key, set())
        for key in incoming.phones:
            found |= self.by_phone.get(key, set())
        found |= self.by_name.get(incoming.name_key, set())
        for token in set(incoming.name_key.split()):
            ids, keys = self.by_token.get(token, ([], []))
            if 0 < len(ids) <= MAX_BLOCK:
                for _, _, i in process.extract(
                    incoming.name_key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_CUTOFF, limit=20
                ):
                    found.add(ids[i])
        found.discard(incoming.id)
        return found

    def best(self, incoming: Facts) -> Match | None:
        """The strongest match for `incoming` among the indexed people, ties broken by lowest id."""
        matches = [m for pid in self.candidates(incoming) if (m := compare(self.facts[pid], incoming))]
        if not matches:
            return None
        return max(matches, key=lambda m: (m.confidence, -m.a))


def duplicate_pairs(people: list[Facts], *, min_confidence: float = 0.6) -> list[Match]:
    """Every pair of people that may be one, best first: shared identifiers, then similar names.

    Each distinct name is compared once, and only with names sharing one of its words (blocking),
    so 30,000 people cost seconds rather than 450 million comparisons.
    """
    index = Index(people)
    pairs: set[tuple[int, int]] = set()
    for groups in (index.by_email, index.by_linkedin, index.by_phone, index.by_name):
        for ids in groups.values():
            ordered = sorted(ids)
            pairs.update((x, y) for i, x in enumerate(ordered) for y in ordered[i + 1 :])
    names = sorted(index.by_name)
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(names):
        for token in set(key.split()):
            blocks[token].append(position)
    for block in blocks.values():
        if not 2 <= len(block) <= MAX_BLOCK * 5:
            continue
        keys = [names[p] for p in block]
        for i in range(len(keys) - 1):
            for _, _, j in process.extract(
                keys[i], keys[i + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=NAME_CUTOFF, limit=None
            ):
                for a in index.by_name[keys[i]]:
                    for b in index.by_name[keys[i + 1 + j]]:
                        pairs.add((a, b) if a < b else (b, a))
    matches = [m for x, y in pairs if (m := compare(index.facts[x], index.facts[y]))]
    kept = [m for m in matches if m.confidence >= min_confidence]
    return sorted(kept, key=lambda m: (-m.confidence, m.a, m.b))
