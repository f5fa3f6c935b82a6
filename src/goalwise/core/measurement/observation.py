"""Observations: one recorded value of one metric at one moment.

An observation keeps the UTC instant it happened (``at``) and the client's local calendar day
(``on``), computed from the client's time zone, so that "today" and "this week" mean what the
client means. Values are checked against the metric's kind before anything is stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from goalwise.core.errors import Problem

__all__ = [
    "FUTURE_TOLERANCE",
    "OBSERVATION_KINDS",
    "VALUE_MAX",
    "Observation",
    "local_day",
    "validate_value",
]

#: Kinds a value can have; they mirror the metric kinds of a SMART goal.
OBSERVATION_KINDS = ("count", "duration", "rating", "proportion", "checklist", "instrument")

#: A phone whose clock runs a little ahead may stamp "now" slightly in the future; more than a
#: day ahead is a typing mistake.
FUTURE_TOLERANCE = timedelta(days=1)

#: The largest value any metric holds (a count, minutes, steps); a larger one is a typing accident.
VALUE_MAX = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Observation:
    """A stored value. ``denominator`` is set for proportions (``value`` of ``denominator``)."""

    id: int
    client_id: int
    metric_id: int
    at: datetime
    on: date
    value: float
    denominator: float | None = None


def local_day(at: datetime, timezone: str) -> date:
    """The calendar day of the UTC instant ``at`` in the client's time zone."""
    if at.tzinfo is None:
        raise ValueError("observation times must carry a time zone")
    return at.astimezone(ZoneInfo(timezone)).date()


def _num(value: object) -> float | None:
    # Booleans are ints to Python but never a measurement; NaN and infinity are not values either.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def validate_value(
    kind: str,
    value: object,
    *,
    field: str = "value",
    label: str = "The value",
    scale_min: float | None = None,
    scale_max: float | None = None,
    denominator: object = None,
    at: datetime | None = None,
    now: datetime | None = None,
    unit: str | None = None,
) -> list[Problem]:
    """Every problem with one value for a metric of ``kind``.

    Counts are whole numbers of 0 or more; durations are 0 or more, up to ``scale_max`` when
    given (the hours or minutes the period holds); ratings lie on
    the metric's scale; proportions are ``value`` successes of ``denominator`` trials;
    checklists are 0 or 1. ``at`` may not lie more than a day after ``now``.
    """
    problems: list[Problem] = []
    if kind not in OBSERVATION_KINDS:
        return [
            Problem(
                "observation-kind",
                "kind",
                f"Metric kind {kind!r} is unknown.",
                f"Use one of {', '.join(OBSERVATION_KINDS)}.",
            )
        ]
    number = _num(value)
    if number is None:
        problems.append(Problem("observation-number", field, f"{label} is not a number.", "Enter a number."))
    elif abs(number) > VALUE_MAX:
        problems.append(
            Problem(
                "observation-too-large",
                field,
                f"{label} is {number:.3g}; values run up to {VALUE_MAX:,}.",
                "Check the number; it may have extra digits.",
            )
        )
    elif kind == "count" and (number < 0 or number != int(number)):
        problems.append(
            Problem(
                "observation-count",
                field,
                f"{label} is {value}; a count is a whole number of 0 or more.",
                "Enter how many times, e.g. 3.",
            )
        )
    elif kind == "duration" and number < 0:
        problems.append(
            Problem(
                "observation-duration",
                field,
                f"{label} is {value}; a duration cannot be negative.",
                "Enter the minutes it lasted, 0 or more.",
            )
        )
    elif kind == "duration" and scale_max is not None and number > scale_max:
        # A duration's scale_max is the most the period holds (hours of sleep end at 24).
        units = f" {unit}" if unit else ""
        problems.append(
            Problem(
                "observation-scale",
                field,
                f"{label} is {number:g}{units}; it runs from 0 to {scale_max:g}{units}.",
                f"Enter a value from 0 to {scale_max:g}.",
            )
        )
    elif (
        kind in ("rating", "instrument")
        and scale_min is not None
        and scale_max is not None
        and not (scale_min <= number <= scale_max)
    ):
        problems.append(
            Problem(
                "observation-scale",
                field,
                f"{label} is {value:g}; it runs from {scale_min:g} to {scale_max:g}.",
                f"Enter a value between {scale_min:g} and {scale_max:g}.",
            )
        )
    elif kind == "checklist" and number not in (0.0, 1.0):
        problems.append(
            Problem(
                "observation-checklist",
                field,
                f"{label} is {value}; a checklist item is 0 or 1.",
                "Enter 1 for done or 0 for not done.",
            )
        )
    elif kind == "proportion":
        problems.extend(_proportion_problems(number, denominator, field, label))
    if at is not None and now is not None and at - now > FUTURE_TOLERANCE:
        problems.append(
            Problem(
                "observation-future",
                "at",
                "The time is more than a day in the future.",
                "Check the date; enter the time it happened.",
            )
        )
    return problems


def _proportion_problems(number: float, denominator: object, field: str, label: str) -> list[Problem]:
    den = _num(denominator)
    if den is None or den <= 0 or den != int(den):
        return [
            Problem(
                "observation-denominator",
                "denominator",
                "A proportion needs how many times in all (a whole number above 0).",
                "Enter, e.g., 4 of 5: value 4 and denominator 5.",
            )
        ]
    if number < 0 or number != int(number) or number > den:
        return [
            Problem(
                "observation-proportion",
                field,
                f"{label} is {number:g} of {den:g}.",
                f"Enter a whole number from 0 to {den:g}.",
            )
        ]
    return []
