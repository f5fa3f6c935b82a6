"""Action plans: milestones and steps under a goal, what to do next, and how the week went.

Issue 3 ("Action plans"): steps are ordered, may have a due date, are done or not, may be
micro-actions (a step small enough to do today, the strategy against perfectionism and
overwhelm in ``core/obstacle.py``), and may depend on other steps. The client sees the next
step first (:func:`next_step`). Breaking a goal into graded, ordered steps is graded task
assignment (Beck, Rush, Shaw & Emery 1979, *Cognitive Therapy of Depression*).

Weekly completion rate (a decision recorded here): of the steps due in the 7 days from
``week_start``, the share done by the end of that week; None when no step is due that week.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from goalwise.core.errors import Problem

__all__ = [
    "Milestone",
    "Step",
    "milestone_progress",
    "next_step",
    "ordered",
    "validate_plan",
    "weekly_completion_rate",
]


@dataclass(frozen=True, slots=True)
class Milestone:
    """An intermediate result on the way to the goal, e.g. "3 or fewer panic attacks a week"."""

    id: str
    title: str
    order: int
    due_on: date | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """One action step; ``depends_on`` names steps that must be done first."""

    id: str
    title: str
    order: int
    due_on: date | None = None
    done: bool = False
    done_on: date | None = None
    micro: bool = False
    depends_on: tuple[str, ...] = ()
    milestone_id: str | None = None


def ordered(steps: Iterable[Step]) -> list[Step]:
    """Steps in plan order (``order``, then id for ties)."""
    return sorted(steps, key=lambda step: (step.order, step.id))


def next_step(steps: Sequence[Step]) -> Step | None:
    """The first step in plan order that is not done and whose dependencies are all done.

    A dependency on an unknown step blocks the step (:func:`validate_plan` reports it).
    """
    done = {step.id for step in steps if step.done}
    for step in ordered(steps):
        if not step.done and all(dep in done for dep in step.depends_on):
            return step
    return None


def weekly_completion_rate(steps: Iterable[Step], week_start: date) -> float | None:
    """Share of the steps due in the 7 days from ``week_start`` that were done by the week's end.

    None when no step is due that week.
    """
    week_end = week_start + timedelta(days=7)
    due = [s for s in steps if s.due_on is not None and week_start <= s.due_on < week_end]
    if not due:
        return None
    done = [s for s in due if s.done and (s.done_on is None or s.done_on < week_end)]
    return len(done) / len(due)


def milestone_progress(milestone_id: str, steps: Iterable[Step]) -> tuple[int, int]:
    """``(done, total)`` steps under the milestone."""
    under = [step for step in steps if step.milestone_id == milestone_id]
    return sum(1 for step in under if step.done), len(under)


def validate_plan(steps: Sequence[Step], milestones: Sequence[Milestone] = ()) -> list[Problem]:
    """Every problem in a plan: repeated ids, missing titles, unknown dependencies or milestones, cycles.

    A step due before a step it depends on gets a warning.
    """
    problems: list[Problem] = []
    by_id: dict[str, Step] = {}
    for i, step in enumerate(steps):
        if step.id in by_id:
            problems.append(
                Problem(
                    "plan-duplicate-id",
                    f"steps[{i}].id",
                    f"Step id '{step.id}' is used twice.",
                    "Give each step its own id.",
                )
            )
        by_id.setdefault(step.id, step)
        if not step.title.strip():
            problems.append(
                Problem(
                    "plan-no-title",
                    f"steps[{i}].title",
                    f"Step '{step.id}' has no title.",
                    "Say what to do, e.g. 'Walk to the corner shop and back'.",
                )
            )
    milestone_ids = {m.id for m in milestones}
    for i, step in enumerate(steps):
        for dep in step.depends_on:
            if dep not in by_id:
                problems.append(
                    Problem(
                        "plan-unknown-dependency",
                        f"steps[{i}].depends_on",
                        f"Step '{step.id}' depends on '{dep}', which is not in the plan.",
                        "Remove the dependency or add that step.",
                    )
                )
            elif _due_before(step.due_on, by_id[dep].due_on):
                problems.append(
                    Problem(
                        "plan-due-order",
                        f"steps[{i}].due_on",
                        f"Step '{step.id}' is due before '{dep}', which it depends on.",
                        f"Move its due date to {by_id[dep].due_on} or later.",
                        "warning",
                    )
                )
        if step.milestone_id is not None and step.milestone_id not in milestone_ids:
            problems.append(
                Problem(
                    "plan-unknown-milestone",
                    f"steps[{i}].milestone_id",
                    f"Step '{step.id}' belongs to milestone '{step.milestone_id}', which is not in the plan.",
                    "Pick one of the plan's milestones or add it.",
                )
            )
    for cycle in _cycles(by_id):
        path = " -> ".join([*cycle, cycle[0]])
        problems.append(
            Problem(
                "plan-cycle",
                "steps",
                f"Steps depend on each other in a circle: {path}.",
                f"Remove one dependency, e.g. '{cycle[-1]}' on '{cycle[0]}'.",
            )
        )
    return problems


def _due_before(due: date | None, other: date | None) -> bool:
    return due is not None and other is not None and due < other


def _cycles(by_id: dict[str, Step]) -> list[list[str]]:
    """Each dependency cycle once, as the ids along it (iterative depth-first search with colours)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for root in sorted(by_id):
        if root in state:
            continue
        state[root] = 1
        path = [root]
        stack = [iter(by_id[root].depends_on)]
        while stack:
            dep = next(stack[-1], None)
            if dep is None:
                stack.pop()
                state[path.pop()] = 2
            elif dep in by_id and state.get(dep) == 1:
                cycle = path[path.index(dep) :]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    found.append(cycle)
            elif dep in by_id and dep not in state:
                state[dep] = 1
                path.append(dep)
                stack.append(iter(by_id[dep].depends_on))
    return found
