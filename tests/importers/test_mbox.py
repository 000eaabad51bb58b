"""mbox and Maildir parsing: headers only, direction, lists and robots left out, streaming."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importers.mutations import mutated
from tieline.importers import mbox
from tieline.importers.records import ImportOptions, InteractionRecord, MalformedFile, SkippedRecord

DATA = Path(__file__).parents[1] / "data" / "mbox"
FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures" / "mbox"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not present")
ME = ImportOptions(own_emails=frozenset({"me@example.com"}))
WITH_BODIES = ImportOptions(own_emails=ME.own_emails, include_bodies=True)


def _without_notes(
    records: list[InteractionRecord | SkippedRecord],
) -> list[InteractionRecord | SkippedRecord]:
    return [dataclasses.replace(r, notes=None) if isinstance(r, InteractionRecord) else r for r in records]


def emails(path: Path, options: ImportOptions = ME) -> list[InteractionRecord]:
    return [r for r in mbox.parse(path, options=options) if isinstance(r, InteractionRecord)]


def skips(path: Path, options: ImportOptions = ME) -> list[tuple[int | None, str]]:
    return [
        (r.origin.line, r.reason) for r in mbox.parse(path, options=options) if isinstance(r, SkippedRecord)
    ]


# --- our own files ---------------------------------------------------------------------------


def test_direction_participants_and_decoded_headers() -> None:
    first, reply, no_date = emails(DATA / "conversations.mbox")
    assert first.kind == "email" and first.initiated_by == "them"
    assert first.subject == "Café next week?"  # =?UTF-8?Q?...?=
    assert first.emails == ["ana.lima@fictional-robotics.example"]
    assert first.names == {"ana.lima@fictional-robotics.example": "Lima, Ana"}
    assert first.occurred_at == datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    assert first.source_id == "msg-001@fictional-robotics.example"
    assert reply.initiated_by == "me"
    assert reply.subject == "Re: Café next week?"  # =?UTF-8?B?...?=
    assert reply.emails == ["ana.lima@fictional-robotics.example", "juergen.mueller@beispiel.example"]
    assert reply.names["juergen.mueller@beispiel.example"] == "Jürgen Müller"  # ISO-8859-1 encoded word
    # No Date header: the date of the "From " separator line is used.
    assert no_date.occurred_at == datetime(2024, 1, 19, 11, 30, tzinfo=UTC)


def test_addressed_to_me_alone_only_when_from_them_to_just_me() -> None:
    first, reply, no_date = emails(DATA / "conversations.mbox")
    assert first.addressed_to_me_alone is True
    assert reply.addressed_to_me_alone is False  # mine
    assert no_date.addressed_to_me_alone is False  # Ana was also on it


def test_lists_robots_broadcasts_bad_dates_duplicates_and_notes_to_self_are_skipped() -> None:
    assert skips(DATA / "conversations.mbox") == [
        (24, "mailing-list message (List-Id header)"),
        (34, "sent by an automated or placeholder address (noreply@shop.example)"),
        (43, "bulk mail (Precedence: bulk)"),
        (53, "sent to 11 recipients (more than 10): a broadcast"),
        (64, "cannot read the Date header 'the day after tomorrow, probably'"),
        (81, "the same message as at line 1"),
        (90, "no other participant: only you, or automated and placeholder addresses"),
    ]


def test_max_recipients_is_configurable() -> None:
    wide = ImportOptions(own_emails=ME.own_emails, max_recipients=20)
    assert any(r.subject == "Party invitation" for r in emails(DATA / "conversations.mbox", wide))


def test_no_reply_senders_can_be_kept_when_asked() -> None:
    keep = ImportOptions(own_emails=ME.own_emails, skip_no_reply=False)
    assert any(r.subject == "Your order" for r in emails(DATA / "conversations.mbox", keep))


def test_body_lines_starting_with_from_do_not_split_messages() -> None:
    # "From what I remember..." follows a text line and has no date: it is body, not a separator.
    assert len(list(mbox.parse(DATA / "conversations.mbox", options=ME))) == 10


def test_maildir_messages_are_read_from_cur_and_new() -> None:
    zoe, mine = emails(DATA / "maildir")
    assert zoe.names == {"zoe.angstrom@exempel.example": "Zoë Ångström"}  # raw UTF-8 header bytes
    assert zoe.addressed_to_me_alone is True
    assert mine.initiated_by == "me" and mine.source == "maildir"
    assert zoe.origin.path.endswith("1709630100.M1P1.host,S=200,W=210")
    assert mbox.sniff(DATA / "maildir")


def test_a_file_that_is_not_an_mbox_is_refused_with_file_and_line() -> None:
    with pytest.raises(MalformedFile) as caught:
        list(mbox.parse(DATA / "not_an_mbox.mbox", options=ME))
    assert "not_an_mbox.mbox:1: not an mbox" in str(caught.value)
    assert not mbox.sniff(DATA / "not_an_mbox.mbox")


def test_an_empty_file_or_a_folder_that_is_no_maildir_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"")
    with pytest.raises(MalformedFile, match="empty"):
        list(mbox.parse(empty, options=ME))
    with pytest.raises(MalformedFile, match="not a Maildir"):
        list(mbox.parse(tmp_path, options=ME))


def test_messages_across_chunk_boundaries_and_huge_bodies(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    body = b"x" * 3_000_000  # one line longer than a read chunk
    with path.open("wb") as out:
        for i in range(3):
            out.write(f"From a{i}@example.org Mon Jan 15 09:00:00 2024\n".encode())
            out.write(
                f"From: A{i} <a{i}@example.org>\nTo: me@example.com\nDate: Mon, 15 Jan 2024 10:00:00 +0000\n".encode()
            )
            out.write(f"Message-ID: <{i}@example.org>\nSubject: n{i}\n\n".encode() + body + b"\n\n")
    records = emails(path)
    assert [r.subject for r in records] == ["n0", "n1", "n2"]
    assert [r.origin.line for r in records] == [1, 10, 19]


@pytest.mark.parametrize("chunk", [1, 7, 64, 1000])
def test_tiny_read_chunks_give_the_same_records(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    files = [DATA / "conversations.mbox"]
    if FIXTURES.is_dir():
        files += [p for p in sorted(FIXTURES.glob("*.mbox")) if "NOT_an_mbox" not in p.name]
    expected = [list(mbox.parse(path, options=ME)) for path in files]
    monkeypatch.setattr(mbox, "_CHUNK", chunk)
    assert [list(mbox.parse(path, options=ME)) for path in files] == expected


def test_bodies_are_kept_only_when_asked() -> None:
    assert all(r.notes is None for r in emails(DATA / "conversations.mbox"))
    first, reply, no_date = emails(DATA / "conversations.mbox", WITH_BODIES)
    assert first.notes == "Hi, coffee next week?\nFrom what I remember you like the place on Park Street."
    assert reply.notes == "Yes! Bringing Jürgen.\nFrom the archive: nothing."  # mboxrd ">From" unquoted
    assert _without_notes([first, reply, no_date]) == emails(DATA / "conversations.mbox")
    zoe, _ = emails(DATA / "maildir", WITH_BODIES)
    assert zoe.notes == "Hej!"


# --- real files from other projects ----------------------------------------------------------


@needs_fixtures
def test_every_real_mbox_parses_or_is_refused_clearly() -> None:
    alice = ImportOptions(own_emails=frozenset({"alice@wonder.land"}))
    counts = {}
    for path in sorted(FIXTURES.glob("*.mbox")):
        if path.name == "neomutt_cherry_NOT_an_mbox.mbox":
            with pytest.raises(MalformedFile, match="not an mbox"):
                list(mbox.parse(path, options=alice))
            continue
        counts[path.name] = len(emails(path, alice))
    assert counts == {
        "mailutils_bigto.mbox": 1,
        "mailutils_teaparty.mbox": 94,
        "roundcube_import.mbox": 3,
        "thunderbird_bugmail1.mbox": 0,
    }


@needs_fixtures
def test_teaparty_thread_directions() -> None:
    alice = ImportOptions(own_emails=frozenset({"alice@wonder.land"}))
    records = emails(FIXTURES / "mailutils_teaparty.mbox", alice)
    assert sum(r.initiated_by == "me" for r in records) == 37  # 38 from Alice, one of them to herself
    assert sum(r.initiated_by == "them" for r in records) == 57
    assert records[0].names == {"hare@wonder.land": "March Hare"}  # double spaces in the display name
    assert records[0].addressed_to_me_alone is True
    assert skips(FIXTURES / "mailutils_teaparty.mbox", alice) == [
        (1184, "no other participant: only you, or automated and placeholder addresses")
    ]


@needs_fixtures
def test_folded_to_header_with_commas_in_quoted_names() -> None:
    (message,) = emails(FIXTURES / "mailutils_bigto.mbox")
    assert len(message.emails) == 9
    assert message.names["ayoung@some.domai.ca"] == "Ayoung-Chee, Nigel Paul -- Nigel Paul Ayoung-Chee"
    assert message.occurred_at == datetime(1997, 9, 12, 23, 57, 4, tzinfo=UTC)  # "-0400 (EDT)"
    narrow = ImportOptions(max_recipients=5)
    assert skips(FIXTURES / "mailutils_bigto.mbox", narrow) == [
        (1, "sent to 8 recipients (more than 5): a broadcast")
    ]


@needs_fixtures
def test_crlf_mbox_with_a_message_id_reused_by_three_messages() -> None:
    records = emails(FIXTURES / "roundcube_import.mbox")
    assert [r.subject for r in records] == ["Import 1", "Import 2", "Import 3"]
    assert records[0].source_id == "de75@tester.local"
    assert records[1].source_id.startswith("de75@tester.local#") and len({r.source_id for r in records}) == 3


@needs_fixtures
def test_thunderbird_separator_and_a_placeholder_sender() -> None:
    assert skips(FIXTURES / "thunderbird_bugmail1.mbox") == [
        (1, "sent by an automated or placeholder address (primaryemail1@test.invalid)")
    ]


# --- fuzzing ---------------------------------------------------------------------------------


def _sources() -> list[bytes]:
    files = [DATA / "conversations.mbox"]
    if FIXTURES.is_dir():
        files += [p for p in sorted(FIXTURES.glob("*.mbox")) if "NOT_an_mbox" not in p.name]
    return [f.read_bytes()[:6000] for f in files]


def _check(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.mbox"
        path.write_bytes(content)
        try:
            records = list(mbox.parse(path, options=ME))
        except MalformedFile as exc:
            assert str(path) in str(exc)
            with pytest.raises(MalformedFile):
                list(mbox.parse(path, options=WITH_BODIES))
            return
        # The line-by-line reader used for bodies finds the very same messages as the chunked one.
        assert _without_notes(list(mbox.parse(path, options=WITH_BODIES))) == records
        for record in records:
            assert isinstance(record, InteractionRecord | SkippedRecord)
            assert record.origin.line is not None and record.origin.line >= 1
            if isinstance(record, InteractionRecord):
                assert record.occurred_at.tzinfo is not None and record.emails


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1500))
def test_random_bytes_never_crash_the_parser(content: bytes) -> None:
    _check(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(_sources()))
def test_mutated_real_files_yield_records_or_a_domain_error(content: bytes) -> None:
    _check(content)
