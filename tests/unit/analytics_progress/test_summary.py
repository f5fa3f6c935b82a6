"""One metric analysed end to end: phases, effects, forecast, weeks met, wins."""

from __future__ import annotations

from datetime import date, timedelta

from goalwise.analytics.aggregate import Point
from goalwise.analytics.summary import DAILY_TREND_LIMIT, GoalTarget, PhaseSpan, metric_summary

START = date(2026, 1, 5)  # a Monday
PHASES = (
    PhaseSpan("Baseline", "baseline", START),
    PhaseSpan("CBT", "intervention", START + timedelta(days=14)),
)


def _series(values: list[float]) -> list[Point]:
    return [Point(START + timedelta(days=i), v) for i, v in enumerate(values)]


def test_a_clear_improvement_has_full_non_overlap_and_is_on_track() -> None:
    # Baseline mood 3,4 alternating for 14 days; intervention 7,8 alternating: every B beats every A.
    values = [3.0, 4.0] * 7 + [7.0, 8.0] * 14
    as_of = START + timedelta(days=len(values) - 1)
    summary = metric_summary(
        _series(values), as_of, phases=PHASES, goal=GoalTarget(7, ">=", as_of + timedelta(weeks=4))
    )
    assert summary.baseline is not None and summary.baseline.n == 14
    assert summary.baseline.mean == 3.5  # (3 + 4) / 2
    effect = summary.effects[0]
    assert effect.nap.value == 1.0 and effect.tau.value == 1.0
    assert effect.level_change == 4.0  # median 7.5 - median 3.5
    assert summary.forecast is not None and summary.forecast.status == "achieved"  # last week's mean 7.5 >= 7
    assert summary.progress_fraction is not None and summary.progress_fraction > 1  # past the target
    assert all(met for _, met in summary.weeks_met[2:])  # the intervention weeks all meet 7


def test_decrease_goal_on_weekly_totals() -> None:
    # Panic attacks: one a day for two weeks (7 a week), then one every other day (3 or 4 a week).
    values = [1.0] * 14 + [1.0, 0.0] * 14
    as_of = START + timedelta(days=len(values) - 1)
    summary = metric_summary(
        _series(values),
        as_of,
        phases=PHASES,
        improvement="decrease",
        counts=True,
        goal=GoalTarget(2, "<=", as_of + timedelta(weeks=6), period="week"),
    )
    assert [w.value for w in summary.weeks[:2]] == [7.0, 7.0]
    assert summary.baseline is not None and summary.baseline.rate_per_week == 7.0
    assert summary.effects[0].nap.value > 0.5  # fewer attacks is the improvement
    assert summary.forecast is not None and summary.forecast.status in ("at_risk", "off_track", "on_track")
    assert not any(met for _, met in summary.weeks_met)  # no week at 2 or fewer yet


def test_long_phases_take_their_trend_on_weekly_means() -> None:
    values = [5.0] * 14 + [5.0 + i / 70 for i in range(DAILY_TREND_LIMIT + 70)]  # +0.1 a week
    as_of = START + timedelta(days=len(values) - 1)
    effect = metric_summary(_series(values), as_of, phases=PHASES).effects[0]
    assert effect.slope_per_week_after is not None
    assert abs(effect.slope_per_week_after - 0.1) < 1e-9
    assert effect.slope_per_week_before == 0.0


def test_without_phases_or_goal_only_the_aggregates_are_computed() -> None:
    summary = metric_summary(_series([4.0, 5.0, 6.0]), START + timedelta(days=2))
    assert summary.baseline is None and summary.effects == [] and summary.forecast is None
    assert [p.value for p in summary.rolling] == [4.0, 4.5, 5.0]


def test_a_weekly_goal_with_entries_this_week_has_recent_data() -> None:
    # QA case: weekly count goal, 3 a week on Mon/Wed/Fri for 8 full weeks (2026-10-05 .. 2026-11-29),
    # then 9 entries in the current week. Today is Monday 2026-11-30.
    # Complete weeks are stamped by their Monday; the newest, 2026-11-23, is 7 days before today,
    # which the old rule read as "no entry in the last 7 days". That week ended on Sunday
    # 2026-11-29 (1 day ago) and the newest entry is today (0 days ago): the data is recent.
    # recent = last complete week's total = 3; target >= 3 a week, so the goal is achieved.
    today = date(2026, 11, 30)
    first_monday = date(2026, 10, 5)
    points = [Point(first_monday + timedelta(weeks=w, days=d), 1.0) for w in range(8) for d in (0, 2, 4)] + [
        Point(today, 1.0)
    ] * 9
    summary = metric_summary(
        points, today, counts=True, goal=GoalTarget(3, ">=", today + timedelta(weeks=8), period="week")
    )
    assert summary.forecast is not None
    assert summary.forecast.status == "achieved"
    assert summary.forecast.recent == 3.0  # 2026-11-23 .. 29: Mon + Wed + Fri
    # The same goal aiming at 4 a week: 8 complete weeks (>= 5, spanning 50 days) give a flat
    # fit at 3 (every pairwise slope 0), so the projection 3 misses 4 and the band [3, 3] too.
    summary = metric_summary(
        points, today, counts=True, goal=GoalTarget(4, ">=", today + timedelta(weeks=8), period="week")
    )
    assert summary.forecast is not None and summary.forecast.status == "off_track"
    assert summary.forecast.slope_per_week == 0.0


def test_a_weekly_goal_in_its_first_week_is_not_called_stale() -> None:
    # Goal started on Monday 2026-11-23: 9 entries that week, judged on Wednesday 2026-11-25.
    # No week is complete yet (its Sunday, 2026-11-29, is ahead) but the newest entry is 2 days
    # old, so the status is "insufficient_data" (first full week in progress), not "no_recent_data".
    points = [Point(date(2026, 11, 23), 1.0)] * 9
    as_of = date(2026, 11, 25)
    summary = metric_summary(
        points, as_of, counts=True, goal=GoalTarget(3, ">=", as_of + timedelta(weeks=8), period="week")
    )
    assert summary.forecast is not None and summary.forecast.status == "insufficient_data"
