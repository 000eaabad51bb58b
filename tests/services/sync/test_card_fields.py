"""The three-way merge of an address book sync (services/sync/card_fields.merge), field by field and,
for the list fields, item by item."""

from __future__ import annotations

from typing import Any

from tieline.services.sync.card_fields import FIELDS, merge


def fields(**values: Any) -> dict[str, Any]:
    """A person's or a card's fields: nothing but what is given."""
    return {name: values.get(name) for name in FIELDS}


ANA = ["ana@example.org", "work"]


def test_an_address_added_on_each_side_is_kept_on_both_not_a_conflict() -> None:
    base = fields(emails=[ANA])
    ours = fields(emails=[ANA, ["ana@home.example", "home"]])
    theirs = fields(emails=[ANA, ["ana.lima@new.example", None]])

    merged = merge(base, ours, theirs)

    assert merged.conflicts == []
    assert merged.fields["emails"] == [ANA, ["ana@home.example", "home"], ["ana.lima@new.example", None]]
    assert merged.from_server == ["emails"]  # tieline takes the phone's new address


def test_what_one_side_removed_is_gone_while_the_other_adds() -> None:
    old = ["+351 21 000 0000", "work"]
    base = fields(phones=[old])
    ours = fields(phones=[])  # removed in tieline
    theirs = fields(phones=[old, ["+351 91 000 0000", "cell"]])  # a new one on the phone

    merged = merge(base, ours, theirs)

    assert merged.fields["phones"] == [["+351 91 000 0000", "cell"]]
    assert merged.conflicts == []


def test_a_label_changed_on_one_side_only_takes_that_change() -> None:
    base = fields(emails=[ANA])
    ours = fields(emails=[ANA, ["ana@home.example", "home"]])
    theirs = fields(emails=[["ana@example.org", "home"]])

    assert merge(base, ours, theirs).fields["emails"] == [
        ["ana@example.org", "home"],
        ["ana@home.example", "home"],
    ]


def test_the_same_item_changed_differently_on_both_sides_is_a_conflict_keeping_tieline_s() -> None:
    base = fields(emails=[ANA])
    ours = fields(emails=[["ana@example.org", "home"]])
    theirs = fields(emails=[["ana@example.org", "other"]])

    merged = merge(base, ours, theirs)

    assert merged.conflicts == ["emails"]
    assert merged.fields["emails"] == ours["emails"]
