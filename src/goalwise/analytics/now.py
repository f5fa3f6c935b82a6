"""What "now" is for a goal: the one value every page shows as the goal's current state.

Rule (the therapist's and client's goal pages, Today, the supporter's pages and the report all
use it, so the same goal shows the same "now" everywhere):

* **weekly target** (``period="week"``): the last complete ISO week's value (Monday to Sunday, its
  Sunday on or before ``as_of``; the total for counts, else the mean of the days), which is what
  the target compares, and the week in progress separately as "so far" (its total or mean up to
  ``as_of``). A day's value is never set against a weekly target. A complete week without any
  entry has no value (absent, not zero: ``aggregate``).
* **daily target** (``period="day"``): the mean of the day values in the 7 days ending on
  ``as_of``, the value the forecast's "achieved" rule reads (``forecast``); with no entry in
  those 7 days there is no current value (older entries are history, not now).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from goalwise.analytics.aggregate import Point, daily, iso_week

__all__ = ["RECENT_DAYS", "GoalNow", "goal_now"]

RECENT_DAYS = 7


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _span(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day} to {sunday.day} {sunday:%b}"
    return f"{monday.day} {monday:%b} to {sunday.day} {sunday:%b}"


@dataclass(frozen=True, slots=True)
class GoalNow:
    """A goal's "now": ``value`` and ``label`` (what it is), and for a weekly target the week in
    progress as ``so_far`` (``None`` without entries in it, or when no week is in progress)."""

    period: Literal["day", "week"]
    value: float | None
    label: str
    so_far: float | None = None
    so_far_label: str = ""

    def so_far_text(self) -> str:
        """The week in progress in words, e.g. "9 this week so far" ("" when there is none)."""
        return "" if self.so_far is None else f"{_number(self.so_far)} {self.so_far_label}"

    def detail(self) -> str:
        """What the value is, and the week in progress ("last full week, 23 to 29 Nov; 9 so far")."""
        return f"{self.label}; {self.so_far_text()}" if self.so_far is not None else self.label

    def text(self, unit: str | None = None) -> str:
        """In words, e.g. "3 panic attacks (last full week, 23 to 29 Nov); 9 this week so far"."""
        unit_part = f" {unit}" if unit else ""
        main = f"{_number(self.value)}{unit_part} ({self.label})" if self.value is not None else self.label
        return f"{main}; {self.so_far_text()}" if self.so_far is not None else main


def goal_now(
    points: Sequence[Point],
    as_of: date,
    *,
    period: Literal["day", "week"] = "day",
    counts: bool = False,
) -> GoalNow:
    """The goal's "now" on ``as_of`` (rule in the module docstring).

    ``points`` are the entries (several a day are summed for counts, ``counts=True``, else
    averaged); only those on or before ``as_of`` count.
    """
    how: Literal["sum", "mean"] = "sum" if counts else "mean"
    days = daily([p for p in points if p.on <= as_of], how=how)
    if period == "week":
        week = iso_week(as_of)
        current_monday = week.monday
        last_monday = current_monday if week.sunday <= as_of else current_monday - timedelta(days=7)
        in_progress = week.sunday > as_of

        def combine(monday: date, end: date) -> float | None:
            values = [p.value for p in days if monday <= p.on <= end]
            if not values:
                return None
            return float(sum(values)) if counts else statistics.fmean(values)

        last = combine(last_monday, last_monday + timedelta(days=6))
        label = f"last full week, {_span(last_monday)}"
        so_far = combine(current_monday, as_of) if in_progress else None
        return GoalNow(
            "week",
            last,
            label if last is not None else f"nothing logged in the last full week, {_span(last_monday)}",
            so_far,
            "this week so far" if so_far is not None else "",
        )
    recent = [p.value for p in days if (as_of - p.on).days < RECENT_DAYS]
    if not recent:
        return GoalNow("day", None, f"nothing logged in the last {RECENT_DAYS} days")
    return GoalNow("day", statistics.fmean(recent), f"average of the last {RECENT_DAYS} days")
