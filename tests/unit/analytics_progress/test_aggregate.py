"""Aggregation by local day and ISO week, pooled proportions and the calendar rolling mean."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.aggregate import (
    IsoWeek,
    Point,
    Trial,
    daily,
    days_logged_per_week,
    iso_week,
    rolling_mean,
    weekly,
    weekly_proportion,
)
from goalwise.core.errors import InvalidInput

MON = date(2025, 1, 6)  # a Monday, ISO 2025-W02


def day(n: int) -> date:
    return MON + timedelta(days=n)


def test_daily_sums_means_and_keeps_last_of_each_day() -> None:
    points = [Point(day(0), 2), Point(day(0), 3), Point(day(2), 7)]
    assert daily(points, "sum") == [Point(day(0), 5.0), Point(day(2), 7.0)]  # 2 + 3
    assert daily(points, "mean") == [Point(day(0), 2.5), Point(day(2), 7.0)]  # (2 + 3) / 2
    assert daily(points, "last") == [Point(day(0), 3.0), Point(day(2), 7.0)]


def test_daily_rejects_unknown_how_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        daily([Point(day(0), 1)], "median")  # type: ignore[arg-type]
    assert caught.value.problems[0].field == "how"


def test_iso_week_of_30_december_2024_is_week_1_of_2025() -> None:
    # ISO 8601: the week holding the year's first Thursday (2 Jan 2025) is week 1; it starts Mon 30 Dec.
    assert iso_week(date(2024, 12, 30)) == IsoWeek(2025, 1)
    assert IsoWeek(2025, 1).monday == date(2024, 12, 30)
    assert IsoWeek(2025, 1).sunday == date(2025, 1, 5)
    assert str(IsoWeek(2025, 1)) == "2025-W01"


def test_weekly_counts_means_and_days_logged_per_iso_week() -> None:
    # Week W02: 3 panic attacks on Mon, 1 on Mon again, 2 on Sun -> sum 6 on 2 days, 3 entries.
    # Week W03: 1 on Tue.
    points = [Point(day(0), 3), Point(day(0), 1), Point(day(6), 2), Point(day(8), 1)]
    sums = weekly(points, "sum")
    assert [(w.week, w.value, w.n, w.days_logged) for w in sums] == [
        (IsoWeek(2025, 2), 6.0, 3, 2),
        (IsoWeek(2025, 3), 1.0, 1, 1),
    ]
    assert sums[0].monday == MON
    means = weekly(points, "mean")
    assert means[0].value == pytest.approx(2.0)  # (3 + 1 + 2) / 3


def test_weekly_leaves_out_weeks_without_data() -> None:
    weeks = weekly([Point(day(0), 1), Point(day(21), 1)])
    assert [w.week.week for w in weeks] == [2, 5]


def test_weekly_proportion_pools_trials_instead_of_averaging_days() -> None:
    # Mon: 1 of 1 encounters had a 5-minute conversation; Tue: 3 of 9. Pooled: 4 / 10 = 0.4
    # (a mean of daily shares would give (1 + 1/3) / 2 = 0.667).
    weeks = weekly_proportion([Trial(day(0), 1, 1), Trial(day(1), 3, 9)])
    assert len(weeks) == 1
    assert (weeks[0].successes, weeks[0].trials, weeks[0].days_logged) == (4, 10, 2)
    assert weeks[0].proportion == pytest.approx(0.4)
    assert weeks[0].value == pytest.approx(40.0)


def test_weekly_proportion_of_a_week_without_trials_is_none() -> None:
    weeks = weekly_proportion([Trial(day(0), 0, 0)])
    assert weeks[0].proportion is None
    assert weeks[0].value is None


def test_weekly_proportion_rejects_more_successes_than_trials() -> None:
    with pytest.raises(InvalidInput) as caught:
        weekly_proportion([Trial(day(0), 1, 1), Trial(day(1), 4, 3)])
    assert [p.field for p in caught.value.problems] == ["trials[1]"]


def test_days_logged_per_week_counts_distinct_days() -> None:
    assert days_logged_per_week([day(0), day(0), day(3), day(7)]) == {
        IsoWeek(2025, 2): 2,
        IsoWeek(2025, 3): 1,
    }


def test_rolling_mean_skips_missing_days_instead_of_counting_zero() -> None:
    # Values 2, 4, 6 on days 0-2, then 10 on day 9; window 7 (days d-6..d).
    points = [Point(day(0), 2), Point(day(1), 4), Point(day(2), 6), Point(day(9), 10)]
    result = {(p.on - MON).days: p.value for p in rolling_mean(points, 7)}
    assert result[0] == pytest.approx(2.0)
    assert result[1] == pytest.approx(3.0)  # (2 + 4) / 2
    assert result[2] == pytest.approx(4.0)  # (2 + 4 + 6) / 3
    assert result[6] == pytest.approx(4.0)  # window days 0..6 still holds only 2, 4, 6
    assert result[7] == pytest.approx(5.0)  # days 1..7: (4 + 6) / 2
    assert result[8] == pytest.approx(6.0)  # days 2..8: 6
    assert result[9] == pytest.approx(10.0)  # days 3..9: 10
    assert sorted(result) == list(range(10))


def test_rolling_mean_leaves_a_gap_longer_than_the_window_empty() -> None:
    result = rolling_mean([Point(day(0), 1), Point(day(20), 3)], 7)
    assert [(p.on - MON).days for p in result] == [0, 1, 2, 3, 4, 5, 6, 20]


def test_rolling_mean_rejects_two_points_on_one_day() -> None:
    with pytest.raises(InvalidInput) as caught:
        rolling_mean([Point(day(0), 1), Point(day(0), 2)])
    assert "daily(" in caught.value.problems[0].hint


def test_rolling_mean_rejects_a_window_below_one() -> None:
    with pytest.raises(InvalidInput) as caught:
        rolling_mean([Point(day(0), 1)], 0)
    assert caught.value.problems[0].field == "window"


daily_values = st.dictionaries(
    st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=20), min_size=1, max_size=30
)


@settings(max_examples=50, deadline=None)
@given(daily_values)
def test_rolling_mean_with_window_1_is_the_series_itself(values: dict[int, int]) -> None:
    points = [Point(day(k), float(v)) for k, v in sorted(values.items())]
    assert rolling_mean(points, 1) == points


@settings(max_examples=50, deadline=None)
@given(daily_values)
def test_weekly_sums_add_up_to_the_total(values: dict[int, int]) -> None:
    points = [Point(day(k), float(v)) for k, v in values.items()]
    weeks = weekly(points, "sum")
    assert sum(w.value for w in weeks) == sum(values.values())
    assert sum(w.days_logged for w in weeks) == len(values)
