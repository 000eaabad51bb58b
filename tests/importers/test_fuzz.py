"""Random and mutated CSV content: every parser either parses or fails naming the file and line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tieline.errors import TielineError
from tieline.importers import contacts_csv, linkedin
from tieline.importers.records import MalformedFile, PersonRecord, RefusedFile, SkippedRecord

DATA = Path(__file__).parent.parent / "data" / "linkedin"
SEEDS = [
    (DATA / "export_2024" / "Connections.csv").read_bytes(),
    (DATA / "export_2018" / "Connections.csv").read_bytes(),
    (DATA / "export_2024" / "messages.csv").read_bytes(),
    (DATA / "export_2021" / "Invitations.csv").read_bytes(),
    b"First Name,Last Name,E-mail Address\r\nAna,Lima,ana@example.com\r\n",
    b'Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\n"Bo ""B"" Chen",Bo,Chen,* Home,bo@x.org ::: b@y.org\n',
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file with bytes flipped, cut, duplicated or spliced in."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "quote"]))
        if action == "flip" and data:
            data[where] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[where : where + draw(st.integers(1, 40))]
        elif action == "insert":
            data[where:where] = draw(st.binary(max_size=20))
        else:
            data[where:where] = draw(
                st.sampled_from([b'"', b",", b"\n", b"\r", b"\x00", b"\xff\xfe", b" ::: "])
            )
    return bytes(data)


def check(parser, data: bytes, name: str) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            for record in parser(path):
                origin = record.origin
                assert origin.path == str(path) and (origin.line is None or origin.line >= 1)
                if isinstance(record, PersonRecord):
                    assert record.source_id
                elif isinstance(record, SkippedRecord):
                    assert record.reason
        except MalformedFile as exc:
            assert exc.message.startswith(str(path)), exc.message
            assert exc.line is None or exc.line >= 1
        except RefusedFile as exc:
            # Bytes that read as a zip declaring thousands of members (or a bomb): refused, by name.
            assert exc.message.startswith(str(path)) and ": refused: " in exc.message, exc.message
        except TielineError as exc:  # pragma: no cover - a parser must use MalformedFile or RefusedFile
            raise AssertionError(f"expected MalformedFile, got {exc!r}") from exc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_linkedin_parser_parses_or_names_file_and_line(data: bytes) -> None:
    check(linkedin.parse, data, "Connections.csv")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_contacts_parser_parses_or_names_file_and_line(data: bytes) -> None:
    check(contacts_csv.parse, data, "contacts.csv")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise_anything_but_malformed_file(data: bytes) -> None:
    check(linkedin.parse, data, "messages.csv")
    check(contacts_csv.parse, data, "contacts.csv")
