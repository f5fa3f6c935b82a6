"""Fraction of the way to target, percentage change, and weekly met / not met."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from goalwise.analytics.aggregate import IsoWeek, Point, Trial, weekly, weekly_proportion
from goalwise.analytics.target import check_target, fraction_of_way, meets, percent_change, weekly_met
from goalwise.core.errors import InvalidInput


def test_fraction_of_way_for_a_falling_score() -> None:
    # PHQ-9 from 18 towards 5, now 11: (11 - 18) / (5 - 18) = -7 / -13 = 0.538...
    assert fraction_of_way(18, 11, 5) == pytest.approx(7 / 13)


def test_fraction_of_way_is_0_at_baseline_and_1_at_target() -> None:
    assert fraction_of_way(2, 2, 5) == 0.0
    assert fraction_of_way(2, 5, 5) == 1.0


def test_fraction_of_way_goes_past_1_and_below_0() -> None:
    assert fraction_of_way(2, 6, 5) == pytest.approx(4 / 3)  # (6 - 2) / (5 - 2)
    assert fraction_of_way(2, 1, 5) == pytest.approx(-1 / 3)  # (1 - 2) / 3: moved away from the target


def test_fraction_of_way_is_none_when_target_equals_baseline() -> None:
    assert fraction_of_way(4, 6, 4) is None


def test_percent_change_halving_is_minus_50() -> None:
    # (10 - 20) / 20 * 100 = -50: the PHQ-9 response threshold (CLINICAL.md §1.5)
    assert percent_change(20, 10) == pytest.approx(-50.0)
    assert percent_change(4, 5) == pytest.approx(25.0)


def test_percent_change_from_zero_is_none() -> None:
    assert percent_change(0, 3) is None


@pytest.mark.parametrize(
    ("value", "comparator", "target", "expected"),
    [
        (2, "<=", 2, True),
        (3, "<=", 2, False),
        (2, "<", 2, False),
        (1, "<", 2, True),
        (5, ">=", 5, True),
        (4.9, ">=", 5, False),
        (5, ">", 5, False),
        (6, ">", 5, True),
        (0.1 + 0.2, "==", 0.3, True),  # float rounding does not break equality
        (7.0, "maintain", (7, 9), True),
        (9.5, "maintain", (7, 9), False),
    ],
)
def test_meets_each_comparator(value: float, comparator: str, target: object, expected: bool) -> None:
    assert meets(value, target, comparator) is expected  # type: ignore[arg-type]


def test_check_target_names_the_field_for_a_range_without_maintain() -> None:
    problems = check_target((1, 2), ">=")
    assert [p.field for p in problems] == ["target"]
    assert [p.field for p in check_target(3, "about")] == ["comparator"]
    assert [p.code for p in check_target((9, 7), "maintain")] == ["target-range-order"]


def test_weekly_met_for_a_frequency_target() -> None:
    # "At most 2 panic attacks a week": W02 has 3 + 1 = 4 (missed), W03 has 1 (met).
    points = [Point(date(2025, 1, 6), 3), Point(date(2025, 1, 8), 1), Point(date(2025, 1, 14), 1)]
    assert weekly_met(weekly(points, "sum"), 2, "<=") == [(IsoWeek(2025, 2), False), (IsoWeek(2025, 3), True)]


def test_weekly_met_for_a_duration_target() -> None:
    # "Walk at least 90 minutes a week": W02 30 + 40 = 70 (missed), W03 60 + 45 = 105 (met).
    points = [
        Point(date(2025, 1, 6), 30),
        Point(date(2025, 1, 9), 40),
        Point(date(2025, 1, 13), 60),
        Point(date(2025, 1, 19), 45),
    ]
    assert [met for _, met in weekly_met(weekly(points, "sum"), 90, ">=")] == [False, True]


def test_weekly_met_for_a_percentage_target_skips_weeks_without_trials() -> None:
    # ">= 60 % of encounters with a 5-minute conversation": W02 3/5 = 60 % (met), W03 no encounters,
    # W04 1/4 = 25 % (missed).
    trials = [Trial(date(2025, 1, 6), 3, 5), Trial(date(2025, 1, 13), 0, 0), Trial(date(2025, 1, 20), 1, 4)]
    assert weekly_met(weekly_proportion(trials), 60, ">=") == [
        (IsoWeek(2025, 2), True),
        (IsoWeek(2025, 4), False),
    ]


def test_weekly_met_for_a_maintain_range() -> None:
    points = [Point(date(2025, 1, 6), 8), Point(date(2025, 1, 13), 6)]
    assert [met for _, met in weekly_met(weekly(points, "mean"), (7, 9), "maintain")] == [True, False]


def test_weekly_met_rejects_a_bad_comparator() -> None:
    with pytest.raises(InvalidInput):
        weekly_met([], 2, "about")  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    baseline=st.integers(min_value=0, max_value=27),
    target=st.integers(min_value=0, max_value=27),
    fraction=st.fractions(min_value=-1, max_value=2, max_denominator=8),
)
def test_fraction_of_way_inverts_the_linear_path(baseline: int, target: int, fraction: Fraction) -> None:
    assume(baseline != target)
    current = baseline + float(fraction) * (target - baseline)
    assert fraction_of_way(baseline, current, target) == pytest.approx(float(fraction))
