"""vCard parsing: real exports from phones and mail clients, our own broken files, and fuzzed ones."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importers.mutations import mutated
from tieline.importers import vcard
from tieline.importers.records import LabeledValue, MalformedFile, PersonRecord, SkippedRecord

DATA = Path(__file__).parents[1] / "data" / "vcard"
FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures" / "vcard"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not present")


def people(path: Path) -> list[PersonRecord]:
    return [r for r in vcard.parse(path) if isinstance(r, PersonRecord)]


def skipped(path: Path) -> list[SkippedRecord]:
    return [r for r in vcard.parse(path) if isinstance(r, SkippedRecord)]


def extra_names(person: PersonRecord) -> list[str]:
    return [name for name, _params, _value in person.extra.get("vcard", [])]


# --- our own files ---------------------------------------------------------------------------


def test_apple_grouped_labels_become_the_labels_of_their_values() -> None:
    ana, chinedu = people(DATA / "apple_grouped.vcf")
    assert ana.display_name == "Dr. Ana Beatriz Lima"
    assert (ana.given_name, ana.middle_name, ana.family_name, ana.name_prefix) == (
        "Ana",
        "Beatriz",
        "Lima",
        "Dr.",
    )
    assert ana.emails == [
        LabeledValue("ana.lima@fictional-robotics.example", "work"),
        LabeledValue("ana@home.example", "Book club"),
        LabeledValue("ana.b.lima@mail.example", "home"),
    ]
    assert ana.phones == [LabeledValue("+44 7700 900123", "cell"), LabeledValue("+44 20 7946 0958", "work")]
    assert ana.links[0] == LabeledValue("https://www.linkedin.com/in/ana-lima-example", "homepage")
    assert (ana.company, ana.department, ana.title) == (
        "Fictional Robotics Ltd",
        "Research",
        "Head of Perception",
    )
    assert ana.tags == ["Robotics", "Bristol"]
    assert ana.notes == "Met at the Bristol robotics meetup, 2023.\nLikes climbing."
    assert ana.source_id == "8F0C2B4E-1D2A-4C55-9A8E-ANA-LIMA-0001"
    assert chinedu.source_id.startswith("sha1:")


def test_birthday_without_a_year_in_apple_and_vcard4_forms() -> None:
    ana, chinedu = people(DATA / "apple_grouped.vcf")
    assert ana.birthday == "--05-17"  # BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-17
    assert chinedu.birthday == "--09-23"  # BDAY:--0923
    (mei, _) = people(DATA / "v4.vcf")
    assert mei.birthday == "--05-17"


def test_properties_without_a_field_are_kept_raw_for_export() -> None:
    ana, chinedu = people(DATA / "apple_grouped.vcf")
    raw = {name: (params, value) for name, params, value in ana.extra["vcard"]}
    assert raw["item4.ADR"] == (
        {"TYPE": ["HOME", "pref"]},
        ";;12 Example Row;Bristol;;BS1 4XX;United Kingdom",
    )
    assert raw["item5.X-ABRELATEDNAMES"][1] == "Carlos Lima"
    assert raw["item5.X-ABLABEL"][1] == "_$!<Spouse>!$_"  # its label stays with it
    assert raw["X-SOCIALPROFILE"] == ({"TYPE": ["twitter"]}, "https://twitter.com/ana_example")
    assert ana.location == "Bristol, United Kingdom"
    # Labels consumed as email/url labels are not repeated, bookkeeping is not kept.
    assert "item1.X-ABLABEL" not in raw and "REV" not in raw and "PRODID" not in raw
    assert extra_names(chinedu) == ["X-ANDROID-CUSTOM"]


def test_photos_are_recorded_but_not_stored() -> None:
    ana, _ = people(DATA / "apple_grouped.vcf")
    assert ana.extra["photo"] == {"media_type": "image/jpeg", "bytes": 160}
    mei, _ = people(DATA / "v4.vcf")
    assert mei.extra["photo"] == {"media_type": "image/png", "bytes": 70}  # a data: URI


def test_vcard4_preferred_email_comes_first_and_tel_uri_is_read() -> None:
    mei, org = people(DATA / "v4.vcf")
    assert mei.emails[0] == LabeledValue("mei@tanaka-family.example", "home")  # PREF=1
    assert mei.phones == [LabeledValue("+81-90-1234-5678", "cell")]
    assert mei.source_id == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert "IMPP" in extra_names(mei) and "ANNIVERSARY" in extra_names(mei)
    assert org.display_name == "Northwind Example Trading"
    assert "KIND" in extra_names(org)


def test_vcard21_quoted_printable_with_charset_soft_breaks_and_raw_latin1() -> None:
    juergen, lucia = people(DATA / "outlook_21.vcf")
    assert juergen.display_name == "Jürgen Müller"
    assert (
        juergen.notes
        == "First line\nSecond line that is long enough to be wrapped with a soft line break, and one more"
    )
    assert juergen.location == "Köln, Deutschland"
    assert juergen.birthday == "1975-01-02"
    assert juergen.phones == [LabeledValue("+49 30 1234567", "work")]
    assert lucia.display_name == "Lucía García"  # raw ISO-8859-1 bytes, no CHARSET given


@pytest.mark.parametrize("name", ["utf16_bom.vcf", "utf16le_no_bom.vcf"])
def test_utf16_files_with_and_without_bom(name: str) -> None:
    (zoe,) = people(DATA / name)
    assert zoe.display_name == "Zoë Ångström"
    assert zoe.emails == [LabeledValue("zoe.angstrom@exempel.example", None)]


def test_a_broken_card_is_skipped_with_its_line_and_the_others_are_kept() -> None:
    path = DATA / "broken_cards.vcf"
    assert [p.display_name for p in people(path)] == [
        "Good Before",
        "Only An Organisation Inc",
        "Raw Newline",
        "Good After",
    ]
    reasons = {(s.origin.line, s.reason.split(":")[0]) for s in skipped(path)}
    assert reasons == {
        (9, "broken card starting at line 6"),
        (12, "text outside any BEGIN"),
        (13, "card has no END"),
        (17, "card has no name, organisation, email or phone number"),
        (38, "card is not closed by END"),
    }
    raw_newline = people(path)[2]
    assert raw_newline.notes == "first line of a note\nsecond line the exporter forgot to escape"
    assert raw_newline.emails == [LabeledValue("raw.newline@example.com", None)]


def test_a_card_without_a_name_is_named_after_its_organisation() -> None:
    org = people(DATA / "broken_cards.vcf")[1]
    assert org.company == "Only An Organisation Inc"
    assert org.extra["name_derived"] is True


def test_a_file_with_no_card_is_refused_naming_file_and_line() -> None:
    with pytest.raises(MalformedFile) as caught:
        list(vcard.parse(DATA / "not_a_vcard.vcf"))
    assert "not_a_vcard.vcf:1" in str(caught.value)
    assert not vcard.sniff(DATA / "not_a_vcard.vcf")
    assert vcard.sniff(DATA / "utf16_bom.vcf")


def test_reparsing_gives_the_same_source_ids() -> None:
    for path in DATA.glob("*.vcf"):
        if path.name == "not_a_vcard.vcf":
            continue
        first = [p.source_id for p in people(path)]
        assert first == [p.source_id for p in people(path)]
        assert len(set(first)) == len(first)


@pytest.mark.slow
def test_ten_thousand_cards_parse_quickly(tmp_path: Path) -> None:
    import time

    card = (DATA / "apple_grouped.vcf").read_text().split("END:VCARD")[0]
    path = tmp_path / "many.vcf"
    path.write_text("".join(f"{card.replace('ANA-LIMA-0001', f'N{i}')}END:VCARD\n" for i in range(10_000)))
    started = time.process_time()
    count = sum(1 for r in vcard.parse(path) if isinstance(r, PersonRecord))
    assert count == 10_000
    # CPU time, with headroom for a machine busy with parallel tests; `bench.parsers` holds the 5 s target.
    assert time.process_time() - started < 8


def test_fields_tieline_exported_as_json_come_back_into_extra(tmp_path: Path) -> None:
    path = tmp_path / "exported.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\n"
        'X-TIELINE-EXTRA:{"photo": {"bytes": 160\\, "media_type": "image/jpeg"}}\n'
        "X-TIELINE-EXTRA:not json\nEND:VCARD\n"
    )
    (ana,) = people(path)
    assert ana.extra["photo"] == {"bytes": 160, "media_type": "image/jpeg"}
    assert ana.extra["vcard"] == [["X-TIELINE-EXTRA", {}, "not json"]]


# --- real files from other projects ----------------------------------------------------------


@needs_fixtures
def test_every_real_vcard_parses_without_error() -> None:
    counts = {path.name: len(people(path)) for path in sorted(FIXTURES.glob("*.vcf"))}
    assert counts == {
        "ez-vcard_John_Doe_ANDROID.vcf": 6,
        "ez-vcard_John_Doe_BLACK_BERRY.vcf": 1,
        "ez-vcard_John_Doe_EVOLUTION.vcf": 1,
        "ez-vcard_John_Doe_GMAIL.vcf": 1,
        "ez-vcard_John_Doe_IPHONE.vcf": 1,
        "ez-vcard_John_Doe_LOTUS_NOTES.vcf": 1,
        "ez-vcard_John_Doe_MAC_ADDRESS_BOOK.vcf": 1,
        "ez-vcard_John_Doe_MS_OUTLOOK.vcf": 1,
        "khard_korean-c.vcf": 1,
        "radicale_broken-vcards.vcf": 2,
        "radicale_vcard-quoted-printable1.vcf": 1,
        "sabre-vobject_issue153.vcf": 1,
    }
    assert all(not skipped(path) for path in FIXTURES.glob("*.vcf"))


@needs_fixtures
def test_android_quoted_printable_soft_breaks_and_cards_without_names() -> None:
    cards = people(FIXTURES / "ez-vcard_John_Doe_ANDROID.vcf")
    assert [c.display_name for c in cards[:2]] == ["john.doe@company.com", "jane.doe@company.com"]
    assert cards[3].display_name == " ".join(["Ñ"] * 11)  # QP continued over an unindented line
    assert [p.value for p in cards[3].phones] == ["123456", "234567", "3456789", "45678901"]
    bob = cards[4]
    assert bob.emails == [LabeledValue("bob@company.com", "work")]
    assert ["EMAIL", {"TYPE": ["pref"]}, "Ñ" * 14] in bob.extra["vcard"]  # not an address: kept raw
    assert bob.extra["photo"]["media_type"] == "image/jpeg"
    # A soft break followed by an empty line, then a lone invalid byte (=80): replaced, not mojibake.
    henry = cards[5]
    assert henry.company == "Ñ" * 44
    assert henry.extra["vcard"][0][2] == "Ñ" * 44 + "\ufffd"


@needs_fixtures
def test_iphone_crcrlf_lines_grouped_labels_and_photo() -> None:
    (john,) = people(FIXTURES / "ez-vcard_John_Doe_IPHONE.vcf")
    assert john.display_name == "Mr. John Richter James Doe Sr."
    assert len(john.phones) == 7
    assert john.phones[-1] == LabeledValue("905-222-1234", "assistantphone")
    assert john.links == [LabeledValue("http://www.ibm.com", "homepage")]
    assert john.extra["photo"] == {"media_type": "image/jpeg", "bytes": 32531}


@needs_fixtures
def test_evolution_and_gmail_keep_what_has_no_field() -> None:
    (evo,) = people(FIXTURES / "ez-vcard_John_Doe_EVOLUTION.vcf")
    assert evo.source_id == "477343c8e6bf375a9bac1f96a5000837"
    assert evo.middle_name == "Richter, James"  # an escaped comma inside a name component
    assert (evo.company, evo.department) == ("IBM", "Accounting")
    assert ["ORG", {}, "IBM;Accounting;Dungeon"] in evo.extra["vcard"]  # a third unit: raw ORG kept
    assert ["X-EVOLUTION-SPOUSE", {}, "Maria"] in evo.extra["vcard"]
    assert evo.emails == [LabeledValue("john.doe@ibm.com", "work")]
    (gmail,) = people(FIXTURES / "ez-vcard_John_Doe_GMAIL.vcf")
    assert ["item1.X-ABDATE", {}, "1975-03-01"] in gmail.extra["vcard"]
    assert gmail.notes is not None and gmail.notes.endswith("\nFavotire Color: Blue")


@needs_fixtures
def test_outlook_and_lotus_birthdays_labels_and_uids() -> None:
    (outlook,) = people(FIXTURES / "ez-vcard_John_Doe_MS_OUTLOOK.vcf")
    assert outlook.birthday == "1980-03-22"  # BDAY:19800322
    assert [
        "LABEL",
        {"TYPE": ["work", "pref"]},
        "Cresent moon drive\\nAlbaney, New York  12345",
    ] in outlook.extra["vcard"]
    (lotus,) = people(FIXTURES / "ez-vcard_John_Doe_LOTUS_NOTES.vcf")
    assert lotus.source_id == "0e7602cc-443e-4b82-b4b1-90f62f99a199"
    assert [e.value for e in lotus.emails] == ["john.doe@ibm.com", "billy_bob@gmail.com"]


@needs_fixtures
def test_cjk_names_in_quoted_printable_and_plain_utf8() -> None:
    (huang,) = people(FIXTURES / "radicale_vcard-quoted-printable1.vcf")
    assert (huang.display_name, huang.family_name, huang.given_name) == ("黄世勇", "黄", "世勇")
    assert huang.links[0].value == "http://weibo.com/3094900433?闪闪H红星"
    (korean,) = people(FIXTURES / "khard_korean-c.vcf")
    assert korean.display_name == "최유림"


@needs_fixtures
def test_radicale_cards_missing_n_and_fn_are_named_after_their_email() -> None:
    first, second = people(FIXTURES / "radicale_broken-vcards.vcf")
    assert first.display_name == "test-misses-N-or-FN@example.com"
    assert second.source_id == "C68582D2-2E60-0001-C2C0-000000000001.vcf"


# --- fuzzing ---------------------------------------------------------------------------------


def _sources() -> list[bytes]:
    files = sorted(DATA.glob("*.vcf"))
    if FIXTURES.is_dir():
        files += sorted(FIXTURES.glob("*.vcf"))
    return [f.read_bytes()[:6000] for f in files]


def _check(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.vcf"
        path.write_bytes(content)
        try:
            records = list(vcard.parse(path))
        except MalformedFile as exc:
            assert str(path) in str(exc)
            return
        for record in records:
            assert isinstance(record, PersonRecord | SkippedRecord)
            assert record.origin.path == str(path)
            if isinstance(record, PersonRecord):
                assert record.display_name and record.source_id


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_parser(content: bytes) -> None:
    _check(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(_sources()))
def test_mutated_real_files_yield_records_or_a_domain_error(content: bytes) -> None:
    _check(content)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=';:,="\\ABCDEFGHIJKLMNOPQRSTUVWXYZ-.\t ', max_size=200))
def test_hostile_property_lines_are_answered_in_time(line: str) -> None:
    _check(f"BEGIN:VCARD\nVERSION:3.0\nFN:x\n{line}\nEND:VCARD\n".encode())
