"""Action plans: the next step, the weekly completion rate, and plan validation."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.core.action_plan import (
    Milestone,
    Step,
    milestone_progress,
    next_step,
    ordered,
    validate_plan,
    weekly_completion_rate,
)

MONDAY = date(2026, 1, 5)


def test_steps_are_ordered_by_order_then_id() -> None:
    steps = [Step("b", "B", 2), Step("c", "C", 1), Step("a", "A", 2)]
    assert [s.id for s in ordered(steps)] == ["c", "a", "b"]


def test_next_step_is_the_first_undone_step_whose_dependencies_are_done() -> None:
    steps = [
        Step("list", "List feared situations", 1, done=True),
        Step("rank", "Rank them 0-100", 2, depends_on=("list",)),
        Step("first", "Try the easiest one", 3, depends_on=("rank",)),
        Step("walk", "Walk 5 minutes", 4, micro=True),
    ]
    assert next_step(steps) == steps[1]


def test_a_blocked_step_is_skipped_for_a_later_free_one() -> None:
    steps = [
        Step("first", "Try the easiest one", 1, depends_on=("rank",)),
        Step("rank", "Rank them", 2),
    ]
    assert next_step(steps) == steps[1]


def test_unknown_dependency_blocks_and_all_done_means_no_next_step() -> None:
    assert next_step([Step("a", "A", 1, depends_on=("ghost",))]) is None
    assert next_step([Step("a", "A", 1, done=True)]) is None
    assert next_step([]) is None


def test_weekly_completion_rate_counts_steps_due_that_week() -> None:
    steps = [
        Step("a", "A", 1, due_on=date(2026, 1, 5), done=True, done_on=date(2026, 1, 5)),
        Step("b", "B", 2, due_on=date(2026, 1, 11), done=True),  # Sunday, done (no date given)
        Step("c", "C", 3, due_on=date(2026, 1, 8)),
        Step("d", "D", 4, due_on=date(2026, 1, 12), done=True),  # next week: not counted
        Step("e", "E", 5, done=True),  # no due date: not counted
    ]
    assert weekly_completion_rate(steps, MONDAY) == 2 / 3  # a and b of a, b, c


def test_a_step_done_after_the_week_does_not_count_for_that_week() -> None:
    late = Step("a", "A", 1, due_on=date(2026, 1, 6), done=True, done_on=date(2026, 1, 12))
    assert weekly_completion_rate([late], MONDAY) == 0.0
    assert weekly_completion_rate([late], date(2026, 1, 12)) is None  # nothing due that week


def test_milestone_progress_counts_its_steps() -> None:
    steps = [
        Step("a", "A", 1, done=True, milestone_id="m1"),
        Step("b", "B", 2, milestone_id="m1"),
        Step("c", "C", 3),
    ]
    assert milestone_progress("m1", steps) == (1, 2)
    assert milestone_progress("m2", steps) == (0, 0)


def test_a_sound_plan_has_no_problems() -> None:
    milestones = [Milestone("m1", "3 or fewer attacks a week", 1, due_on=date(2026, 2, 2))]
    steps = [
        Step("a", "Learn slow breathing", 1, due_on=date(2026, 1, 12), milestone_id="m1"),
        Step(
            "b", "Use it during an attack", 2, due_on=date(2026, 1, 19), depends_on=("a",), milestone_id="m1"
        ),
    ]
    assert validate_plan(steps, milestones) == []


def test_validate_plan_names_each_problem() -> None:
    steps = [
        Step("a", "A", 1, depends_on=("ghost",)),
        Step("a", "Again", 2),
        Step("b", " ", 3, milestone_id="m9"),
        Step("c", "C", 4, due_on=date(2026, 1, 5), depends_on=("d",)),
        Step("d", "D", 5, due_on=date(2026, 1, 9)),
    ]
    problems = validate_plan(steps)
    assert [(p.code, p.field, p.severity) for p in problems] == [
        ("plan-duplicate-id", "steps[1].id", "error"),
        ("plan-no-title", "steps[2].title", "error"),
        ("plan-unknown-dependency", "steps[0].depends_on", "error"),
        ("plan-unknown-milestone", "steps[2].milestone_id", "error"),
        ("plan-due-order", "steps[3].due_on", "warning"),
    ]
    assert problems[4].suggestion == "Move its due date to 2026-01-09 or later."


def test_a_dependency_cycle_is_reported_once() -> None:
    steps = [
        Step("a", "A", 1, depends_on=("c",)),
        Step("b", "B", 2, depends_on=("a",)),
        Step("c", "C", 3, depends_on=("b",)),
    ]
    [problem] = validate_plan(steps)
    assert problem.code == "plan-cycle"
    assert problem.message == "Steps depend on each other in a circle: a -> c -> b -> a."


def test_a_step_depending_on_itself_is_a_cycle() -> None:
    [problem] = validate_plan([Step("a", "A", 1, depends_on=("a",))])
    assert problem.code == "plan-cycle"


def test_a_long_chain_is_checked_without_recursion_limits() -> None:
    chain = [Step(f"s{i}", "Step", i, depends_on=(f"s{i - 1}",) if i else ()) for i in range(5000)]
    assert validate_plan(chain) == []
    assert next_step(chain) == chain[0]


@st.composite
def acyclic_plans(draw: st.DrawFn) -> list[Step]:
    n = draw(st.integers(1, 12))
    steps = []
    for i in range(n):
        deps = draw(st.sets(st.integers(0, i - 1), max_size=3)) if i else set()
        steps.append(
            Step(
                f"s{i}",
                "Step",
                draw(st.integers(0, 5)),
                done=draw(st.booleans()),
                depends_on=tuple(f"s{d}" for d in sorted(deps)),
            )
        )
    return steps


@settings(max_examples=200, deadline=None)
@given(acyclic_plans())
def test_plans_whose_steps_depend_only_on_earlier_steps_have_no_cycle(steps: list[Step]) -> None:
    assert [p for p in validate_plan(steps) if p.code == "plan-cycle"] == []
    step = next_step(steps)
    done = {s.id for s in steps if s.done}
    if step is not None:
        assert not step.done and set(step.depends_on) <= done
    else:
        # Nothing is free: every undone step waits for an undone dependency.
        assert all(s.done or not set(s.depends_on) <= done for s in steps)
