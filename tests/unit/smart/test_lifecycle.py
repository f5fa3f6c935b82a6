"""The goal status lifecycle as a table, and its FHIR mapping (CLINICAL.md §6.1)."""

from __future__ import annotations

import itertools

import pytest

from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.lifecycle import (
    ACHIEVEMENT_CODES,
    ACHIEVEMENT_SYSTEM,
    FHIR_LIFECYCLE,
    TERMINAL,
    GoalStatus,
    can_transition,
    fhir_achievement,
    parse_status,
    transition_problems,
)

S = GoalStatus
ALLOWED = {
    (S.PROPOSED, S.ACTIVE),
    (S.PROPOSED, S.DISCONTINUED),
    (S.ACTIVE, S.ON_HOLD),
    (S.ACTIVE, S.ACHIEVED),
    (S.ACTIVE, S.REVISED),
    (S.ACTIVE, S.DISCONTINUED),
    (S.ON_HOLD, S.ACTIVE),
    (S.ON_HOLD, S.DISCONTINUED),
}
# FHIR R4 goal-status codes (CLINICAL.md §6.1).
FHIR_GOAL_STATUS = {
    "proposed",
    "planned",
    "accepted",
    "active",
    "on-hold",
    "completed",
    "cancelled",
    "entered-in-error",
    "rejected",
}


@pytest.mark.parametrize(("current", "new"), list(itertools.product(S, S)))
def test_transition_table_matches_the_issue(current: GoalStatus, new: GoalStatus) -> None:
    allowed = (current, new) in ALLOWED
    assert can_transition(current, new) is allowed
    assert (transition_problems(current, new) == []) is allowed


def test_achieved_revised_and_discontinued_are_terminal() -> None:
    assert {S.ACHIEVED, S.REVISED, S.DISCONTINUED} == TERMINAL


def test_statuses_are_read_from_strings_including_fhir_spelling() -> None:
    assert parse_status("on-hold") is S.ON_HOLD
    assert parse_status(" Active ") is S.ACTIVE
    assert parse_status("done") is None
    assert parse_status(3) is None
    assert can_transition("active", "on-hold")
    assert not can_transition("active", "done")


def test_a_forbidden_transition_says_where_the_goal_can_go() -> None:
    [problem] = transition_problems("on_hold", "achieved")
    assert (problem.code, problem.field) == ("status-not-allowed", "new_status")
    assert problem.message == "A goal cannot go from on_hold to achieved."
    assert problem.suggestion == "From on_hold the goal can go to active, discontinued."


def test_a_terminal_status_suggests_a_new_goal() -> None:
    [problem] = transition_problems("achieved", "active")
    assert problem.suggestion == "achieved is final; start a new goal instead."


def test_unknown_statuses_are_named() -> None:
    problems = transition_problems("done", "finished")
    assert [(p.code, p.field) for p in problems] == [
        ("status-unknown", "status"),
        ("status-unknown", "new_status"),
    ]


def test_activation_is_refused_while_the_smart_check_has_errors() -> None:
    error = Problem("T-no-deadline", "deadline_on", "The goal has no deadline.", "Set deadline_on.")
    warning = Problem("M-no-baseline", "baseline.value", "No baseline.", "Start one.", "warning")
    [problem] = transition_problems("proposed", "active", [error, warning])
    assert problem.code == "status-smart-errors"
    assert "T-no-deadline" in problem.message and "M-no-baseline" not in problem.message
    assert transition_problems("proposed", "active", [warning]) == []
    assert transition_problems("on_hold", "active", []) == []


def test_every_status_maps_to_a_fhir_lifecycle_code() -> None:
    assert set(FHIR_LIFECYCLE) == set(S)
    assert set(FHIR_LIFECYCLE.values()) <= FHIR_GOAL_STATUS
    assert FHIR_LIFECYCLE[S.ON_HOLD] == "on-hold"
    assert FHIR_LIFECYCLE[S.ACHIEVED] == "completed"
    assert FHIR_LIFECYCLE[S.DISCONTINUED] == "cancelled"


def test_achievement_codes_are_the_nine_of_the_value_set() -> None:
    assert set(ACHIEVEMENT_CODES) == {
        "in-progress",
        "improving",
        "worsening",
        "no-change",
        "achieved",
        "sustaining",
        "not-achieved",
        "no-progress",
        "not-attainable",
    }


@pytest.mark.parametrize(
    ("status", "progress", "code"),
    [
        ("proposed", None, None),
        ("proposed", "improving", None),
        ("active", None, "in-progress"),
        ("active", "improving", "improving"),
        ("on_hold", "no-progress", "no-progress"),
        ("active", "achieved", "in-progress"),  # achieved needs the status achieved
        ("achieved", None, "achieved"),
        ("achieved", "sustaining", "sustaining"),
        ("discontinued", None, "not-achieved"),
        ("discontinued", "not-attainable", "not-attainable"),
        ("revised", None, None),
    ],
)
def test_achievement_status_follows_status_and_progress(
    status: str, progress: str | None, code: str | None
) -> None:
    concept = fhir_achievement(status, progress)
    if code is None:
        assert concept is None
    else:
        assert concept == {
            "coding": [{"system": ACHIEVEMENT_SYSTEM, "code": code, "display": ACHIEVEMENT_CODES[code]}]
        }


def test_achievement_status_refuses_unknown_codes() -> None:
    with pytest.raises(InvalidInput) as caught:
        fhir_achievement("active", "great")
    assert caught.value.problems[0].field == "progress"
    with pytest.raises(InvalidInput):
        fhir_achievement("finished")
