"""The plan review (every 3-6 months): what changed in the needs assessment, and whether the set of
active goals still fits the method's 2-3 (issue 12, "Re-evaluation every 3-6 months")."""

from __future__ import annotations

from typing import Any

from goalwise.core.need import NeedsAssessment

__all__ = ["ACTIVE_GOALS_RANGE", "compare_needs", "goal_set_question"]

#: The work concentrates on two or three goals at a time (issue 3).
ACTIVE_GOALS_RANGE = (2, 3)


def _key(area: str, label: str) -> str:
    return f"{area}:{label}" if label else area


def compare_needs(before: NeedsAssessment | None, after: NeedsAssessment) -> dict[str, Any]:
    """Each concern's impact and priority, and each need's rating, before and after (None when the
    earlier assessment lacked it or there is none); ``change`` is the rating's difference."""
    old = {} if before is None else {_key(c.area.value, c.label): c for c in before.concerns}
    new = {_key(c.area.value, c.label): c for c in after.concerns}
    concerns = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        pick = b or a
        assert pick is not None
        concerns.append(
            {
                "area": pick.area.value,
                "label": pick.label,
                "before": None if a is None else {"impact": a.impact.value, "priority": a.priority},
                "after": None if b is None else {"impact": b.impact.value, "priority": b.priority},
            }
        )
    old_needs = {} if before is None else {r.need.value: r.met for r in before.needs}
    new_needs = {r.need.value: r.met for r in after.needs}
    needs = []
    for need in sorted(set(old_needs) | set(new_needs)):
        x, y = old_needs.get(need), new_needs.get(need)
        needs.append(
            {"need": need, "before": x, "after": y, "change": None if x is None or y is None else y - x}
        )
    return {"concerns": concerns, "needs": needs}


def goal_set_question(active_goals: int) -> str:
    """The question a plan review asks about the client's active goals."""
    low, high = ACTIVE_GOALS_RANGE
    if active_goals < low:
        return f"{active_goals} active goal(s): is there a need the plan does not yet work on?"
    if active_goals > high:
        return f"{active_goals} active goals: which {high} matter most now, and can the others wait?"
    return f"{active_goals} active goals: do they still serve the concerns and needs above?"
