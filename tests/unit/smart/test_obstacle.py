"""Obstacles: the catalog with its strategies, logging checks, and the pattern rules."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from goalwise.core.obstacle import (
    OBSTACLES,
    Obstacle,
    ObstacleSuggestion,
    get_obstacle,
    missed_weeks_rule,
    no_log_rule,
    suggest_obstacles,
    too_many_goals_rule,
    validate_obstacle_log,
)

AS_OF = date(2026, 2, 10)


def test_catalog_holds_the_seed_four_and_six_more() -> None:
    assert [o.id for o in OBSTACLES] == [
        "unclear_goals", "perfectionism", "procrastination", "priority_conflicts", "avoidance",
        "low_motivation", "setbacks", "overwhelm", "lack_of_support", "time_conflicts",
    ]  # fmt: skip


@pytest.mark.parametrize("obstacle", OBSTACLES, ids=lambda o: o.id)
def test_each_obstacle_has_two_or_three_distinct_strategies(obstacle: Obstacle) -> None:
    strategies = obstacle.strategies
    assert 2 <= len(strategies) <= 3
    assert len({s.id for s in strategies}) == len(strategies)
    assert all(s.text for s in strategies)


@pytest.mark.parametrize(
    ("obstacle_id", "words"),
    [
        ("unclear_goals", ["SMART criteria together"]),
        ("perfectionism", ["micro-actions", "setbacks"]),
        ("procrastination", ["time-bound deadline", "accountability check-ins"]),
        ("priority_conflicts", ["core values", "progress tracking"]),
    ],
)
def test_the_seed_strategies_are_kept(obstacle_id: str, words: list[str]) -> None:
    obstacle = get_obstacle(obstacle_id)
    assert obstacle is not None
    text = " ".join(s.text for s in obstacle.strategies)
    for word in words:
        assert word in text


def test_no_log_for_three_days_points_to_procrastination() -> None:
    suggestion = no_log_rule(AS_OF, date(2026, 2, 7))  # 3 days
    assert suggestion == ObstacleSuggestion(
        "procrastination", "Nothing logged for 3 days since the last entry.", ("time_bound", "accountability")
    )
    assert no_log_rule(AS_OF, date(2026, 2, 8)) is None  # 2 days


def test_never_logged_counts_from_the_start_and_nothing_known_is_silent() -> None:
    started = no_log_rule(AS_OF, None, started_on=date(2026, 2, 5))
    assert started is not None and started.reason == "Nothing logged for 5 days since the goal started."
    assert no_log_rule(AS_OF, None) is None


def test_no_log_days_can_be_set() -> None:
    assert no_log_rule(AS_OF, date(2026, 2, 7), days=4) is None
    assert no_log_rule(AS_OF, date(2026, 2, 6), days=4) is not None


@pytest.mark.parametrize(
    ("weeks", "fires"),
    [
        ([True, False, False, False], True),
        ([False, False, False], True),
        ([False, False, True], False),
        ([False, True, False, False], False),
        ([False, False], False),
        ([], False),
    ],
)
def test_three_missed_weeks_running_point_to_setbacks(weeks: list[bool], fires: bool) -> None:
    suggestion = missed_weeks_rule(weeks)
    assert (suggestion is not None) is fires
    if suggestion is not None:
        assert suggestion.obstacle_id == "setbacks"
        assert suggestion.strategy_ids == ("micro_actions", "adjust_target")


def test_more_than_three_primary_goals_point_to_priority_conflicts() -> None:
    assert too_many_goals_rule(3) is None
    suggestion = too_many_goals_rule(4)
    assert suggestion is not None and suggestion.obstacle_id == "priority_conflicts"


def test_suggest_obstacles_applies_every_rule_in_order() -> None:
    found = suggest_obstacles(
        as_of=AS_OF, last_logged_on=date(2026, 2, 1), weekly_target_met=[False] * 3, active_primary_goals=5
    )
    assert [s.obstacle_id for s in found] == ["procrastination", "setbacks", "priority_conflicts"]
    assert suggest_obstacles(as_of=AS_OF, last_logged_on=AS_OF, weekly_target_met=[True]) == []


def test_strategy_ids_named_by_the_rules_exist_in_the_catalog() -> None:
    found = suggest_obstacles(
        as_of=AS_OF, last_logged_on=date(2026, 2, 1), weekly_target_met=[False] * 3, active_primary_goals=5
    )
    for suggestion in found:
        obstacle = get_obstacle(suggestion.obstacle_id)
        assert obstacle is not None
        assert set(suggestion.strategy_ids) <= {s.id for s in obstacle.strategies}


@pytest.mark.parametrize(
    ("obstacle_id", "strategy_id", "note", "expected"),
    [
        ("perfectionism", "micro_actions", "", []),
        ("perfectionism", None, "", []),
        ("perfectionism", "own", "Set a 10-minute timer", []),
        ("perfectionism", "own", " ", [("strategy-note", "note")]),
        ("perfectionism", "graded_steps", "", [("strategy-unknown", "strategy_id")]),
        ("laziness", "micro_actions", "", [("obstacle-unknown", "obstacle_id")]),
    ],
)
def test_validate_obstacle_log(
    obstacle_id: str, strategy_id: str | None, note: str, expected: list[Any]
) -> None:
    problems = validate_obstacle_log(obstacle_id, strategy_id, note)
    assert [(p.code, p.field) for p in problems] == expected
