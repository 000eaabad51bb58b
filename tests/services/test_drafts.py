"""Message drafts for agenda lines (tieline.services.drafts): templates, context, overrides, mailto."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy.orm import Session

from tieline.errors import ConfigError, InvalidInput
from tieline.models import LOCAL_OWNER_ID, Favour, FollowUp, Milestone, Person
from tieline.services import interactions as interactions_service
from tieline.services import preferences
from tieline.services.agenda import agenda_for
from tieline.services.agenda.items import AgendaItem
from tieline.services.drafts import (
    TEMPLATE_NAMES,
    Draft,
    drafts_for,
    mailto,
    render_draft,
    shared,
    split_subject,
)

AddPerson = Callable[..., Person]
OWNER = LOCAL_OWNER_ID


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory: no user templates unless a test writes one."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def ana(session: Session, add_person: AddPerson) -> Person:
    """Ana: tier 2, CTO at Acme, two addresses, interests including accented ones."""
    return add_person(
        "Ana Lima",
        tier=2,
        title="CTO",
        company="Acme",
        lists={"emails": ["ana@acme.example", "ana@home.example"], "interests": ["Climbing", "Café", "jazz"]},
    )


def set_prefs(session: Session, **values: object) -> preferences.Preferences:
    for key, value in values.items():
        preferences.set_value(session, owner_id=OWNER, key=key.replace("__", "."), value=value)
    return preferences.load(session, owner_id=OWNER)


def contact(session: Session, person: Person, *, now: datetime, days_ago: int, kind: str = "coffee") -> None:
    interactions_service.log_interaction(
        session,
        owner_id=OWNER,
        kind=kind,
        people=[person],
        when=now - timedelta(days=days_ago),
        notes="private: she seemed tired",
        subject="Roadmap chat",
        now=now,
    )


def item_for(
    person: Person | None, *, kind: str, draft: str | None, ref_id: int | None = None, key: str = ""
) -> AgendaItem:
    return AgendaItem(
        key=key or f"{kind}:{person.id if person else 0}:{ref_id}",
        kind=kind,
        title=f"{kind} line",
        reasons=["because"],
        priority=1.0,
        person_id=person.id if person else None,
        person_name=person.display_name if person else None,
        ref_id=ref_id,
        draft=draft,
    )


def draft_of(session: Session, item: AgendaItem, *, now: datetime, data_dir: Path | None = None) -> Draft:
    prefs = preferences.load(session, owner_id=OWNER)
    return render_draft(session, owner_id=OWNER, item=item, prefs=prefs, data_dir=data_dir, now=now)


def test_check_in_draft_for_an_overdue_line_uses_what_is_known(
    session: Session, ana: Person, now: datetime, data_dir: Path
) -> None:
    set_prefs(session, me__name="Sam Roe", me__interests="climbing, cafe, chess")
    contact(session, ana, now=now, days_ago=45, kind="video_call")
    [item] = agenda_for(session, owner_id=OWNER, day=now.date(), now=now, remember=False).items
    assert item.draft == "check_in"

    draft = draft_of(session, item, now=now, data_dir=data_dir)

    assert draft.template == "check_in"
    assert draft.to == ["ana@acme.example", "ana@home.example"]
    assert draft.subject == "Catching up (and Climbing)"
    assert draft.body.startswith("Hi Ana,\n")
    assert "6 weeks since our video call in January" in draft.body
    assert "How are things going as CTO at Acme?" in draft.body
    assert "Climbing and Café" in draft.body  # shared, folded: "cafe" matches "Café"; jazz is not shared
    assert "jazz" not in draft.body
    assert draft.body.rstrip().endswith("Best,\nSam Roe")
    assert "private" not in draft.body  # private notes are available to templates, not quoted by default


def test_mailto_link_carries_recipients_subject_and_body(
    session: Session, ana: Person, now: datetime, data_dir: Path
) -> None:
    contact(session, ana, now=now, days_ago=45)
    draft = draft_of(
        session, item_for(ana, kind="keep_in_touch", draft="check_in"), now=now, data_dir=data_dir
    )

    link = urlsplit(draft.mailto)
    query = parse_qs(link.query)
    assert link.scheme == "mailto"
    assert unquote(link.path).split(",") == draft.to
    assert query["subject"] == [draft.subject]
    assert query["body"][0].replace("\r\n", "\n") == draft.body.rstrip("\n")
    assert " " not in draft.mailto and "\n" not in draft.mailto


def test_a_person_with_nothing_known_gets_no_none_in_any_template(
    session: Session, add_person: AddPerson, now: datetime, data_dir: Path
) -> None:
    bare = add_person("Bo")
    for name in TEMPLATE_NAMES:
        draft = draft_of(session, item_for(bare, kind="other", draft=name), now=now, data_dir=data_dir)
        assert draft.subject, name
        assert "None" not in draft.subject + draft.body, name
        assert draft.body.startswith("Hi Bo,"), name
        assert draft.to == []
        assert draft.mailto.startswith("mailto:?subject="), name


def test_a_line_about_nobody_still_drafts(session: Session, now: datetime, data_dir: Path) -> None:
    draft = draft_of(session, item_for(None, kind="follow_up", draft="follow_up"), now=now, data_dir=data_dir)
    assert draft.body.startswith("Hi,\n")
    assert draft.to == []


def test_thank_you_draft_names_the_favour(session: Session, ana: Person, now: datetime) -> None:
    favour = Favour(
        owner_id=OWNER,
        person_id=ana.id,
        direction="received",
        kind="introduction",
        text="intro to Bo at Globex",
        occurred_at=now - timedelta(days=1),
    )
    session.add(favour)
    session.flush()
    draft = draft_of(session, item_for(ana, kind="thanks", draft="thank_you", ref_id=favour.id), now=now)
    assert draft.subject == "Thank you for the introduction"
    assert "Thank you so much for the introduction (intro to Bo at Globex)." in draft.body


def test_follow_up_draft_quotes_the_follow_up(session: Session, ana: Person, now: datetime) -> None:
    promise = FollowUp(
        owner_id=OWNER, person_id=ana.id, text="send the hiring deck.", due_on=now.date(), is_promise=True
    )
    session.add(promise)
    session.flush()
    draft = draft_of(session, item_for(ana, kind="follow_up", draft="follow_up", ref_id=promise.id), now=now)
    assert "As promised, following up: send the hiring deck." in draft.body


def test_congratulations_on_a_milestone_and_on_a_birthday(
    session: Session, ana: Person, now: datetime
) -> None:
    award = Milestone(
        owner_id=OWNER, person_id=ana.id, kind="award", occurred_on=now.date(), text="Best CTO 2026"
    )
    session.add(award)
    session.flush()
    on_award = draft_of(
        session,
        item_for(
            ana,
            kind="congratulate",
            draft="congratulations",
            ref_id=award.id,
            key=f"congrats:milestone:{award.id}",
        ),
        now=now,
    )
    assert on_award.subject == "Congratulations on your award!"
    assert "I just heard about your award (Best CTO 2026)." in on_award.body

    birthday = draft_of(
        session,
        item_for(ana, kind="congratulate", draft="congratulations", key=f"congrats:birthday:{ana.id}:2026"),
        now=now,
    )
    assert birthday.subject == "Happy birthday, Ana!"


def test_a_recent_role_change_is_mentioned_and_an_old_one_is_not(
    session: Session, ana: Person, add_person: AddPerson, now: datetime
) -> None:
    today = now.date()
    old = add_person("Cy Old", title="VP", company="Initech")
    session.add_all(
        [
            Milestone(
                owner_id=OWNER, person_id=ana.id, kind="promotion", occurred_on=today - timedelta(days=20)
            ),
            Milestone(
                owner_id=OWNER, person_id=old.id, kind="new_job", occurred_on=today - timedelta(days=400)
            ),
        ]
    )
    session.flush()
    recent = draft_of(session, item_for(ana, kind="reactivate", draft="reconnect"), now=now)
    assert "I saw the news of your promotion: CTO at Acme. Congratulations!" in recent.body
    stale = draft_of(session, item_for(old, kind="reactivate", draft="reconnect"), now=now)
    assert "news" not in stale.body
    assert "Are you still VP at Initech?" in stale.body


def test_a_user_template_in_the_data_directory_wins(
    session: Session, ana: Person, now: datetime, data_dir: Path
) -> None:
    own = data_dir / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "check_in.txt.j2").write_text("Subject: Yo {{ first_name }}\n\nMy own words, {{ full_name }}.\n")

    mine = draft_of(
        session, item_for(ana, kind="keep_in_touch", draft="check_in"), now=now, data_dir=data_dir
    )
    theirs = draft_of(
        session, item_for(ana, kind="reactivate", draft="reconnect"), now=now, data_dir=data_dir
    )

    assert (mine.subject, mine.body) == ("Yo Ana", "My own words, Ana Lima.\n")
    assert theirs.subject == "It has been too long, Ana"  # no override: the package's template


def test_a_broken_user_template_is_a_config_error_naming_file_and_line(
    session: Session, ana: Person, now: datetime, data_dir: Path
) -> None:
    own = data_dir / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "check_in.txt.j2").write_text("Subject: hi\n\n{% if first_name %}\nno endif\n")
    with pytest.raises(ConfigError, match=r"check_in\.txt\.j2, line \d+"):
        draft_of(session, item_for(ana, kind="keep_in_touch", draft="check_in"), now=now, data_dir=data_dir)


def test_a_line_without_a_draft_is_refused(session: Session, ana: Person, now: datetime) -> None:
    with pytest.raises(InvalidInput, match="no message to draft"):
        draft_of(session, item_for(ana, kind="review_tier", draft=None), now=now)


def test_drafts_for_keys_drafts_by_item_and_skips_lines_without_one(
    session: Session, ana: Person, now: datetime
) -> None:
    items = [
        item_for(ana, kind="keep_in_touch", draft="check_in", key="a"),
        item_for(ana, kind="review_tier", draft=None, key="b"),
    ]
    prefs = preferences.load(session, owner_id=OWNER)
    out = drafts_for(session, owner_id=OWNER, items=items, prefs=prefs, data_dir=None, now=now)
    assert list(out) == ["a"]


def test_shared_interests_fold_case_and_accents_and_keep_their_spelling() -> None:
    assert shared(["CAFE", "rust ", "Go"], ["Café", "Rust", "python", "cafe"]) == ["Café", "Rust"]


@pytest.mark.parametrize(
    ("text", "subject", "body"),
    [
        ("Subject: Hello\n\nBody\n", "Hello", "Body\n"),
        ("\n\nsubject:   Spaced  \nBody line\n\n\n\nMore\n", "Spaced", "Body line\n\nMore\n"),
        ("No subject here\nSecond\n", "", "No subject here\nSecond\n"),
        ("Subject: Only\n", "Only", ""),
    ],
)
def test_split_subject(text: str, subject: str, body: str) -> None:
    assert split_subject(text) == (subject, body)


def test_mailto_encodes_per_rfc_6068() -> None:
    assert mailto(["a+b@x.org"], "Hi & bye?", "Line 1\nLine 2\n") == (
        "mailto:a+b@x.org?subject=Hi%20%26%20bye%3F&body=Line%201%0D%0ALine%202"
    )
    assert mailto([], "", "") == "mailto:"


def test_draft_dates_follow_the_clock_not_the_wall(session: Session, ana: Person, now: datetime) -> None:
    contact(session, ana, now=now, days_ago=10)
    later = now + timedelta(days=20)
    draft = draft_of(session, item_for(ana, kind="keep_in_touch", draft="check_in"), now=later)
    assert "It has been 4 weeks since our coffee in February" in draft.body


def test_a_user_template_asking_for_missing_values_gets_blanks_not_none_or_errors(
    session: Session, add_person: AddPerson, now: datetime, data_dir: Path
) -> None:
    own = data_dir / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "thank_you.txt.j2").write_text(
        "Subject: {{ nothing.here }}Thanks\n\n[{{ title }}|{{ last.notes }}|{{ favour.text }}|{{ my_name }}]\n"
    )
    draft = draft_of(
        session, item_for(add_person("Bo"), kind="thanks", draft="thank_you"), now=now, data_dir=data_dir
    )
    assert (draft.subject, draft.body) == ("Thanks", "[|||]\n")
