"""A shared goal in plain words for a supporter (services/sharing/family.py), computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

from goalwise.services.sharing.family import summarise_goal

TODAY = date(2026, 11, 30)


def _goal(daily: list[tuple[date, float]], **spec: object) -> dict[str, object]:
    return {"title": "Walk", "daily": daily, "spec": {"direction": "increase", **spec}}


def test_a_weekly_goal_is_summed_over_calendar_weeks_like_the_goal_page() -> None:
    # On a Wednesday, 2 Dec 2026: 3 walks logged on each of Sat 31 Oct, Sat 7 Nov, Sat 21 Nov and
    # Sat 28 Nov, nothing in the week of 9 Nov, and 1 walk on Tue 1 Dec (the week in progress).
    wednesday = date(2026, 12, 2)
    logged = [(date(2026, 10, 31), 3.0), (date(2026, 11, 7), 3.0), (date(2026, 11, 21), 3.0)]
    logged += [(date(2026, 11, 28), 3.0), (date(2026, 12, 1), 1.0)]
    found = summarise_goal(
        _goal(
            logged,
            metric={"kind": "count", "unit": "walks", "period": "week"},
            target={"value": 3, "comparator": ">="},
        ),
        wednesday,
    )
    # Monday-to-Sunday weeks stamped by their Monday, as the goal page charts them; the week of
    # 9 Nov had no entry and is absent (not a zero), the week of 30 Nov is in progress: 1 so far.
    mondays = [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 16), date(2026, 11, 23)]
    assert found.points == (*((m, 3.0) for m in mondays), (date(2026, 11, 30), 1.0))
    assert found.in_progress_on == date(2026, 11, 30)
    assert found.point_label(date(2026, 11, 30), 1.0) == "week in progress"
    assert found.point_label(date(2026, 11, 23), 3.0) == "met"  # 3 >= 3
    # "Now" is the last full week, Mon 23 - Sun 29 Nov: 3 walks.
    assert found.now_text == "3 walks a week (last full week, 23 to 29 Nov); 1 this week so far"
    assert found.target_text == "at least 3 walks a week" and found.direction == "more is better"
    # Trend words on the 4 complete weeks only: first half mean (3 + 3) / 2 = 3, second half
    # (3 + 3) / 2 = 3, no change: steady. Counting the 1-walk week in progress as a week would give
    # 3 then (3 + 3 + 1) / 3 = 2.33, "harder"; so would a zero for the empty week ((3 + 3) / 2 then
    # (0 + 3 + 3) / 3 = 2). The 7-day windows ending on the Wednesday gave 3, 3, 0, 3 and 4 (Sat 28
    # Nov and Tue 1 Dec together): "harder" again.
    assert found.met is True
    assert found.progress_text == "The latest value meets the target. Over these weeks it has held steady."


def test_a_weekly_rating_averages_its_days_and_a_sunday_closes_the_week() -> None:
    # Sunday 29 Nov 2026: ratings 4, 6 and 8 on Mon 23, Wed 25 and Sun 29 Nov (mean 6), and 5 on
    # Tue 17 Nov. A rating's week is the mean of its days, not their total (18).
    sunday = date(2026, 11, 29)
    logged = [(date(2026, 11, 17), 5.0), (date(2026, 11, 23), 4.0), (date(2026, 11, 25), 6.0), (sunday, 8.0)]
    found = summarise_goal(
        _goal(logged, metric={"kind": "rating", "unit": "calm", "period": "week"}, target=7), sunday
    )
    assert found.points == ((date(2026, 11, 16), 5.0), (date(2026, 11, 23), 6.0))
    # On its Sunday the week is complete (as analytics.now counts it): nothing is in progress.
    assert found.in_progress_on is None and found.point_label(date(2026, 11, 23), 6.0) == "not met"
    assert found.now_text == "6 calm a week (last full week, 23 to 29 Nov)"


def test_a_decrease_goal_reads_at_most_and_says_when_it_is_harder() -> None:
    daily = [(TODAY - timedelta(days=3 - i), v) for i, v in enumerate([2.0, 2.0, 5.0, 6.0])]
    found = summarise_goal(
        _goal(daily, direction="decrease", metric={"unit": "panic attacks"}, target=3), TODAY
    )
    # First half mean 2, second half 5.5: up, and up is worse for a decrease goal.
    assert found.target_text == "at most 3 panic attacks" and found.direction == "less is better"
    assert found.met is False and "harder" in found.progress_text


def test_nothing_logged_says_so_and_a_range_target_is_read_as_between() -> None:
    found = summarise_goal(_goal([], direction="maintain", target={"low": 6, "high": 8}), TODAY)
    assert found.now_text == "nothing logged yet" and found.target_text == "between 6 and 8"
    assert found.meets(7) is True and found.meets(9) is False


def test_a_report_cards_goal_reads_as_a_percentage_of_targets_met() -> None:
    # A daily report card's goal (services/cards/cards.py): a proportion, "targets met", at least 80 %.
    # Days rated 75 % (Fri 27 Nov) and 87.5 % (Mon 30 Nov): the last 7 days' mean (75 + 87.5) / 2 =
    # 81.25, shown to one decimal as on every page, worded as the card's pages word it.
    found = summarise_goal(
        _goal(
            [(date(2026, 11, 27), 75.0), (TODAY, 87.5)],
            metric={"kind": "proportion", "unit": "targets met"},
            target={"value": 80, "comparator": ">="},
        ),
        TODAY,
    )
    assert found.now_text == "81.2 % of targets met (average of the last 7 days)"
    assert found.target_text == "at least 80 % of targets met"
    assert found.unit == "% of targets met"  # the chart's axis, as on the card's own chart
    assert found.met is True  # 81.25 >= 80
