"""A coherent review history for a demo client: reviews every four weeks with GAS levels and the
decisions a careful therapist would take, so that no active goal sits silently past its deadline.

Pure: it reads the generated data (``demo_data``) and returns what ``demo`` writes in bulk. Reviews
fall every 4 weeks from the start of the intervention; every third is a plan review. At each review
each open goal is scored on its default scale (``core.reviews.gas_scale``) from its recent data, and:
+1 or more is ``achieved``; 0 is ``achieved`` from the second review on (``continue`` before); -1
is ``continue``, then ``add-steps``, and at the deadline ``adjust`` (the target eased by 40% towards
the baseline, 8 more weeks) up to twice, then ``discontinue``; -2 is ``continue`` once, then
``discontinue``. Deadlines fall on review days (12 weeks, then 8), so each is decided on the day.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from goalwise.analytics.gas import t_score
from goalwise.core.goal import parse_draft
from goalwise.core.reviews.gas_scale import RECENT_DAYS, default_scale, suggest_level
from goalwise.core.reviews.review import next_review_on
from goalwise.services.clinic.demo_data import DemoClient, DemoGoal

__all__ = ["DemoHistory", "DemoReview", "DemoReviewGoal", "review_history"]

EVERY = timedelta(weeks=4)


@dataclass(frozen=True, slots=True)
class DemoReviewGoal:
    """One goal's level and decision at a demo review (``goal`` indexes the client's goals)."""

    goal: int
    gas_level: int
    suggested_level: int | None
    decision: str
    reason: str
    new_target: float | None = None
    new_deadline_on: date | None = None


@dataclass(frozen=True, slots=True)
class DemoReview:
    """One demo review."""

    number: int
    kind: str
    held_on: date
    next_review_on: date | None
    t_score: float
    notes: str
    goals: tuple[DemoReviewGoal, ...]


@dataclass(slots=True)
class _Goal:
    spec: dict[str, Any]
    status: str = "active"
    reviews: int = 0
    adjusted: int = 0
    revisions: list[tuple[str, dict[str, Any], str, date]] = field(default_factory=list)


@dataclass(slots=True)
class DemoHistory:
    """The reviews, and each goal's final status and spec with its revisions after the first
    (status, spec, reason, day)."""

    reviews: list[DemoReview]
    goals: list[_Goal]


def _points(client: DemoClient, goal: DemoGoal, as_of: date) -> tuple[list[tuple[date, float]], int]:
    values = next(m.values for m in client.metrics if m.key == goal.metric_key)
    metric = goal.spec["metric"]
    if isinstance(metric, dict) and metric.get("period") == "week":
        weeks: dict[date, float] = defaultdict(float)
        for day, value in values:
            if day <= as_of:
                weeks[day - timedelta(days=day.weekday())] += value
        return [(m, v) for m, v in weeks.items() if m + timedelta(days=6) <= as_of], 21
    return [(d, v) for d, v in values if d <= as_of], RECENT_DAYS


def _eased(spec: dict[str, Any]) -> float:
    base, target = float(spec["baseline"]["value"]), float(spec["target"]["value"])
    return round(target + 0.4 * (base - target), 1)


def _decide(state: _Goal, level: int, held_on: date) -> tuple[str, str]:
    at_deadline = date.fromisoformat(state.spec["deadline_on"]) <= held_on
    if level >= 1:
        return "achieved", "beyond the target in the recent weeks"
    if level == 0:
        if state.reviews >= 2 or at_deadline:
            return "achieved", "at the target in the recent weeks"
        return "continue", "at the target; keep it going"
    if level == -2 and (state.reviews >= 2 or at_deadline):
        return "discontinue", "worse than at the start; a smaller goal instead"
    if at_deadline:
        if state.adjusted >= 2:
            return "discontinue", "still short after two adjustments; set aside for now"
        return "adjust", "closer target and more time"
    return ("add-steps", "smaller steps this month") if state.reviews >= 2 else ("continue", "early days")


def _review_goal(client: DemoClient, index: int, state: _Goal, held_on: date, number: int) -> DemoReviewGoal:
    goal = client.goals[index]
    state.reviews += 1
    points, days = _points(client, goal, held_on)
    suggested = suggest_level(default_scale(parse_draft(state.spec)[0]), points, held_on, days)
    level = -1 if suggested is None else suggested
    decision, why = _decide(state, level, held_on)
    target = deadline = None
    if decision == "adjust":
        state.adjusted += 1
        target, deadline = _eased(state.spec), held_on + timedelta(weeks=8)
        state.spec = copy.deepcopy(state.spec)
        state.spec["target"] = {**state.spec["target"], "value": target}
        state.spec["deadline_on"] = deadline.isoformat()
    state.status = {"achieved": "achieved", "discontinue": "discontinued"}.get(decision, "active")
    reason = f"review {number}: {decision}: {why}"
    state.revisions.append((state.status, state.spec, reason, held_on))
    return DemoReviewGoal(index, level, suggested, decision, why, target, deadline)


def review_history(client: DemoClient, end_on: date) -> DemoHistory:
    """The demo client's reviews up to ``end_on`` (module docstring)."""
    states = [_Goal(copy.deepcopy(g.spec)) for g in client.goals]
    found: list[DemoReview] = []
    held_on = client.intervention_on + EVERY
    while held_on <= end_on and any(s.status == "active" for s in states):
        number = len(found) + 1
        scored = tuple(
            _review_goal(client, i, s, held_on, number) for i, s in enumerate(states) if s.status == "active"
        )
        staying = [int(s.spec["review_every_weeks"]) for s in states if s.status == "active"]
        found.append(
            DemoReview(
                number,
                "plan" if number % 3 == 0 else "goals",
                held_on,
                next_review_on(held_on, staying),
                t_score([g.gas_level for g in scored]),
                f"Demo review {number}: looked at the weeks since the last review together.",
                scored,
            )
        )
        held_on += EVERY
    return DemoHistory(found, states)
