"""A shared goal in plain words for a supporter (services/sharing/family.py), computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

from goalwise.services.sharing.family import summarise_goal

TODAY = date(2026, 11, 30)


def _goal(daily: list[tuple[date, float]], **spec: object) -> dict[str, object]:
    return {"title": "Walk", "daily": daily, "spec": {"direction": "increase", **spec}}


def test_a_weekly_goal_is_summed_over_weeks_ending_today() -> None:
    # Walks on 30, 28 and 24 Nov (week ending 30 Nov: 2 walks), 20 Nov (week ending 23 Nov: 1).
    days = [TODAY, TODAY - timedelta(days=2), TODAY - timedelta(days=6), TODAY - timedelta(days=10)]
    found = summarise_goal(
        _goal(
            [(d, 1.0) for d in days],
            metric={"kind": "count", "unit": "walks", "period": "week"},
            target={"value": 3, "comparator": ">="},
        ),
        TODAY,
    )
    assert found.points == ((date(2026, 11, 23), 1.0), (TODAY, 3.0))
    # "Now" is the last full ISO week, Mon 23 - Sun 29 Nov: walks on 24 and 28 Nov = 2 (not the
    # 7 days ending today called "this week"); Monday 30 Nov is the week in progress: 1 so far.
    assert found.now_text == "2 walks a week (last full week, 23 to 29 Nov); 1 this week so far"
    assert found.target_text == "at least 3 walks a week" and found.direction == "more is better"
    # 2 < 3: the last full week did not meet the target.
    assert found.met is False and found.progress_text.startswith("The target is not reached yet.")


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
