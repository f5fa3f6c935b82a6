"""Small wins, phrased kindly, and setbacks met with a normalising word rather than an alarm.

Noticing small, concrete progress sustains motivation (the "progress principle", Amabile & Kramer
2011, *The Progress Principle*); treating a lapse as a normal part of change rather than a failure
keeps people going (Marlatt & Gordon 1985, relapse prevention; issue 5, "Sudden gains and small
wins"). These functions only find the moments; they never judge risk: safety rules (CLINICAL.md
§1.3) live elsewhere and always take precedence over any message here.

Rules:

* **streak**: consecutive local days with a log, ending today (``as_of``) or, if today has no log
  yet, yesterday, so that a streak is not "broken" in the morning before the client has logged.
  Reported from 3 days.
* **personal best**: the most recent entry that is better than every earlier entry (with at least
  3 earlier entries, so the first few entries are not all "bests"), if it falls within the last
  7 days.
* **first met week**: the first complete week (its Sunday on or before ``as_of``) whose target was
  met, while it is news: only until the end of the week after it (``as_of`` at most 7 days after
  that week's Sunday). A first met week a year ago is history, not a win to announce today.
* **milestone**: each completed step or milestone passed in.
* **setback**: the latest complete week missed the target after at least 2 met weeks straight
  before it. Kind ``setback``, tone ``normalising``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from goalwise.analytics.aggregate import IsoWeek, Point

__all__ = [
    "MIN_STREAK",
    "Milestone",
    "Tone",
    "Win",
    "WinKind",
    "first_met_week",
    "logging_streak",
    "milestone_wins",
    "personal_best",
    "setback",
    "small_wins",
    "streak_win",
]

WinKind = Literal["streak", "personal_best", "first_week_met", "milestone", "setback"]
Tone = Literal["celebrating", "normalising"]

MIN_STREAK = 3
_PERSONAL_BEST_HISTORY = 3
_RECENT_DAYS = 7
_GOOD_WEEKS_BEFORE_SETBACK = 2
#: A first met week is news through the week after it: up to 7 days after its Sunday.
_FIRST_MET_NEWS_DAYS = 7


@dataclass(frozen=True, slots=True)
class Win:
    """A moment worth noticing: ``kind``, a kind ``message`` for the client, the day it happened."""

    kind: WinKind
    message: str
    on: date
    tone: Tone = "celebrating"


@dataclass(frozen=True, slots=True)
class Milestone:
    """A completed step of an action plan or a goal milestone, by its short name."""

    name: str
    completed_on: date


def logging_streak(logged_days: Iterable[date], as_of: date) -> int:
    """Consecutive local days with a log ending on ``as_of``, or on the day before if today has none."""
    days = {d for d in logged_days if d <= as_of}
    day = as_of if as_of in days else as_of - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def streak_win(logged_days: Iterable[date], as_of: date, min_streak: int = MIN_STREAK) -> Win | None:
    """A win for a logging streak of at least ``min_streak`` days, dated on its last day."""
    days = set(logged_days)
    streak = logging_streak(days, as_of)
    if streak < min_streak:
        return None
    last = as_of if as_of in days else as_of - timedelta(days=1)
    return Win(
        "streak", f"You've logged {streak} days in a row. Showing up is what builds the picture.", last
    )


def personal_best(
    points: Sequence[Point], higher_is_better: bool, as_of: date, label: str = "this measure"
) -> Win | None:
    """A win when a recent entry beats every earlier one (rule in the module docstring)."""
    items = sorted((p for p in points if p.on <= as_of), key=lambda p: p.on)
    if len(items) <= _PERSONAL_BEST_HISTORY:
        return None
    best_point: Point | None = None
    record = items[0].value
    for index, point in enumerate(items[1:], start=1):
        better = point.value > record if higher_is_better else point.value < record
        if better and index >= _PERSONAL_BEST_HISTORY:
            best_point = point
        if better:
            record = point.value
    if best_point is None or (as_of - best_point.on).days >= _RECENT_DAYS:
        return None
    return Win("personal_best", f"A personal best for {label}: your best entry so far.", best_point.on)


def first_met_week(weekly_met: Iterable[tuple[IsoWeek, bool]], as_of: date) -> Win | None:
    """A win for the first complete week that met its target, dated on that week's Sunday.

    Only while it is news: up to the end of the following week (rule in the module docstring).
    """
    for week, met in sorted(weekly_met):
        if week.sunday > as_of:
            break
        if met:
            if (as_of - week.sunday).days > _FIRST_MET_NEWS_DAYS:
                return None
            return Win(
                "first_week_met", "You met your weekly target for the first time. That counts.", week.sunday
            )
    return None


def milestone_wins(milestones: Iterable[Milestone], as_of: date) -> list[Win]:
    """A win per milestone completed on or before ``as_of``, oldest first."""
    return [
        Win("milestone", f"Step completed: {m.name}. Well done.", m.completed_on)
        for m in sorted(milestones, key=lambda m: m.completed_on)
        if m.completed_on <= as_of
    ]


def setback(weekly_met: Iterable[tuple[IsoWeek, bool]], as_of: date) -> Win | None:
    """A normalising note when the latest complete week missed after at least 2 met weeks.

    Never an alarm: the message reminds that progress isn't linear and points to the trend.
    """
    complete = [(week, met) for week, met in sorted(weekly_met) if week.sunday <= as_of]
    if len(complete) <= _GOOD_WEEKS_BEFORE_SETBACK or complete[-1][1]:
        return None
    good_before = 0
    for _, met in reversed(complete[:-1]):
        if not met:
            break
        good_before += 1
    if good_before < _GOOD_WEEKS_BEFORE_SETBACK:
        return None
    message = (
        f"Progress isn't linear; look at the trend over several weeks, not one. You met your target "
        f"{good_before} weeks running before this one, and a harder week is part of how change usually goes."
    )
    return Win("setback", message, complete[-1][0].sunday, tone="normalising")


def small_wins(
    as_of: date,
    *,
    logged_days: Iterable[date] = (),
    weekly_met: Sequence[tuple[IsoWeek, bool]] = (),
    points: Sequence[Point] = (),
    higher_is_better: bool = True,
    label: str = "this measure",
    milestones: Iterable[Milestone] = (),
    since_on: date | None = None,
) -> list[Win]:
    """Every win (and setback note) up to ``as_of``, oldest first; only those on or after ``since_on``."""
    found: list[Win | None] = [
        streak_win(logged_days, as_of),
        personal_best(points, higher_is_better, as_of, label),
        first_met_week(weekly_met, as_of),
        setback(weekly_met, as_of),
    ]
    wins = [w for w in found if w is not None] + milestone_wins(milestones, as_of)
    if since_on is not None:
        wins = [w for w in wins if w.on >= since_on]
    return sorted(wins, key=lambda w: (w.on, w.kind))
