"""What "now" is for a goal, the one value every page shows: worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

from goalwise.analytics.aggregate import Point
from goalwise.analytics.now import goal_now
from goalwise.analytics.summary import GoalTarget, metric_summary

TODAY = date(2026, 11, 30)  # a Monday: week 2026-W49 has just begun


def _qa_points() -> list[Point]:
    # QA case: 4 entries last week (Mon 23, Tue 24, Thu 26, Sun 29 Nov), 9 today, one 3 weeks ago.
    last_week = [date(2026, 11, d) for d in (23, 24, 26, 29)]
    return [Point(date(2026, 11, 9), 1.0)] + [Point(d, 1.0) for d in last_week] + [Point(TODAY, 1.0)] * 9


def test_a_weekly_goal_is_its_last_full_week_with_the_week_in_progress_so_far() -> None:
    now = goal_now(_qa_points(), TODAY, period="week", counts=True)
    assert now.value == 4.0  # 23-29 Nov: 1 + 1 + 1 + 1, not today's 9 and not a single day
    assert now.so_far == 9.0  # Monday 30 Nov, the week in progress
    assert now.text("panic attacks a week") == (
        "4 panic attacks a week (last full week, 23 to 29 Nov); 9 this week so far"
    )
    # On Sunday 6 Dec the week 30 Nov - 6 Dec is complete: it becomes the value (9), nothing is "so far".
    later = goal_now(_qa_points(), date(2026, 12, 6), period="week", counts=True)
    assert (later.value, later.so_far, later.label) == (9.0, None, "last full week, 30 Nov to 6 Dec")


def test_a_weekly_goal_with_an_empty_last_week_says_so() -> None:
    # Only entries today: the last full week (23-29 Nov) has none; this week so far has 9.
    now = goal_now([Point(TODAY, 1.0)] * 9, TODAY, period="week", counts=True)
    assert now.value is None and now.so_far == 9.0
    assert now.text() == "nothing logged in the last full week, 23 to 29 Nov; 9 this week so far"


def test_a_daily_goal_is_the_mean_of_the_last_7_days() -> None:
    # Mood 4 on 24 Nov, 6 and 8 on 29 Nov (day mean 7), 5 today; 2 on 23 Nov is 7 days back, out.
    points = [Point(date(2026, 11, 23), 2.0), Point(date(2026, 11, 24), 4.0)]
    points += [Point(date(2026, 11, 29), 6.0), Point(date(2026, 11, 29), 8.0), Point(TODAY, 5.0)]
    now = goal_now(points, TODAY, period="day")
    assert now.value == 16 / 3  # (4 + 7 + 5) / 3 days
    assert now.so_far is None and now.label == "average of the last 7 days"
    stale = goal_now(points, TODAY + timedelta(days=8), period="day")
    assert stale.value is None and stale.label == "nothing logged in the last 7 days"


def test_the_metric_summary_carries_the_same_now() -> None:
    goal = GoalTarget(3, ">=", TODAY + timedelta(weeks=6), period="week")
    summary = metric_summary(_qa_points(), TODAY, counts=True, goal=goal)
    assert summary.now is not None and (summary.now.value, summary.now.so_far) == (4.0, 9.0)
