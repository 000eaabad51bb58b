"""How the network map labels its groups (tieline.analytics.people_map): by what a third or more of
the members share, the most particular to them first; else by the most particular trait; two groups
with one label told apart by their hubs."""

from __future__ import annotations

from tieline.analytics.people_map import _labels, _Trait


def org(name: str) -> _Trait:
    return _Trait(("organisation", name.lower()), name, "work at", 3)


def field(name: str) -> _Trait:
    return _Trait(("field", name.lower()), name, "work in", 2)


def test_a_group_is_labelled_by_what_a_third_shares_the_most_particular_first() -> None:
    # Everyone drawn works in Retail; four of the first group's six are at Acme as well.
    traits = {p: {field("Retail")} for p in range(1, 13)}
    for p in (1, 2, 3, 4):
        traits[p].add(org("Acme"))
    members = {0: [1, 2, 3, 4, 5, 6], 1: [7, 8, 9, 10, 11, 12]}
    first, second = _labels(members, traits, {0: "Ana", 1: "Bo"}, drawn=12)
    assert (first.label, first.why) == ("Acme", "4 of 6 work at Acme")
    assert (second.label, second.why) == ("Retail", "6 of 6 work in Retail")


def test_without_a_third_behind_anything_the_most_particular_trait_labels_it() -> None:
    # Two of ten in Banking (rare elsewhere), three of ten in Retail (common everywhere).
    traits = {p: {field("Retail")} for p in range(1, 31) if p % 3 == 0}
    traits.setdefault(1, set()).add(field("Banking"))
    traits.setdefault(2, set()).add(field("Banking"))
    members = {0: list(range(1, 11)), 1: list(range(11, 31))}
    group = _labels(members, traits, {0: "Ana", 1: "Bo"}, drawn=30)[0]
    assert group.label == "Banking"
    assert group.why.startswith("2 of 10 work in Banking") and group.why.endswith(
        "more than elsewhere on the map"
    )


def test_two_groups_with_one_label_are_told_apart_by_their_hubs() -> None:
    traits = {p: {org("Acme")} for p in range(1, 7)}
    members = {0: [1, 2, 3], 1: [4, 5, 6], 2: [7, 8, 9]}
    labels = [g.label for g in _labels(members, traits, {0: "Ana", 1: "Bo", 2: "Cy"}, drawn=9)]
    assert labels == ["Acme, around Ana", "Acme, around Bo", "group 3"]
