"""Small wins phrased kindly, and a normalising note for a setback."""

from __future__ import annotations

from datetime import date, timedelta

from goalwise.analytics.aggregate import IsoWeek, Point
from goalwise.analytics.small_win import (
    Milestone,
    first_met_week,
    logging_streak,
    milestone_wins,
    personal_best,
    setback,
    small_wins,
    streak_win,
)

TODAY = date(2025, 3, 16)  # a Sunday, the end of ISO week 2025-W11


def back(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_streak_counts_consecutive_days_up_to_today() -> None:
    assert logging_streak([back(0), back(1), back(2), back(3), back(4), back(6)], TODAY) == 5  # gap at 5


def test_streak_is_not_broken_before_today_is_logged() -> None:
    assert logging_streak([back(1), back(2), back(3)], TODAY) == 3


def test_streak_is_zero_after_a_missed_yesterday() -> None:
    assert logging_streak([back(2), back(3)], TODAY) == 0


def test_streak_win_from_three_days_phrased_kindly() -> None:
    win = streak_win([back(0), back(1), back(2)], TODAY)
    assert win is not None
    assert (win.kind, win.on, win.tone) == ("streak", TODAY, "celebrating")
    assert "3 days in a row" in win.message
    assert streak_win([back(0), back(1)], TODAY) is None


def test_first_met_week_is_dated_on_its_sunday() -> None:
    weeks = [(IsoWeek(2025, 8), False), (IsoWeek(2025, 9), True), (IsoWeek(2025, 10), True)]
    win = first_met_week(weeks, date(2025, 3, 9))  # Sunday of 2025-W10, the week after
    assert win is not None
    assert win.kind == "first_week_met"
    assert win.on == date(2025, 3, 2)  # Sunday of 2025-W09
    assert "first time" in win.message


def test_a_first_met_week_is_news_only_that_week_and_the_next() -> None:
    # 2025-W09 ends on Sunday 2 March. It is news from 2 March (0 days) through Sunday 9 March,
    # the end of the week after (7 days); from Monday 10 March (8 days) it is history.
    weeks = [(IsoWeek(2025, 8), False), (IsoWeek(2025, 9), True), (IsoWeek(2025, 10), True)]
    assert first_met_week(weeks, date(2025, 3, 2)) is not None
    assert first_met_week(weeks, date(2025, 3, 9)) is not None
    assert first_met_week(weeks, date(2025, 3, 10)) is None
    # QA case: first met a year before today (2025-W09 vs Monday 2026-11-30, 638 days later),
    # with later met weeks since: no "first time" win today.
    later = [(IsoWeek(2026, w), True) for w in range(40, 49)]
    assert first_met_week(weeks + later, date(2026, 11, 30)) is None


def test_an_unfinished_week_does_not_count_as_first_met() -> None:
    # As of Wednesday 12 March, week 11 (ending 16 March) is not over yet.
    assert first_met_week([(IsoWeek(2025, 11), True)], date(2025, 3, 12)) is None


def test_a_bad_week_after_two_good_ones_gives_a_normalising_setback() -> None:
    weeks = [(IsoWeek(2025, 9), True), (IsoWeek(2025, 10), True), (IsoWeek(2025, 11), False)]
    win = setback(weeks, TODAY)
    assert win is not None
    assert (win.kind, win.tone, win.on) == ("setback", "normalising", TODAY)
    assert win.message.startswith("Progress isn't linear; look at the trend")
    assert "2 weeks running" in win.message
    assert "!" not in win.message  # never an alarm


def test_a_bad_week_after_only_one_good_one_is_not_a_setback() -> None:
    weeks = [(IsoWeek(2025, 9), False), (IsoWeek(2025, 10), True), (IsoWeek(2025, 11), False)]
    assert setback(weeks, TODAY) is None


def test_a_met_latest_week_is_not_a_setback() -> None:
    weeks = [(IsoWeek(2025, 9), True), (IsoWeek(2025, 10), True), (IsoWeek(2025, 11), True)]
    assert setback(weeks, TODAY) is None


def test_personal_best_for_a_recent_entry_better_than_all_before() -> None:
    # Minutes walked: 10, 20, 15, then 25 two days ago beats every earlier entry.
    points = [
        Point(back(5), 10),
        Point(back(4), 20),
        Point(back(3), 15),
        Point(back(2), 25),
        Point(back(1), 5),
    ]
    win = personal_best(points, higher_is_better=True, as_of=TODAY, label="minutes walked")
    assert win is not None
    assert (win.kind, win.on) == ("personal_best", back(2))
    assert "minutes walked" in win.message


def test_no_personal_best_among_the_first_few_entries_or_long_ago() -> None:
    assert personal_best([Point(back(2), 1), Point(back(1), 2), Point(back(0), 3)], True, TODAY) is None
    old = [Point(back(20 - k), float(k)) for k in range(5)]  # the last record was 16 days ago
    assert personal_best(old, True, TODAY) is None


def test_personal_best_for_a_lower_is_better_measure() -> None:
    points = [Point(back(4), 15), Point(back(3), 12), Point(back(2), 14), Point(back(1), 11)]
    win = personal_best(points, higher_is_better=False, as_of=TODAY)
    assert win is not None and win.on == back(1)


def test_milestones_completed_by_today() -> None:
    wins = milestone_wins(
        [Milestone("Call a friend", back(3)), Milestone("Join a class", TODAY + timedelta(1))], TODAY
    )
    assert [(w.kind, w.on) for w in wins] == [("milestone", back(3))]
    assert "Call a friend" in wins[0].message


def test_small_wins_collects_everything_since_a_day_oldest_first() -> None:
    weeks = [(IsoWeek(2025, 9), True), (IsoWeek(2025, 10), True), (IsoWeek(2025, 11), False)]
    wins = small_wins(
        TODAY,
        logged_days=[back(k) for k in range(4)],
        weekly_met=weeks,
        milestones=[Milestone("Call a friend", back(3))],
        since_on=back(7),
    )
    # The first met week (Sunday 2 March) is before since_on (9 March) and is left out.
    assert [w.kind for w in wins] == ["milestone", "setback", "streak"]
