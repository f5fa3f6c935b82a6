"""A coherent review history for a demo client: reviews every four weeks with GAS levels and the
decisions a careful therapist would take, so that no active goal sits silently past its deadline
and the client keeps two or three goals to work on.

Pure: it reads the generated data (``demo_data``) and returns what ``demo`` writes in bulk. Reviews
fall every 4 weeks from the start of the intervention; every third is a plan review. Every fifth
client (index 3, 8, ...) has not held the latest review yet, so the caseload shows reviews due.
At each review each open goal is scored on its default scale (``core.reviews.gas_scale``) from its
recent data, and: +2 is ``achieved``, and so is +1 from the second review on; 0 (or +1 at the
first) is ``continue``, then ``achieved`` at the deadline or the third review; -1 is ``continue``,
then ``add-steps``, and at the deadline ``adjust`` (the target eased by 40% towards the baseline, 8
more weeks) up to twice, then ``discontinue``; -2 is like -1 until the deadline or the third review,
then ``discontinue``. A deadline is decided at the last review held before it
passes (deadlines fall on review days: 12 weeks, then 8), so no active goal is past its deadline
on the last day. A closed goal is followed at the same review by a new goal on the same metric,
starting from the recent value: the next step after an achieved goal, a smaller step after a
discontinued one (a secondary goal discontinued after two adjustments is set aside instead).
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from goalwise.analytics.gas import t_score
from goalwise.core.goal import parse_draft
from goalwise.core.reviews.gas_scale import (
    RECENT_DAYS,
    GasScale,
    default_scale,
    recent_value,
    suggest_level,
)
from goalwise.core.reviews.review import next_review_on
from goalwise.services.clinic.demo_data import DemoClient

__all__ = ["DemoGoalState", "DemoHistory", "DemoReview", "DemoReviewGoal", "review_history"]

EVERY = timedelta(weeks=4)
#: A goal set at a review runs for 12 weeks, like the client's first goals.
NEW_GOAL_WEEKS = 12
#: Clients whose index has this remainder by 5 have not held their latest review yet.
LATE_EVERY, LATE_AT = 5, 3


@dataclass(frozen=True, slots=True)
class DemoReviewGoal:
    """One goal's level and decision at a demo review (``goal`` indexes ``DemoHistory.goals``)."""

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
class DemoGoalState:
    """One demo goal: its metric, its first spec, when and why it was set (None: one of the client's
    first goals), and its final status and spec with its revisions after the first (status, spec,
    reason, day)."""

    metric_key: str
    spec: dict[str, Any]
    first_spec: dict[str, Any]
    set_on: date | None = None
    set_reason: str | None = None
    status: str = "active"
    reviews: int = 0
    adjusted: int = 0
    revisions: list[tuple[str, dict[str, Any], str, date]] = field(default_factory=list)
    scale: GasScale | None = field(default=None, compare=False, repr=False)  # of ``spec``, once


@dataclass(slots=True)
class DemoHistory:
    """The reviews, and every goal: the client's first goals in order, then those set at reviews."""

    reviews: list[DemoReview]
    goals: list[DemoGoalState]


@dataclass(frozen=True, slots=True)
class _Series:
    """A goal's data as its scale reads it, in date order: daily values, or weekly totals dated by
    their Monday (a week counts once it is over); ``days`` is the recent window of a suggestion."""

    on: list[date]
    points: list[tuple[date, float]]
    days: int
    weekly: bool

    def recent(self, as_of: date) -> list[tuple[date, float]]:
        """The points a suggestion on ``as_of`` looks at (and none after it)."""
        last = as_of - timedelta(days=6) if self.weekly else as_of
        first = bisect_right(self.on, as_of - timedelta(days=self.days))
        return self.points[first : bisect_right(self.on, last)]


def _series(client: DemoClient, state: DemoGoalState) -> _Series:
    values = sorted(next(m.values for m in client.metrics if m.key == state.metric_key))
    metric = state.spec["metric"]
    if isinstance(metric, dict) and metric.get("period") == "week":
        weeks: dict[date, float] = defaultdict(float)
        for day, value in values:
            weeks[day - timedelta(days=day.weekday())] += value
        points = sorted(weeks.items())
        return _Series([m for m, _ in points], points, 21, True)
    return _Series([d for d, _ in values], values, RECENT_DAYS, False)


def _step(spec: dict[str, Any], value: float) -> float:
    """A target people would write: whole numbers for counts ("at most 3 panic attacks a week")."""
    metric = spec.get("metric") if isinstance(spec.get("metric"), dict) else {}
    return float(round(value)) if metric.get("kind") == "count" else round(value, 1)


def _eased(spec: dict[str, Any]) -> float:
    base, target = float(spec["baseline"]["value"]), float(spec["target"]["value"])
    return _step(spec, target + 0.4 * (base - target))


def _decide(state: DemoGoalState, level: int, at_deadline: bool) -> tuple[str, str]:
    if level >= 2 or (level == 1 and state.reviews >= 2):
        return "achieved", "beyond the target in the recent weeks"
    if level >= 0:
        if state.reviews >= 3 or at_deadline:
            return "achieved", "at the target in the recent weeks"
        return "continue", "at the target; keep it going"
    if level == -2 and (state.reviews >= 3 or at_deadline):
        return "discontinue", "worse than at the start; a smaller goal instead"
    if at_deadline:
        if state.adjusted >= 2:
            return "discontinue", "still short after two adjustments; set aside for now"
        return "adjust", "closer target and more time"
    return ("add-steps", "smaller steps this month") if state.reviews >= 2 else ("continue", "early days")


def _review_goal(
    series: _Series, index: int, state: DemoGoalState, held_on: date, decide_by: date, number: int
) -> tuple[DemoReviewGoal, float | None]:
    """Score and decide one goal; ``decide_by`` is the last day before the next review (or the
    demo's last day): a deadline on or before it is decided now. Also returns the recent value."""
    state.reviews += 1
    points, days = series.recent(held_on), series.days
    if state.scale is None:
        state.scale = default_scale(parse_draft(state.spec)[0])
    suggested = suggest_level(state.scale, points, held_on, days)
    level = -1 if suggested is None else suggested
    at_deadline = date.fromisoformat(state.spec["deadline_on"]) <= decide_by
    decision, why = _decide(state, level, at_deadline)
    target = deadline = None
    if decision == "adjust":
        state.adjusted += 1
        target, deadline = _eased(state.spec), held_on + timedelta(weeks=8)
        state.spec = copy.deepcopy(state.spec)
        state.spec["target"] = {**state.spec["target"], "value": target}
        state.spec["deadline_on"] = deadline.isoformat()
        state.scale = None
    state.status = {"achieved": "achieved", "discontinue": "discontinued"}.get(decision, "active")
    reason = f"review {number}: {decision}: {why}"
    state.revisions.append((state.status, state.spec, reason, held_on))
    goal = DemoReviewGoal(index, level, suggested, decision, why, target, deadline)
    return goal, recent_value(points, held_on, days)


def _follow_on(
    client: DemoClient, closed: DemoGoalState, recent: float | None, held_on: date, number: int
) -> DemoGoalState | None:
    """The goal set in place of ``closed`` (module docstring), or None: a secondary goal set aside,
    no recent data, or no room for a step (no panic attacks left to cut)."""
    spec = closed.spec
    achieved = closed.status == "achieved"
    set_aside = not achieved and closed.adjusted >= 2 and spec.get("priority") == "secondary"
    if recent is None or set_aside:
        return None
    base, old = round(recent, 1), float(spec["target"]["value"])
    if spec["direction"] == "increase":
        target = round(max(old, base) * 1.5) if achieved else _step(spec, base + 0.5 * (old - base))
        if target <= base:
            return None
    else:
        target = round(min(old, base) * 0.5) if achieved else _step(spec, base - 0.5 * (base - old))
        if target >= base or target < 0:
            return None
    root = next(g.spec["title"] for g in client.goals if g.metric_key == closed.metric_key)
    new = copy.deepcopy(spec)
    new["title"] = f"{root}: {'the next step' if achieved else 'a smaller step'}"
    new["baseline"] = {"value": base, "source": "entered"}
    new["target"] = {**spec["target"], "value": target}
    new["start_on"] = held_on.isoformat()
    new["deadline_on"] = (held_on + timedelta(weeks=NEW_GOAL_WEEKS)).isoformat()
    why = "achieved" if achieved else "discontinued"
    return DemoGoalState(
        closed.metric_key, new, new, held_on, f"review {number}: set in place of '{spec['title']}' ({why})"
    )


def _review_days(client: DemoClient, end_on: date) -> list[date]:
    found = []
    held_on = client.intervention_on + EVERY
    while held_on <= end_on:
        found.append(held_on)
        held_on += EVERY
    if found and client.index % LATE_EVERY == LATE_AT:
        found.pop()  # this month's review is not held yet: its goals are due
    return found


def review_history(client: DemoClient, end_on: date) -> DemoHistory:
    """The demo client's reviews up to ``end_on`` (module docstring)."""
    states = [DemoGoalState(g.metric_key, copy.deepcopy(g.spec), g.spec) for g in client.goals]
    found: list[DemoReview] = []
    data: dict[str, _Series] = {}  # each metric's series, read once
    days = _review_days(client, end_on)
    for at, held_on in enumerate(days):
        number = at + 1
        decide_by = days[at + 1] - timedelta(days=1) if at + 1 < len(days) else end_on
        scored = []
        for i, state in enumerate(list(states)):
            if state.status != "active":
                continue
            if state.metric_key not in data:
                data[state.metric_key] = _series(client, state)
            goal, recent = _review_goal(data[state.metric_key], i, state, held_on, decide_by, number)
            scored.append(goal)
            if state.status != "active" and (new := _follow_on(client, state, recent, held_on, number)):
                states.append(new)
        staying = [int(s.spec["review_every_weeks"]) for s in states if s.status == "active"]
        notes = f"Demo review {number}: looked at the weeks since the last review together."
        new_titles = [s.spec["title"] for s in states if s.set_on == held_on]
        if new_titles:
            notes += " New goals: " + "; ".join(new_titles) + "."
        found.append(
            DemoReview(
                number,
                "plan" if number % 3 == 0 else "goals",
                held_on,
                next_review_on(held_on, staying),
                t_score([g.gas_level for g in scored]),
                notes,
                tuple(scored),
            )
        )
    return DemoHistory(found, states)
