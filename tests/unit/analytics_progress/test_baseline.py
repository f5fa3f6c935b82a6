"""Baseline summary and stability verdict (issue 4, "Phases and baseline")."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from goalwise.analytics.aggregate import Point
from goalwise.analytics.baseline import summarise_baseline, validate_baseline_days

D0 = date(2025, 2, 3)

# 14 daily anxiety ratings: five 5s, six 6s and three 7s.
FOURTEEN = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 6]


def series(values: list[float], start: date = D0) -> list[Point]:
    return [Point(start + timedelta(days=k), float(v)) for k, v in enumerate(values)]


def test_fourteen_days_give_a_summary() -> None:
    summary = summarise_baseline(series(FOURTEEN), "decrease")
    assert summary.n == 14
    assert summary.span_days == 14
    # Σ = 5*5 + 6*6 + 7*3 = 82; mean = 82 / 14 = 5.857142...
    assert summary.mean == pytest.approx(82 / 14)
    # sorted: 5 5 5 5 5 6 6 | 6 6 6 6 7 7 7 -> the 7th and 8th are both 6
    assert summary.median == 6.0
    # Σy² = 125 + 216 + 147 = 488; SS = 488 - 82²/14 = 7.714285...; s² = SS / 13
    assert summary.sd == pytest.approx(math.sqrt((488 - 82**2 / 14) / 13))
    assert summary.enough_data
    assert summary.stable
    assert summary.verdict.startswith("stable: enough data (14 entries over 14 days)")
    assert summary.rate_per_week is None  # ratings are not counts


def test_rate_per_week_for_counts() -> None:
    # 82 events over 14 days -> 82 / 14 * 7 = 41 a week
    assert summarise_baseline(series(FOURTEEN), "decrease", counts=True).rate_per_week == pytest.approx(41.0)
    # over a 21-day phase with entries on the first 14 only: 82 / 21 * 7 = 27.33...
    assert summarise_baseline(
        series(FOURTEEN), "decrease", counts=True, days=21
    ).rate_per_week == pytest.approx(82 / 3)


def test_three_days_are_too_short_and_say_how_many_more_days() -> None:
    summary = summarise_baseline(series([6, 7, 6]), "decrease")
    assert summary.verdict.startswith("too short: 4 more days needed")  # 7 - 3 = 4
    assert summary.more_days_needed == 4
    assert summary.more_points_needed == 2  # 5 - 3
    assert not summary.enough_data
    assert not summary.stable
    assert summary.n == 3


def test_seven_days_with_only_three_entries_need_more_entries_not_days() -> None:
    points = [Point(D0, 5), Point(D0 + timedelta(days=3), 6), Point(D0 + timedelta(days=6), 5)]
    summary = summarise_baseline(points, "decrease")
    assert summary.verdict.startswith("too short: 2 more entries needed")
    assert summary.more_days_needed == 0


def test_no_data_needs_seven_days_and_five_entries() -> None:
    summary = summarise_baseline([], "increase")
    assert (summary.n, summary.mean, summary.sd, summary.slope_per_day) == (0, None, None, None)
    assert summary.verdict.startswith("too short: 7 more days needed")
    assert summary.more_points_needed == 5


def test_a_steadily_falling_baseline_is_already_improving_when_lower_is_better() -> None:
    # y = 10 - 0.5 d over 14 days: Theil-Sen slope -0.5 per day, -3.5 per week.
    # Change over the baseline = -0.5 * 13 = -6.5; SD = 0.5 * sd(0..13) = 0.5 * 4.18 = 2.09;
    # mean = 6.75 and 20 % of it 1.35. A fall of 6.5 exceeds both, so it is steep.
    summary = summarise_baseline(series([10 - 0.5 * k for k in range(14)]), "decrease")
    assert summary.slope_per_day == pytest.approx(-0.5)
    assert summary.slope_per_week == pytest.approx(-3.5)
    assert summary.improving_steeply
    assert not summary.stable
    assert summary.verdict.startswith("enough data, but already improving steeply")


def test_the_same_fall_is_not_improvement_when_higher_is_better() -> None:
    summary = summarise_baseline(series([10 - 0.5 * k for k in range(14)]), "increase")
    assert not summary.improving_steeply
    assert summary.stable


def test_a_tiny_drift_is_not_steep_even_though_it_exceeds_one_sd() -> None:
    # y = 100 + 0.01 d: change 0.13 > SD 0.042, but far below 20 % of the mean (20).
    summary = summarise_baseline(series([100 + 0.01 * k for k in range(14)]), "increase")
    assert not summary.improving_steeply


def test_baseline_length_7_to_21_is_allowed() -> None:
    assert validate_baseline_days(14) == []
    assert validate_baseline_days(7) == []
    assert validate_baseline_days(21) == []


@pytest.mark.parametrize("days", [6, 22, 0])
def test_baseline_length_outside_7_to_21_names_baseline_days(days: int) -> None:
    problems = validate_baseline_days(days)
    assert [p.field for p in problems] == ["baseline_days"]
    assert "7" in problems[0].message and "21" in problems[0].message


def test_baseline_length_must_be_a_whole_number() -> None:
    assert [p.code for p in validate_baseline_days(True)] == ["baseline-days-type"]
    assert [p.code for p in validate_baseline_days(14.5)] == ["baseline-days-type"]  # type: ignore[arg-type]
