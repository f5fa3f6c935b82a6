"""Phases of care: a baseline, then named intervention phases, used by charts and analytics.

The method asks for a 2-3 week baseline before change is attempted, so a baseline runs
14 days by default and 7-21 days are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from goalwise.core.errors import Problem
from goalwise.core.text.characters import bad_characters_problem

__all__ = [
    "BASELINE_DAYS_DEFAULT",
    "BASELINE_DAYS_MAX",
    "BASELINE_DAYS_MIN",
    "Phase",
    "PhaseKind",
    "phase_on",
    "validate_phase",
]

PhaseKind = Literal["baseline", "intervention"]
BASELINE_DAYS_DEFAULT = 14
BASELINE_DAYS_MIN = 7
BASELINE_DAYS_MAX = 21


@dataclass(frozen=True, slots=True)
class Phase:
    """A stretch of care that starts on ``start_on``; it ends when the next phase starts."""

    id: int
    client_id: int
    kind: PhaseKind
    name: str
    start_on: date
    planned_days: int | None = None


def validate_phase(kind: str, name: str, planned_days: int | None) -> list[Problem]:
    """Problems with a new phase: its kind, its name, and a baseline's planned length."""
    problems: list[Problem] = []
    if kind not in ("baseline", "intervention"):
        problems.append(
            Problem("phase-kind", "kind", f"Phase kind {kind!r} is unknown.", "Use baseline or intervention.")
        )
    if not name.strip():
        problems.append(
            Problem("phase-name", "name", "The phase has no name.", 'Name it, e.g. "CBT module 1".')
        )
    elif (bad := bad_characters_problem("name", name)) is not None:
        problems.append(bad)
    if (
        kind == "baseline"
        and planned_days is not None
        and not (BASELINE_DAYS_MIN <= planned_days <= BASELINE_DAYS_MAX)
    ):
        problems.append(
            Problem(
                "phase-baseline-days",
                "baseline_days",
                f"A baseline of {planned_days} days is outside {BASELINE_DAYS_MIN}-{BASELINE_DAYS_MAX} days.",
                f"Use {BASELINE_DAYS_DEFAULT} days (2 weeks) unless there is a reason for 1 or 3 weeks.",
            )
        )
    return problems


def phase_on(phases: list[Phase], day: date) -> Phase | None:
    """The phase in force on ``day``: the latest one that started on or before it."""
    current: Phase | None = None
    for phase in sorted(phases, key=lambda p: p.start_on):
        if phase.start_on <= day:
            current = phase
    return current
