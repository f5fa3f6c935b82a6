"""Forecast statuses, each from a constructed series whose Theil-Sen fit can be done by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.aggregate import Point
from goalwise.analytics.forecast import forecast
from goalwise.core.errors import InvalidInput

D0 = date(2025, 3, 3)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def line(start: float, per_day: float, days: int) -> list[Point]:
    return [Point(day(k), start + per_day * k) for k in range(days)]


def test_achieved_when_the_last_week_meets_the_target() -> None:
    # Days 0-13 at 8, then days 14-20 at 4: the 7 days ending on day 20 average 4 <= 5.
    points = [Point(day(k), 8.0) for k in range(14)] + [Point(day(k), 4.0) for k in range(14, 21)]
    result = forecast(points, 5, "<=", day(60), as_of=day(20))
    assert result.status == "achieved"
    assert result.recent == pytest.approx(4.0)


def test_insufficient_data_with_fewer_than_5_days() -> None:
    result = forecast(line(10, 0, 3), 5, "<=", day(60), as_of=day(2))
    assert result.status == "insufficient_data"
    assert "at least 5 days" in result.reason
    assert result.projected is None


def test_insufficient_data_when_5_entries_span_fewer_than_7_days() -> None:
    result = forecast(line(10, 0, 6), 5, "<=", day(60), as_of=day(5))  # days 0-5: span 6
    assert result.status == "insufficient_data"
    assert result.span_days == 6


def test_insufficient_data_without_any_entry() -> None:
    assert forecast([], 5, "<=", day(60), as_of=day(0)).status == "insufficient_data"


def test_on_track_when_the_projection_meets_the_target() -> None:
    # y = 20 - 0.5 d on days 0-13; every pairwise slope is -0.5, so the band has no width.
    # At the deadline (day 40): 20 - 0.5 * 40 = 0 <= 5. Last 7 days (7-13) average 20 - 0.5 * 10 = 15.
    result = forecast(line(20, -0.5, 14), 5, "<=", day(40), as_of=day(13))
    assert result.status == "on_track"
    assert result.projected == pytest.approx(0.0)
    assert (result.low, result.high) == (pytest.approx(0.0), pytest.approx(0.0))
    assert result.slope_per_week == pytest.approx(-3.5)  # -0.5 * 7
    assert result.recent == pytest.approx(15.0)


def test_at_risk_when_only_the_band_reaches_the_target() -> None:
    # Days 0-5 at 10, day 6 at 4. Pairwise slopes: 15 zeros and (4 - 10)/(6 - i) for i = 0..5:
    # -1, -1.2, -1.5, -2, -3, -6. Sorted 21 slopes: median (11th) = 0 -> intercept 10.
    # Deciles (inclusive): 10th percentile = sorted[2] = -2, 90th = sorted[18] = 0.
    # Pivot at the median day 3 (value 10); deadline day 13 is 10 days on:
    # projected 10 (misses <= 5), band 10 + (-2) * 10 = -10 .. 10, which reaches 5.
    points = [Point(day(k), 10.0) for k in range(6)] + [Point(day(6), 4.0)]
    result = forecast(points, 5, "<=", day(13), as_of=day(6))
    assert result.status == "at_risk"
    assert result.projected == pytest.approx(10.0)
    assert result.low == pytest.approx(-10.0)
    assert result.high == pytest.approx(10.0)


def test_value_range_clamps_the_band_to_possible_scores() -> None:
    points = [Point(day(k), 10.0) for k in range(6)] + [Point(day(6), 4.0)]
    result = forecast(points, 5, "<=", day(13), as_of=day(6), value_range=(0, 27))
    assert result.low == pytest.approx(0.0)  # -10 clamped to the PHQ-9 floor


def test_off_track_when_neither_projection_nor_band_reaches() -> None:
    # y = 10 + 0.1 d on days 0-13, target <= 5: at day 30 the line gives 13; the band has no width.
    result = forecast(line(10, 0.1, 14), 5, "<=", day(30), as_of=day(13))
    assert result.status == "off_track"
    assert result.projected == pytest.approx(13.0)


def test_off_track_for_an_increase_target_moving_the_wrong_way() -> None:
    # "At least 5 walks a week" with weekly totals 4, 4, 3, 3, 2 on Mondays: the trend falls.
    points = [Point(day(7 * k), v) for k, v in enumerate([4.0, 4.0, 3.0, 3.0, 2.0])]
    result = forecast(points, 5, ">=", day(70), as_of=day(28))
    assert result.status == "off_track"
    assert result.slope_per_week is not None and result.slope_per_week < 0


def test_off_track_once_the_deadline_has_passed() -> None:
    result = forecast(line(20, -0.5, 14), 5, "<=", day(10), as_of=day(13))
    assert result.status == "off_track"
    assert "deadline has passed" in result.reason


def test_only_points_between_since_on_and_as_of_are_used() -> None:
    # An old flat stretch at 20 before day 100 and an entry after as_of are ignored: the fit sees
    # only y = 20 - 0.5 (d - 100) on days 100-113.
    old = [Point(day(k), 20.0) for k in range(50)]
    recent = [Point(day(100 + k), 20 - 0.5 * k) for k in range(14)]
    future = [Point(day(120), 100.0)]
    result = forecast(old + recent + future, 5, "<=", day(140), as_of=day(113), since_on=day(100))
    assert result.projected == pytest.approx(0.0)  # 20 - 0.5 * 40
    assert result.n_days == 14


def test_same_day_entries_are_averaged() -> None:
    points = [*line(20, -0.5, 14), Point(day(13), 13.5 + 2), Point(day(13), 13.5 - 2)]
    assert forecast(points, 5, "<=", day(40), as_of=day(13)).projected == pytest.approx(0.0)


def test_reasons_never_repeat_values() -> None:
    result = forecast(line(20, -0.5, 14), 5, "<=", day(40), as_of=day(13))
    assert not any(ch.isdigit() for ch in result.reason)


def test_rejects_an_inverted_value_range() -> None:
    with pytest.raises(InvalidInput) as caught:
        forecast(line(20, -0.5, 14), 5, "<=", day(40), as_of=day(13), value_range=(27, 0))
    assert caught.value.problems[0].field == "value_range"


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=27),
    per_week=st.integers(min_value=-7, max_value=7),
    days=st.integers(min_value=7, max_value=40),
    ahead=st.integers(min_value=0, max_value=60),
)
def test_an_exact_line_is_projected_exactly_with_no_band(
    start: int, per_week: int, days: int, ahead: int
) -> None:
    # Every pairwise slope of a straight line is its slope, so the fit and both band ends coincide.
    per_day = per_week / 7
    points = line(start, per_day, days)
    deadline = day(days - 1 + ahead)
    result = forecast(points, -1000, "<=", deadline, as_of=day(days - 1))
    expected = start + per_day * (days - 1 + ahead)
    assert result.projected == pytest.approx(expected, abs=1e-9)
    assert result.low == pytest.approx(expected, abs=1e-9)
    assert result.high == pytest.approx(expected, abs=1e-9)
    assert result.slope_per_week == pytest.approx(per_week, abs=1e-9)


def test_entries_older_than_the_last_week_say_there_is_no_recent_data() -> None:
    # Days 0-20 at 4 meet "<= 5", but the latest entry is day 20 and today is day 30: nothing in the
    # 7 days up to today (days 24-30), so the goal is not "achieved" on old data.
    points = [Point(day(k), 4.0) for k in range(21)]
    result = forecast(points, 5, "<=", day(60), as_of=day(30))
    assert result.status == "no_recent_data" and result.recent is None
    assert "no entries in the last 7 days" in result.reason
    assert forecast(points, 5, "<=", day(60), as_of=day(26)).status == "achieved"  # day 20 is within


def test_entries_only_before_the_forecast_window_are_no_recent_data() -> None:
    points = [Point(day(k), 4.0) for k in range(10)]
    result = forecast(points, 5, "<=", day(90), as_of=day(60), since_on=day(32))
    assert result.status == "no_recent_data"


def test_projection_and_band_are_clipped_to_the_scale() -> None:
    # Mood 1-10 rising 0.5 a day from 2 (days 0-13, latest 8.5): the line reaches 2 + 0.5 * 60 = 32 at
    # day 60, which no 1-10 rating can be; clipped to 10.
    result = forecast(line(2, 0.5, 14), 10, ">=", day(60), as_of=day(13), value_range=(1, 10))
    assert result.projected == 10 and result.high == 10 and result.low is not None and result.low <= 10


def test_metric_summary_clips_the_forecast_to_the_metric_scale() -> None:
    from goalwise.analytics.summary import GoalTarget, metric_summary

    goal = GoalTarget(9.0, ">=", day(60))
    points = line(2, 0.5, 14)
    clipped = metric_summary(points, day(13), goal=goal, scale=(1.0, 10.0)).forecast
    free = metric_summary(points, day(13), goal=goal).forecast
    assert clipped is not None and free is not None
    assert free.projected == pytest.approx(32.0) and clipped.projected == 10.0
