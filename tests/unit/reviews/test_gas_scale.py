"""The GAS scale of a goal: default levels from baseline and target, the suggestion from recent data."""

from __future__ import annotations

from datetime import date

from goalwise.core.goal import parse_draft
from goalwise.core.reviews.gas_scale import (
    GasScale,
    default_scale,
    level_for_value,
    parse_scale,
    recent_value,
    scale_to_dict,
    suggest_level,
)


def _draft(**over: object):
    data = {
        "title": "Fewer panic attacks",
        "metric": {"kind": "count", "unit": "attacks", "period": "week"},
        "direction": "decrease",
        "baseline": 6,
        "target": 2,
    }
    data.update(over)
    return parse_draft(data)[0]


def _ranges(scale: GasScale) -> list[tuple[float | None, float | None]]:
    return [(lv.low, lv.high) for lv in scale.levels]


def test_decrease_goal_target_is_0_and_baseline_is_minus_1() -> None:
    # d = |2 - 6| = 4; value = 6 - 4p. The count cannot go below 0, only 2 beyond the target
    # (room 2 < d 4), so the cuts beyond it are p = 1 + 2/4/2 = 1.25 (value 1) and 1 + 2/4 = 1.5 (0):
    # -2 is 6 or more, -1 2..6, 0 1..2, +1 0..1, +2 exactly 0.
    scale = default_scale(_draft())
    assert _ranges(scale) == [(6.0, None), (2.0, 6.0), (1.0, 2.0), (0.0, 1.0), (0.0, 0.0)]
    assert level_for_value(scale, 6) == -1  # no change: the baseline is -1
    assert level_for_value(scale, 7) == -2  # worse than the start
    assert level_for_value(scale, 4) == -1  # part-way
    assert level_for_value(scale, 2) == 0  # the target is the expected outcome
    assert level_for_value(scale, 1.5) == 0
    assert level_for_value(scale, 1) == 1
    assert level_for_value(scale, 0) == 2
    assert scale.weight == 1.0 and scale.derived


def test_increase_goal_with_open_scale_uses_half_and_whole_steps_beyond_target() -> None:
    # Walk 10 -> 30 minutes a day (duration, day: scale ends at 1440, far away). d = 20:
    # -2 below 10, -1 10..30, 0 30..40 (p 1..1.5), +1 40..50, +2 50 and more (to 1440).
    draft = _draft(
        metric={"kind": "duration", "unit": "minutes", "period": "day"},
        direction="increase",
        baseline=10,
        target=30,
    )
    scale = default_scale(draft)
    assert _ranges(scale) == [(0.0, 10.0), (10.0, 30.0), (30.0, 40.0), (40.0, 50.0), (50.0, 1440.0)]
    assert [level_for_value(scale, v) for v in (5, 10, 29, 30, 45, 50, 90)] == [-2, -1, -1, 0, 1, 2, 2]


def test_a_client_who_started_at_the_worst_end_has_baseline_minus_2() -> None:
    # Rating 1-10, baseline 1 (the worst possible), target 7: d = 6; -2 is 1..4 (less than half-way,
    # p < 0.5), -1 4..7. Only 3 points are left beyond the target (room 3 < d 6), so the cuts are
    # p = 1 + 3/6/2 = 1.25 (value 8.5) and 1 + 3/6 = 1.5 (10): 0 is 7..8.5, +1 8.5..10, +2 exactly 10.
    draft = _draft(
        metric={"kind": "rating", "unit": "points", "scale_min": 1, "scale_max": 10},
        direction="increase",
        baseline=1,
        target=7,
    )
    scale = default_scale(draft)
    assert _ranges(scale) == [(1.0, 4.0), (4.0, 7.0), (7.0, 8.5), (8.5, 10.0), (10.0, 10.0)]
    assert level_for_value(scale, 1) == -2  # no change from the worst start
    assert level_for_value(scale, 4) == -1  # half-way
    assert level_for_value(scale, 7) == 0


def test_a_target_at_the_best_end_leaves_plus_levels_without_range() -> None:
    draft = _draft(baseline=4, target=0)
    scale = default_scale(draft)
    assert scale.levels[3].low is None and scale.levels[4].high is None
    assert level_for_value(scale, 0) == 0


def test_a_goal_without_numbers_gets_descriptions_only() -> None:
    scale = default_scale(parse_draft({"title": "Call my sister"})[0])
    assert [lv.level for lv in scale.levels] == [-2, -1, 0, 1, 2]
    assert all(lv.low is None and lv.high is None for lv in scale.levels)
    assert level_for_value(scale, 3) is None


def test_suggestion_is_the_level_of_the_mean_of_the_last_two_weeks() -> None:
    scale = default_scale(_draft())
    points = [(date(2026, 3, 1), 6.0), (date(2026, 3, 5), 3.0), (date(2026, 3, 12), 1.0)]
    # Window (Feb 28, Mar 14]: all three, mean (6 + 3 + 1) / 3 = 3.33 -> -1 (between 2 and 6).
    assert recent_value(points, date(2026, 3, 14)) == 10 / 3
    assert suggest_level(scale, points, date(2026, 3, 14)) == -1
    # Window (Mar 4, Mar 18]: 3 and 1, mean 2 -> 0 (the target).
    assert suggest_level(scale, points, date(2026, 3, 18)) == 0
    assert suggest_level(scale, points, date(2026, 5, 1)) is None  # no recent data


def test_edited_scale_round_trips_and_reports_every_problem() -> None:
    current = default_scale(_draft())
    edited, problems = parse_scale({"weight": 3}, current)
    assert problems == [] and edited.weight == 3 and edited.levels == current.levels
    same, _ = parse_scale(scale_to_dict(edited), current)
    assert same.levels == current.levels and not same.derived
    _, problems = parse_scale(
        {"weight": 12, "levels": [{"level": 5, "description": "", "low": "x", "high": 1}]}, current
    )
    assert [p.field for p in problems] == [
        "weight",
        "levels[0].level",
        "levels[0].description",
        "levels[0].low",
    ]
