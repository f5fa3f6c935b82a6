"""Goal Attainment Scaling T-scores (Kiresuk & Sherman 1968; CLINICAL.md §4)."""

from __future__ import annotations

import math

import pytest

from goalwise.analytics.gas import LEVELS, t_score
from goalwise.core.errors import InvalidInput


def fields(error: InvalidInput) -> list[str]:
    return [p.field for p in error.problems]


def test_gasr_worked_example_is_exactly_55() -> None:
    # Σwx = 7, Σw² = 91, (Σw)² = 441, 0.7·91 + 0.3·441 = 196 = 14², T = 50 + 70/14
    assert t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6]) == 55.0
    assert t_score([-2, 0, -1, 2, 0, 1], [3.0, 5.0, 1.0, 4.0, 2.0, 6.0]) == 55.0


def test_every_goal_at_the_expected_level_scores_50() -> None:
    assert t_score([0, 0, 0]) == 50.0


def test_one_goal_much_better_than_expected_scores_70() -> None:
    # 50 + 10·2/√(0.7 + 0.3)
    assert t_score([2]) == 70.0


def test_unweighted_three_goals_one_level_up() -> None:
    # 50 + 10·3/√(0.7·3 + 0.3·9) = 50 + 30/√4.8 = 63.6931
    assert t_score([1, 1, 1]) == pytest.approx(50 + 30 / math.sqrt(4.8), abs=1e-12)
    assert t_score([1, 1, 1]) == pytest.approx(63.6931, abs=1e-4)


def test_rho_zero_treats_goals_as_independent() -> None:
    # 50 + 10·4/√4
    assert t_score([1, 1, 1, 1], rho=0) == 70.0


def test_a_zero_weight_leaves_its_goal_out() -> None:
    # w = (1, 0): Σwx = 2, Σw² = 1, (Σw)² = 1 -> 50 + 20/1
    assert t_score([2, -2], [1, 0]) == 70.0


def test_all_zero_weights_are_reset_to_one_as_gasr_does() -> None:
    assert t_score([2, -1], [0, 0]) == t_score([2, -1])


def test_levels_table_has_five_named_levels() -> None:
    assert sorted(LEVELS) == [-2, -1, 0, 1, 2]
    assert LEVELS[0] == "expected level"


def test_invalid_levels_are_named_by_index() -> None:
    with pytest.raises(InvalidInput) as caught:
        t_score([0, 1, 3, 1.0, True])  # type: ignore[list-item]
    assert fields(caught.value) == ["levels[2]", "levels[3]", "levels[4]"]
    assert caught.value.problems[0].message.startswith("The level of goal 3 is 3")


def test_empty_levels_are_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        t_score([])
    assert fields(caught.value) == ["levels"]


def test_weights_must_match_the_goals() -> None:
    with pytest.raises(InvalidInput) as caught:
        t_score([1, 0], [1, 2, 3])
    assert fields(caught.value) == ["weights"]


def test_negative_weights_are_named_by_index() -> None:
    with pytest.raises(InvalidInput) as caught:
        t_score([1, 0, -1], [1, -2, math.nan])
    assert fields(caught.value) == ["weights[1]", "weights[2]"]


def test_rho_outside_0_to_1_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        t_score([1], rho=1.5)
    assert fields(caught.value) == ["rho"]
