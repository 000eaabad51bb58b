"""Burt's constraint and effective size, entropy and the inverted U on graphs whose answers are known."""

from __future__ import annotations

import math

import pytest

from tieline.analytics.measures import adamic_adar, burt, inverted_u, spread


def star(n: int) -> dict[int, dict[int, float]]:
    adj: dict[int, dict[int, float]] = {0: {i: 1.0 for i in range(1, n + 1)}}
    for i in range(1, n + 1):
        adj[i] = {0: 1.0}
    return adj


def clique(n: int) -> dict[int, dict[int, float]]:
    return {i: {j: 1.0 for j in range(n) if j != i} for i in range(n)}


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_a_star_has_constraint_one_over_n_and_effective_size_n(n: int) -> None:
    result = burt(star(n), 0)
    assert result.constraint == pytest.approx(1 / n)
    assert result.effective_size == pytest.approx(n)
    assert result.efficiency == pytest.approx(1.0)


def test_a_clique_of_five_has_constraint_about_0_766_and_effective_size_1() -> None:
    result = burt(clique(5), 0)
    assert result.constraint == pytest.approx(0.766, abs=0.001)
    assert result.constraint == pytest.approx(49 / 64)  # 4 x (1/4 + 3/16)^2
    assert result.effective_size == pytest.approx(1.0)


def test_ties_outside_the_ego_network_do_not_count() -> None:
    adj = star(3)
    adj[1][99], adj[99] = 1.0, {1: 1.0}  # an alter's contact you do not know
    assert burt(adj, 0).constraint == pytest.approx(1 / 3)


def test_weighted_constraint_matches_the_formula_by_hand() -> None:
    # ego -- a (weight 3), ego -- b (weight 1), a -- b (weight 1)
    adj = {0: {"a": 3.0, "b": 1.0}, "a": {0: 3.0, "b": 1.0}, "b": {0: 1.0, "a": 1.0}}
    p_ea, p_eb, p_ab, p_ba = 3 / 4, 1 / 4, 1 / 4, 1 / 2
    expected = (p_ea + p_eb * p_ba) ** 2 + (p_eb + p_ea * p_ab) ** 2
    assert burt(adj, 0).constraint == pytest.approx(expected)


def test_an_isolated_ego_has_no_brokerage() -> None:
    assert burt({0: {}}, 0).alters == 0


def test_diversity_is_zero_for_a_one_industry_network() -> None:
    result = spread(["Banking"] * 7 + [None])
    assert result.entropy == 0.0
    assert result.largest == "Banking" and result.largest_share == 1.0
    assert result.known == 7


def test_diversity_is_one_for_an_even_spread_and_counts_the_largest_group() -> None:
    assert spread(["a", "b", "c", "d"]).entropy == pytest.approx(1.0)
    uneven = spread(["a", "a", "a", "b"])
    assert 0 < uneven.entropy < 1 and uneven.largest_share == 0.75


def test_adamic_adar_weighs_rare_common_neighbours_more() -> None:
    adj = {
        "x": {"hub": 1, "rare": 1},
        "y": {"hub": 1, "rare": 1},
        "rare": {"x": 1, "y": 1},
        "hub": {"x": 1, "y": 1, **{i: 1 for i in range(8)}},
    }
    assert adamic_adar(adj, "x", "y") == pytest.approx(1 / math.log(2) + 1 / math.log(10))


def test_the_inverted_u_peaks_at_moderately_weak_ties() -> None:
    assert inverted_u(0.35) == pytest.approx(1.0)
    assert inverted_u(0.35) > inverted_u(0.1) and inverted_u(0.35) > inverted_u(0.9)
    assert inverted_u(0.9) < inverted_u(0.2)
