"""Review input, the review's T-score, the next review date and when a goal is due."""

from __future__ import annotations

from datetime import date

import pytest

from goalwise.analytics.gas import t_score
from goalwise.core.reviews.review import Decision, ReviewKind, due_goal, next_review_on, parse_review


def _review(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "held_on": "2026-03-02",
        "kind": "goals",
        "notes": "Went well.",
        "goals": [
            {"goal_id": 7, "gas_level": -1, "decision": "adjust", "target": 3, "reason": "too far"},
            {"goal_id": 8, "gas_level": 1, "decision": "continue"},
        ],
    }
    data.update(over)
    return data


def test_a_review_parses_into_decisions() -> None:
    review, problems = parse_review(_review())
    assert problems == [] and review is not None
    assert review.held_on == date(2026, 3, 2) and review.kind is ReviewKind.GOALS
    assert [(g.goal_id, g.gas_level, g.decision, g.target) for g in review.goals] == [
        (7, -1, Decision.ADJUST, 3.0),
        (8, 1, Decision.CONTINUE, None),
    ]


def test_every_problem_is_reported_at_once_naming_the_field() -> None:
    bad = _review(
        held_on="2 March",
        kind="yearly",
        goals=[
            {"goal_id": 7, "gas_level": 3, "decision": "adjust", "reason": "x"},
            {"goal_id": 8, "gas_level": 0, "decision": "close"},
            {"goal_id": 9, "gas_level": 0, "decision": "discontinue"},
            {"goal_id": 9, "gas_level": 0, "decision": "continue", "target": 4},
        ],
    )
    review, problems = parse_review(bad)
    assert review is None
    assert [p.field for p in problems] == [
        "held_on",
        "kind",
        "goals[0].gas_level",
        "goals[0].target",  # adjust without a new target or deadline
        "goals[1].decision",
        "goals[2].reason",
        "goals[3].decision",  # a target given without 'adjust'
    ]


def test_a_goal_listed_twice_and_a_next_date_before_the_review_are_refused() -> None:
    twice = [{"goal_id": 7, "gas_level": 0, "decision": "continue"}] * 2
    _, problems = parse_review(_review(goals=twice, next_review_on="2026-03-01"))
    assert [p.field for p in problems] == ["next_review_on", "goals[1].goal_id"]


def test_t_score_with_weights_by_hand() -> None:
    # x = (-1, 0, 1), w = (2, 1, 1): Σwx = -2 + 0 + 1 = -1; Σw² = 4 + 1 + 1 = 6; (Σw)² = 16;
    # denominator √(0.7·6 + 0.3·16) = √(4.2 + 4.8) = √9 = 3; T = 50 + 10·(-1)/3 = 46.667.
    assert t_score([-1, 0, 1], [2, 1, 1]) == pytest.approx(50 - 10 / 3, abs=1e-12)
    # CLINICAL.md §4 worked example (gasr): exactly 55.
    assert t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6]) == 55.0


def test_next_review_is_the_shortest_cadence_of_the_goals_that_stay() -> None:
    assert next_review_on(date(2026, 3, 2), [8, 4, 6]) == date(2026, 3, 30)  # + 4 weeks
    assert next_review_on(date(2026, 3, 2), [None]) == date(2026, 4, 13)  # default 6 weeks
    assert next_review_on(date(2026, 3, 2), []) is None  # nothing stays active


def test_a_goal_is_due_when_its_cadence_has_passed_since_start_or_last_review() -> None:
    start = date(2026, 1, 5)
    # Started Jan 5, every 4 weeks: due Feb 2; on Feb 10 it is 8 days overdue.
    due = due_goal(1, start, 4, None, [], date(2026, 2, 10))
    assert due is not None and (due.due_on, due.reason, due.overdue_days) == (date(2026, 2, 2), "cadence", 8)
    assert due_goal(1, start, 4, None, [], date(2026, 2, 1)) is None
    # Reviewed Feb 2: next due Mar 2, so not due on Feb 10.
    assert due_goal(1, start, 4, None, [date(2026, 2, 2)], date(2026, 2, 10)) is None
    on_the_day = due_goal(1, start, 4, None, [date(2026, 2, 2)], date(2026, 3, 2))
    assert on_the_day is not None and on_the_day.overdue_days == 0


def test_a_goal_past_its_deadline_without_a_decision_is_due() -> None:
    start = date(2026, 1, 5)
    # Every 8 weeks (due Mar 2) but the deadline was Feb 20: due since Feb 20, 5 days on Feb 25.
    due = due_goal(1, start, 8, date(2026, 2, 20), [], date(2026, 2, 25))
    assert due is not None and (due.due_on, due.reason, due.overdue_days) == (
        date(2026, 2, 20),
        "deadline",
        5,
    )
    # A review on or after the deadline decided about it: only the cadence counts again (Feb 21 + 8 w).
    assert due_goal(1, start, 8, date(2026, 2, 20), [date(2026, 2, 21)], date(2026, 2, 25)) is None


def test_a_goal_id_beyond_the_databases_integers_is_a_problem_not_a_crash() -> None:
    _, problems = parse_review(_review(goals=[{"goal_id": 2**63, "gas_level": 0, "decision": "continue"}]))
    assert [p.field for p in problems] == ["goals[0].goal_id"]


def test_dates_must_be_text_and_the_next_review_within_26_weeks() -> None:
    _, problems = parse_review(_review(held_on=20260302, next_review_on=None))
    assert [p.field for p in problems] == ["held_on"]
    _, problems = parse_review(_review(next_review_on="2026-09-01"))  # 26 weeks after Mar 2 is Aug 31
    assert [p.field for p in problems] == ["next_review_on"]
    review, problems = parse_review(_review(next_review_on="2026-08-31"))
    assert problems == [] and review is not None and review.next_review_on == date(2026, 8, 31)
