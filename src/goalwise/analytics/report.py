"""The progress report as values: what a report shows, gathered by a service and drawn by ``reports/``.

The report renders these values and computes nothing; the service that gathers them
(``services/progress/report.py``) decides the period, the outcome rules (CLINICAL.md §1.5, §3.3)
and which goals and instruments appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from goalwise.analytics.summary import MetricAnalysis

__all__ = [
    "GoalLine",
    "MilestoneDone",
    "ObstacleLine",
    "OutcomeLine",
    "ProgressReport",
    "ReviewLine",
    "Verdict",
]

Verdict = Literal["reliable improvement", "reliable deterioration", "no reliable change"]


@dataclass(frozen=True, slots=True)
class MilestoneDone:
    """A milestone of a goal's plan, done on ``done_on``."""

    title: str
    done_on: date | None


@dataclass(frozen=True, slots=True)
class ObstacleLine:
    """An obstacle logged on a goal, the strategy chosen, and whether it helped (None: not yet known)."""

    obstacle: str
    strategy: str
    helped: bool | None


@dataclass(frozen=True, slots=True)
class GoalLine:
    """One row of the goals table, with the goal's chart analysis when it has a logged metric."""

    title: str
    status: str
    baseline: float | None
    current: float | None
    target: float | None
    comparator: str | None
    unit: str | None
    deadline_on: date | None
    progress: float | None
    milestones_done: tuple[MilestoneDone, ...] = ()
    obstacles: tuple[ObstacleLine, ...] = ()
    analysis: MetricAnalysis | None = None
    #: What ``current`` is (``analytics.now``), e.g. "last full week, 23 to 29 Nov; 9 this week so far".
    current_label: str = ""


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    """First and latest score of a questionnaire in the period, and the reliable-change verdict."""

    instrument: str
    first: float
    first_on: date
    latest: float
    latest_on: date
    change: float
    reliable_change_points: int
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """The last review: its date, GAS T-score (Kiresuk & Sherman 1968) and notes."""

    number: int
    held_on: date
    t_score: float | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """Everything one progress report (or its one-page session summary) shows."""

    client_name: str
    period_from: date
    period_to: date
    therapists: tuple[str, ...]
    goals: tuple[GoalLine, ...]
    instruments: tuple[MetricAnalysis, ...]
    outcomes: tuple[OutcomeLine, ...]
    phq9_response: bool | None = None
    phq9_remission: bool | None = None
    pair: str | None = None
    last_review: ReviewLine | None = None
    #: (day held, GAS T-score, kind of review) of each review in the period with a T-score.
    t_scores: tuple[tuple[date, float, str], ...] = ()
    summary: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
