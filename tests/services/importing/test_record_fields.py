"""A person record's fields as an import stores them: its own search document staying equal to
search's, and values a field cannot hold kept aside with a warning."""

from __future__ import annotations

import pytest

from tieline.importers.records import LabeledValue, Origin, PersonRecord
from tieline.repo.search import document_for
from tieline.services.importing import record_fields as pf


def test_import_search_document_equals_the_search_module() -> None:
    record = PersonRecord(
        "t", "1", Origin("x"), display_name="José Álvarez", given_name="José", family_name="Álvarez",
        company="Fabrikam, Inc.", title="CTO", notes="Likes chess", met_how="LinkedIn connection",
        emails=[LabeledValue("jose@fabrikam.example")], phones=[LabeledValue("+34 600 123 456")],
        links=[LabeledValue("https://www.linkedin.com/in/jose")], tags=["Spain", "chess"],
    )  # fmt: skip
    fields = pf.fields_of(record, [])
    assert fields is not None
    assert pf.search_document(fields) == document_for(pf.search_stand_in(fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("display", "given", "middle", "family", "nickname"),
    [
        ("王 小明", "小明", None, "王", None),
        ("O'Brien-Smith, Dr.", "Seán", "-", "O'Brien-Smith", "  Shay "),
        ("Zoë  Ångström", "Zoë", None, None, "Zo"),
        ("— —", None, None, None, None),
    ],
)
def test_import_search_document_names_equal_the_search_module(
    display: str, given: str | None, middle: str | None, family: str | None, nickname: str | None
) -> None:
    record = PersonRecord("t", "1", Origin("x"), display_name=display, given_name=given, middle_name=middle,
                          family_name=family, nickname=nickname)  # fmt: skip
    fields = pf.fields_of(record, [])
    assert fields is not None
    assert pf.search_document(fields) == document_for(pf.search_stand_in(fields))  # type: ignore[arg-type]


def test_values_a_field_cannot_hold_are_kept_as_extra_with_a_warning() -> None:
    record = PersonRecord("t", "1", Origin("x"), display_name="Bo", emails=[LabeledValue("not-an-email", "Work")],
                          phones=[LabeledValue("pager", "Pager"), LabeledValue("mobile", "Pager")])  # fmt: skip
    warnings: list[str] = []
    fields = pf.fields_of(record, warnings)
    assert fields is not None and fields["emails"] == [] and fields["phones"] == []
    assert fields["extra"] == {
        "email (Work)": "not-an-email",
        "phone (Pager)": "pager",
        "phone (Pager) 2": "mobile",
    }
    assert len(warnings) == 3
