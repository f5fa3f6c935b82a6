"""The goal status lifecycle as a table, and its mapping to FHIR Goal statuses.

::

    proposed ──> active ──> achieved        (terminal)
       │          │ ▲  ──> revised         (terminal: superseded by a new goal)
       │          ▼ │  ──> discontinued    (terminal)
       │        on_hold ──> discontinued
       └──────────────────> discontinued

Decisions recorded here because the issue leaves them open:

* Editing a goal never changes its status: every edit writes a new revision of the same goal
  (who, when, what, why). ``revised`` is different: the goal was **superseded** by a new goal
  (for example a new target agreed at a review) that links back to it. The old goal stops
  there, so ``revised`` is terminal, like ``achieved`` and ``discontinued``.
* A goal becomes ``active`` only when the SMART check finds no errors
  (:func:`transition_problems` with ``smart_problems``).

FHIR (CLINICAL.md §6.1; hl7.org/fhir/R4/valueset-goal-status.html): ``lifecycleStatus`` is
proposed, active, on-hold, completed (achieved) or cancelled (revised and discontinued, with a
``statusReason`` saying which; entered-in-error is for records made by mistake, which neither
is). ``achievementStatus`` uses http://terminology.hl7.org/CodeSystem/goal-achievement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from goalwise.core.errors import InvalidInput, Problem

__all__ = [
    "ACHIEVEMENT_CODES",
    "ACHIEVEMENT_SYSTEM",
    "FHIR_LIFECYCLE",
    "FHIR_STATUS_REASON",
    "TERMINAL",
    "TRANSITIONS",
    "GoalStatus",
    "can_transition",
    "fhir_achievement",
    "parse_status",
    "transition_problems",
]


class GoalStatus(StrEnum):
    """Where a goal is in its life."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    ACHIEVED = "achieved"
    REVISED = "revised"
    DISCONTINUED = "discontinued"


_S = GoalStatus

#: Allowed next statuses; a status missing from a set may not follow.
TRANSITIONS: Mapping[GoalStatus, frozenset[GoalStatus]] = MappingProxyType(
    {
        _S.PROPOSED: frozenset({_S.ACTIVE, _S.DISCONTINUED}),
        _S.ACTIVE: frozenset({_S.ON_HOLD, _S.ACHIEVED, _S.REVISED, _S.DISCONTINUED}),
        _S.ON_HOLD: frozenset({_S.ACTIVE, _S.DISCONTINUED}),
        _S.ACHIEVED: frozenset(),
        _S.REVISED: frozenset(),
        _S.DISCONTINUED: frozenset(),
    }
)

TERMINAL: frozenset[GoalStatus] = frozenset(status for status, nexts in TRANSITIONS.items() if not nexts)

#: Goal.lifecycleStatus (http://hl7.org/fhir/goal-status).
FHIR_LIFECYCLE: Mapping[GoalStatus, str] = MappingProxyType(
    {
        _S.PROPOSED: "proposed",
        _S.ACTIVE: "active",
        _S.ON_HOLD: "on-hold",
        _S.ACHIEVED: "completed",
        _S.REVISED: "cancelled",
        _S.DISCONTINUED: "cancelled",
    }
)

#: Goal.statusReason text for the statuses FHIR folds together.
FHIR_STATUS_REASON: Mapping[GoalStatus, str] = MappingProxyType(
    {_S.REVISED: "Revised: replaced by a new version of the goal", _S.DISCONTINUED: "Discontinued"}
)

ACHIEVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-achievement"

#: The nine goal-achievement codes and their displays (CLINICAL.md §6.1).
ACHIEVEMENT_CODES: Mapping[str, str] = MappingProxyType(
    {
        "in-progress": "In Progress",
        "improving": "Improving",
        "worsening": "Worsening",
        "no-change": "No Change",
        "achieved": "Achieved",
        "sustaining": "Sustaining",
        "not-achieved": "Not Achieved",
        "no-progress": "No Progress",
        "not-attainable": "Not Attainable",
    }
)

# Which achievement codes make sense in which status, the first being the default.
_ACHIEVEMENT_BY_STATUS: Mapping[GoalStatus, tuple[str, ...]] = MappingProxyType(
    {
        _S.PROPOSED: (),
        _S.ACTIVE: ("in-progress", "improving", "worsening", "no-change", "no-progress", "sustaining"),
        _S.ON_HOLD: ("in-progress", "improving", "worsening", "no-change", "no-progress", "sustaining"),
        _S.ACHIEVED: ("achieved", "sustaining"),
        _S.REVISED: (),
        _S.DISCONTINUED: ("not-achieved", "not-attainable"),
    }
)

_STATUS_NAMES = ", ".join(status.value for status in GoalStatus)


def parse_status(value: object) -> GoalStatus | None:
    """The status named by ``value`` ('on_hold' and FHIR's 'on-hold' both work), or None."""
    if isinstance(value, GoalStatus):
        return value
    if isinstance(value, str):
        try:
            return GoalStatus(value.strip().lower().replace("-", "_"))
        except ValueError:
            return None
    return None


def can_transition(current: GoalStatus | str, new: GoalStatus | str) -> bool:
    """True when :data:`TRANSITIONS` allows going from ``current`` to ``new``."""
    a, b = parse_status(current), parse_status(new)
    return a is not None and b is not None and b in TRANSITIONS[a]


def transition_problems(
    current: GoalStatus | str, new: GoalStatus | str, smart_problems: Iterable[Problem] = ()
) -> list[Problem]:
    """Why the status may not change from ``current`` to ``new``; empty when it may.

    Activation also needs a draft without SMART errors: pass the result of
    ``core.smart.check_goal`` as ``smart_problems``.
    """
    problems: list[Problem] = []
    a, b = parse_status(current), parse_status(new)
    for field, given, parsed in (("status", current, a), ("new_status", new, b)):
        if parsed is None:
            problems.append(
                Problem(
                    "status-unknown", field, f"Status '{given}' is unknown.", f"Use one of {_STATUS_NAMES}."
                )
            )
    if a is None or b is None:
        return problems
    if b not in TRANSITIONS[a]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[a]))
        hint = (
            f"From {a} the goal can go to {allowed}."
            if allowed
            else f"{a} is final; start a new goal instead."
        )
        problems.append(
            Problem("status-not-allowed", "new_status", f"A goal cannot go from {a} to {b}.", hint)
        )
    if b is _S.ACTIVE:
        errors = [p for p in smart_problems if p.severity == "error"]
        if errors:
            codes = ", ".join(p.code for p in errors)
            problems.append(
                Problem(
                    "status-smart-errors",
                    "new_status",
                    f"The goal cannot be activated while the SMART check finds errors ({codes}).",
                    "Fix the errors the SMART check lists, then activate the goal.",
                )
            )
    return problems


def fhir_achievement(status: GoalStatus | str, progress: str | None = None) -> dict[str, object] | None:
    """Goal.achievementStatus for a goal in ``status``, or None when FHIR should leave it out.

    ``progress`` is a goal-achievement code the caller computed from the data (e.g.
    "improving"); when it does not fit the status, the status's default is used: in-progress
    while active or on hold, achieved when achieved, not-achieved when discontinued. A
    proposed or revised goal has no achievement status. Codes: CLINICAL.md §6.1.
    """
    parsed = parse_status(status)
    if parsed is None:
        problem = Problem(
            "status-unknown", "status", f"Status '{status}' is unknown.", f"Use one of {_STATUS_NAMES}."
        )
        raise InvalidInput([problem])
    if progress is not None and progress not in ACHIEVEMENT_CODES:
        known = ", ".join(ACHIEVEMENT_CODES)
        message = f"'{progress}' is not a goal-achievement code."
        problem = Problem("achievement-unknown", "progress", message, f"Use one of {known}.")
        raise InvalidInput([problem])
    allowed = _ACHIEVEMENT_BY_STATUS[parsed]
    if not allowed:
        return None
    code = progress if progress in allowed else allowed[0]
    coding = {"system": ACHIEVEMENT_SYSTEM, "code": code, "display": ACHIEVEMENT_CODES[code]}
    return {"coding": [coding]}
