from __future__ import annotations

import pytest

from goalwise.core.errors import (
    ConfigError,
    Conflict,
    Forbidden,
    GoalwiseError,
    InvalidInput,
    NotFound,
    Problem,
    StorageError,
    errors_only,
)


def test_problem_serialises_with_suggestion_alias() -> None:
    problem = Problem("x-code", "metric.unit", "No unit.", "Add a unit such as 'minutes'.", "warning")
    assert problem.suggestion == "Add a unit such as 'minutes'."
    assert problem.to_dict() == {
        "code": "x-code",
        "field": "metric.unit",
        "message": "No unit.",
        "hint": "Add a unit such as 'minutes'.",
        "suggestion": "Add a unit such as 'minutes'.",
        "severity": "warning",
    }


def test_invalid_input_message_counts_further_problems() -> None:
    exc = InvalidInput(
        [Problem("a", "x", "First."), Problem("b", "y", "Second."), Problem("c", "z", "Third.")]
    )
    assert exc.message == "First. (and 2 more problems)"
    assert len(exc.problems) == 3


@pytest.mark.parametrize(
    ("cls", "status"),
    [(NotFound, 404), (Forbidden, 403), (Conflict, 409), (StorageError, 503), (ConfigError, 500)],
)
def test_error_tree_statuses(cls: type[GoalwiseError], status: int) -> None:
    assert issubclass(cls, GoalwiseError)
    assert cls("m").status == status


def test_errors_only_drops_warnings() -> None:
    problems = [Problem("a", "x", "m", severity="warning"), Problem("b", "y", "m")]
    assert [p.code for p in errors_only(problems)] == ["b"]
