"""A review as values: its input, the decisions it may take, the next review date, and when a
goal is due for review.

The SMART method lives in its review loop (issue 12): every 4-8 weeks client and therapist score
each goal on its Goal Attainment Scale and decide to continue, adjust (a new target and/or
deadline), add steps, close it as achieved, or discontinue it; every 3-6 months a plan review also
repeats the needs assessment. REVIEW.json::

    {"held_on": "2026-03-02", "kind": "goals", "notes": "...", "next_review_on": "2026-04-13",
     "goals": [{"goal_id": 7, "gas_level": -1, "decision": "adjust", "target": 3,
                "deadline_on": "2026-05-01", "reason": "..."},
               {"goal_id": 8, "gas_level": -1, "decision": "add-steps", "steps": ["..."]}],
     "needs": {...} (plan reviews), "goals_fit": true (plan reviews)}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from goalwise.core.errors import Problem
from goalwise.core.goal import DEFAULT_REVIEW_EVERY_WEEKS, REVIEW_WEEKS_RANGE

__all__ = [
    "DECISION_STATUS",
    "NOTES_LIMIT",
    "REASON_REQUIRED",
    "Decision",
    "DueGoal",
    "GoalDecision",
    "ReviewInput",
    "ReviewKind",
    "due_goal",
    "next_review_on",
    "parse_review",
]

NOTES_LIMIT = 20_000
REASON_LIMIT = 2_000
STEPS_LIMIT = 10
STEP_LIMIT = 200
MAX_ID = 2**63 - 1  # ids are signed 64-bit integers in both databases (web.id_range.ID_MAX)


class ReviewKind(StrEnum):
    """``goals``: the 4-8 week goal review; ``plan``: the 3-6 month re-evaluation of the whole plan."""

    GOALS = "goals"
    PLAN = "plan"


class Decision(StrEnum):
    """What a review decides for one goal."""

    CONTINUE = "continue"
    ADJUST = "adjust"
    ADD_STEPS = "add-steps"
    ACHIEVED = "achieved"
    DISCONTINUE = "discontinue"


#: The goal status each decision moves the goal to; None keeps it (a revision records the review).
DECISION_STATUS: Mapping[Decision, str | None] = {
    Decision.CONTINUE: None,
    Decision.ADJUST: None,
    Decision.ADD_STEPS: None,
    Decision.ACHIEVED: "achieved",
    Decision.DISCONTINUE: "discontinued",
}
#: Decisions that close or change a goal need a reason; continuing does not.
REASON_REQUIRED: frozenset[Decision] = frozenset({Decision.ADJUST, Decision.ACHIEVED, Decision.DISCONTINUE})


@dataclass(frozen=True, slots=True)
class GoalDecision:
    """One reviewed goal: its GAS level, the decision and its reason; a new target/deadline to adjust."""

    goal_id: int
    gas_level: int
    decision: Decision
    reason: str | None = None
    target: float | None = None
    deadline_on: date | None = None
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewInput:
    """A review as submitted, parsed."""

    held_on: date
    kind: ReviewKind
    goals: tuple[GoalDecision, ...]
    notes: str | None = None
    next_review_on: date | None = None
    needs: Mapping[str, Any] | None = None
    goals_fit: bool | None = None


def _date(raw: object, field: str, problems: list[Problem], *, required: bool) -> date | None:
    if raw is None:
        if required:
            problems.append(Problem("review-date", field, f"{field} is missing.", "Give it as YYYY-MM-DD."))
        return None
    try:
        if isinstance(raw, str):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    problems.append(Problem("review-date", field, f"{field} is not a date.", "Give it as YYYY-MM-DD."))
    return None


def _text(raw: object, field: str, limit: int, problems: list[Problem]) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or len(raw) > limit:
        problems.append(
            Problem("review-text", field, f"{field} must be text of at most {limit} characters.", "")
        )
        return None
    return raw.strip()


def _goal_decision(
    raw: object, where: str, held_on: date | None, problems: list[Problem]
) -> GoalDecision | None:
    if not isinstance(raw, Mapping):
        problems.append(
            Problem("review-goal-type", where, f"{where} must be an object.", '{"goal_id": 7, ...}')
        )
        return None
    start = len(problems)
    goal_id, level = raw.get("goal_id"), raw.get("gas_level")
    if isinstance(goal_id, bool) or not isinstance(goal_id, int) or not 1 <= goal_id <= MAX_ID:
        problems.append(
            Problem("review-goal-id", f"{where}.goal_id", f"{where}.goal_id must be a goal id.", "")
        )
    if isinstance(level, bool) or not isinstance(level, int) or not -2 <= level <= 2:
        problems.append(
            Problem(
                "review-gas-level",
                f"{where}.gas_level",
                f"{where}.gas_level must be a whole number from -2 to 2.",
                "Score the goal -2 (much less than expected) to +2 (much more); 0 is the expected outcome.",
            )
        )
    try:
        decision: Decision | None = Decision(str(raw.get("decision")))
    except ValueError:
        decision = None
        names = ", ".join(d.value for d in Decision)
        problems.append(
            Problem("review-decision", f"{where}.decision", f"{where}.decision must be one of {names}.", "")
        )
    reason = _text(raw.get("reason"), f"{where}.reason", REASON_LIMIT, problems)
    if decision in REASON_REQUIRED and reason is None and len(problems) == start:
        problems.append(
            Problem(
                "review-reason", f"{where}.reason", f"{where}.reason is needed for '{decision}'.", "Say why."
            )
        )
    target, deadline = (
        raw.get("target"),
        _date(raw.get("deadline_on"), f"{where}.deadline_on", problems, required=False),
    )
    if target is not None and (
        isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target)
    ):
        problems.append(Problem("review-target", f"{where}.target", f"{where}.target must be a number.", ""))
    if decision is Decision.ADJUST and target is None and raw.get("deadline_on") is None:
        problems.append(
            Problem(
                "review-adjust-empty",
                f"{where}.target",
                f"{where} adjusts the goal but gives no new target or deadline_on.",
                "Give a new target, a new deadline_on, or both.",
            )
        )
    elif decision is not Decision.ADJUST and (target is not None or raw.get("deadline_on") is not None):
        problems.append(
            Problem(
                "review-adjust-only",
                f"{where}.decision",
                f"{where} gives a new target or deadline_on, which only 'adjust' uses.",
                "Set decision to 'adjust', or leave target and deadline_on out.",
            )
        )
    if deadline is not None and held_on is not None and deadline <= held_on:
        problems.append(
            Problem(
                "review-deadline", f"{where}.deadline_on", f"{where}.deadline_on is not after held_on.", ""
            )
        )
    steps = _steps(raw.get("steps"), f"{where}.steps", decision, problems)
    if len(problems) > start:
        return None
    assert isinstance(goal_id, int) and isinstance(level, int) and decision is not None
    number = None if target is None else float(target)
    return GoalDecision(goal_id, level, decision, reason, number, deadline, steps)


def _steps(raw: object, field: str, decision: Decision | None, problems: list[Problem]) -> tuple[str, ...]:
    """The plan steps an ``add-steps`` decision adds: up to 10 titles of 1-200 characters."""
    if raw is None:
        return ()
    if decision is not Decision.ADD_STEPS:
        problems.append(Problem("review-steps-only", field, f"{field} is used with 'add-steps' only.", ""))
        return ()
    titles = [t.strip() for t in raw if isinstance(t, str)] if isinstance(raw, list) else []
    if not isinstance(raw, list) or len(titles) != len(raw) or len(raw) > STEPS_LIMIT:
        titles = []
    if not titles or any(not 0 < len(t) <= STEP_LIMIT for t in titles):
        problems.append(
            Problem(
                "review-steps",
                field,
                f"{field} must be a list of up to {STEPS_LIMIT} step titles of 1 to {STEP_LIMIT} characters.",
                'e.g. ["Walk to the corner shop on Monday"]',
            )
        )
        return ()
    return tuple(titles)


def parse_review(data: object) -> tuple[ReviewInput | None, list[Problem]]:
    """REVIEW.json (module docstring) as a :class:`ReviewInput`, with every problem at once, each
    naming its field (``goals[0].gas_level``); None when there is any problem."""
    if not isinstance(data, Mapping):
        return None, [
            Problem("review-type", "review", "The review must be a JSON object.", '{"held_on": ...}')
        ]
    problems: list[Problem] = []
    held_on = _date(data.get("held_on"), "held_on", problems, required=True)
    try:
        kind = ReviewKind(str(data.get("kind", "goals")))
    except ValueError:
        kind = ReviewKind.GOALS
        problems.append(Problem("review-kind", "kind", "kind must be 'goals' or 'plan'.", ""))
    notes = _text(data.get("notes"), "notes", NOTES_LIMIT, problems)
    next_on = _date(data.get("next_review_on"), "next_review_on", problems, required=False)
    longest = timedelta(weeks=REVIEW_WEEKS_RANGE[1])
    if next_on is not None and held_on is not None and not held_on < next_on <= held_on + longest:
        problems.append(
            Problem(
                "review-next",
                "next_review_on",
                f"next_review_on must fall after held_on and within {REVIEW_WEEKS_RANGE[1]} weeks of it.",
                "Reviews are every 4-8 weeks; leave it out for the default.",
            )
        )
    raw_goals = data.get("goals", [])
    if not isinstance(raw_goals, list):
        problems.append(Problem("review-goals", "goals", "goals must be a list.", '[{"goal_id": 7, ...}]'))
        raw_goals = None
    if raw_goals == [] and kind is ReviewKind.GOALS:
        problems.append(Problem("review-goals", "goals", "A goal review scores at least one goal.", ""))
    decisions = [_goal_decision(g, f"goals[{i}]", held_on, problems) for i, g in enumerate(raw_goals or [])]
    seen: set[int] = set()
    for index, item in enumerate(decisions):
        if item is not None and item.goal_id in seen:
            problems.append(
                Problem("review-goal-twice", f"goals[{index}].goal_id", "This goal is listed twice.", "")
            )
        if item is not None:
            seen.add(item.goal_id)
    needs, fit = data.get("needs"), data.get("goals_fit")
    if needs is not None and (kind is not ReviewKind.PLAN or not isinstance(needs, Mapping)):
        problems.append(
            Problem("review-needs", "needs", "needs is an object, given with kind 'plan' only.", "")
        )
    if fit is not None and not isinstance(fit, bool):
        problems.append(Problem("review-fit", "goals_fit", "goals_fit must be true or false.", ""))
    if problems or held_on is None:
        return None, problems
    found = tuple(d for d in decisions if d is not None)
    return ReviewInput(held_on, kind, found, notes, next_on, needs, fit), []


def next_review_on(held_on: date, staying_cadences: Sequence[int | None]) -> date | None:
    """The default next review: ``held_on`` plus the shortest ``review_every_weeks`` among the
    goals that stay active (a goal without one counts as the default 6 weeks); None when no goal
    stays active (issue 12)."""
    if not staying_cadences:
        return None
    weeks = min(c if c else DEFAULT_REVIEW_EVERY_WEEKS for c in staying_cadences)
    return held_on + timedelta(weeks=weeks)


@dataclass(frozen=True, slots=True)
class DueGoal:
    """An active goal due for review: since when, why (``cadence`` or ``deadline``), days overdue."""

    goal_id: int
    due_on: date
    reason: str
    overdue_days: int


def due_goal(
    goal_id: int,
    start_on: date,
    cadence_weeks: int | None,
    deadline_on: date | None,
    reviewed_on: Sequence[date],
    as_of: date,
) -> DueGoal | None:
    """Whether an active goal is due for review on ``as_of`` (issue 12, "Reviews due").

    Due when its last review (or its start, never reviewed) plus its cadence (default 6 weeks) has
    come, or when its deadline has passed without a review on or after it. ``due_on`` is the
    earlier of the two; ``overdue_days`` counts from it (0 on the day). None when not due.
    """
    last = max([start_on, *reviewed_on])
    cadence_due = last + timedelta(weeks=cadence_weeks or DEFAULT_REVIEW_EVERY_WEEKS)
    candidates = [(cadence_due, "cadence")]
    if deadline_on is not None and not any(day >= deadline_on for day in reviewed_on):
        candidates.append((deadline_on, "deadline"))
    due_on, reason = min(candidates)
    if due_on > as_of:
        return None
    return DueGoal(goal_id, due_on, reason, (as_of - due_on).days)
