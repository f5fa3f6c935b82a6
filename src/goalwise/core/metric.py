"""Metrics: what a SMART goal counts, and the scale its values live on.

A goal's metric says how progress is measured (issue 3, "Goal model"):

============  ===========================================================  ===============
kind          value of one period                                          scale
============  ===========================================================  ===============
count         how many times per ``period`` (day or week), ``unit`` names   0 .. (open)
              what is counted ("panic attacks")
duration      minutes per ``period`` (day or week); ``unit`` is "minutes"   0 .. minutes in
                                                                            the period
rating        a rating on ``scale_min`` .. ``scale_max`` (e.g. 0-10)        the scale
proportion    percent (0-100) of events that meet a criterion, e.g.         0 .. 100
              conversations of 5 minutes or more out of all encounters
checklist     days per week the item was done (done or not each day)        0 .. 7
instrument    total score of a standardized instrument (``instrument``)     the instrument
============  ===========================================================  ===============

Decisions recorded here because the issue leaves them open:

* Proportions are **percent, 0-100**, so "80% of encounters" is the target 80. A target
  strictly between 0 and 1 is almost always a fraction typed by mistake; the SMART check
  warns about it (``M-proportion-as-fraction``).
* A checklist is recorded 0/1 per day (see ``core/measurement/observation.py``) and summarised as the
  number of days done in a week, 0-7; a proportion of days is expressed with the
  ``proportion`` kind instead.
* Durations are minutes, matching how observations are stored; "7 hours of sleep" is 420.

Instrument ranges are kept in a small local table (:data:`INSTRUMENT_RANGES`), taken from
CLINICAL.md §1.2 (PHQ-9 0-27), §2.1 (GAD-7 0-21), §2.2 (PHQ-2, GAD-2 0-6), §2.3
(HAM-D-17 0-52) and §2.4 (WHO-5 raw 0-25, PCL-5 0-80), so this module does not depend on the
instrument definitions in ``core/instruments``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from goalwise.core.errors import Problem
from goalwise.core.measurement.observation import VALUE_MAX

__all__ = [
    "DURATION_UNITS",
    "INSTRUMENT_NAMES",
    "INSTRUMENT_RANGES",
    "METRIC_KINDS",
    "MINUTES_PER_PERIOD",
    "M_DURATION_UNIT",
    "M_NO_INSTRUMENT",
    "M_NO_PERIOD",
    "M_NO_SCALE",
    "M_NO_UNIT",
    "M_SCALE_ORDER",
    "M_UNKNOWN_INSTRUMENT",
    "MetricKind",
    "MetricSpec",
    "Period",
    "describe",
    "metric_problems",
    "off_scale_problem",
    "smallest_step",
    "value_range",
    "value_unit",
]


class MetricKind(StrEnum):
    """How a goal's progress is measured."""

    COUNT = "count"
    DURATION = "duration"
    RATING = "rating"
    PROPORTION = "proportion"
    CHECKLIST = "checklist"
    INSTRUMENT = "instrument"


class Period(StrEnum):
    """The period a count or duration is summed over."""

    DAY = "day"
    WEEK = "week"


METRIC_KINDS: tuple[str, ...] = tuple(kind.value for kind in MetricKind)

#: Total score ranges (low, high); sources in the module docstring.
INSTRUMENT_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "phq9": (0, 27),
        "gad7": (0, 21),
        "phq2": (0, 6),
        "gad2": (0, 6),
        "hamd17": (0, 52),
        "who5": (0, 25),
        "pcl5": (0, 80),
    }
)

#: Display names used in messages.
INSTRUMENT_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "phq9": "PHQ-9",
        "gad7": "GAD-7",
        "phq2": "PHQ-2",
        "gad2": "GAD-2",
        "hamd17": "HAM-D-17",
        "who5": "WHO-5",
        "pcl5": "PCL-5",
    }
)

#: Spellings accepted for the duration unit; all mean minutes.
DURATION_UNITS: frozenset[str] = frozenset({"minutes", "minute", "min", "mins"})

MINUTES_PER_PERIOD: Mapping[Period, int] = MappingProxyType({Period.DAY: 24 * 60, Period.WEEK: 7 * 24 * 60})

M_NO_UNIT = "M-no-unit"
M_NO_PERIOD = "M-no-period"
M_NO_SCALE = "M-no-scale"
M_SCALE_ORDER = "M-scale-order"
M_NO_INSTRUMENT = "M-no-instrument"
M_UNKNOWN_INSTRUMENT = "M-unknown-instrument"
M_DURATION_UNIT = "M-duration-unit"

# Changes at or below one step are never "steep": a single extra walk or one scale point is
# the smallest change a person can make (used by the A rule in core/smart.py).
_SMALLEST_STEP: Mapping[MetricKind, float] = MappingProxyType(
    {
        MetricKind.COUNT: 1.0,
        MetricKind.DURATION: 10.0,
        MetricKind.RATING: 1.0,
        MetricKind.PROPORTION: 10.0,
        MetricKind.CHECKLIST: 1.0,
        MetricKind.INSTRUMENT: 1.0,
    }
)


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """What a goal measures; see the module docstring for the meaning of each kind."""

    kind: MetricKind
    unit: str | None = None
    period: Period | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    instrument: str | None = None

    @property
    def bounded(self) -> bool:
        """True for kinds whose values lie on a closed scale (rating, proportion, checklist, instrument)."""
        return self.kind not in (MetricKind.COUNT, MetricKind.DURATION)

    def bounds(self) -> tuple[float, float | None] | None:
        """``(low, high)`` of valid values; ``high`` is None when open; None when not yet known."""
        if self.kind is MetricKind.COUNT:
            return (0.0, None)
        if self.kind is MetricKind.DURATION:
            return (0.0, None if self.period is None else float(MINUTES_PER_PERIOD[self.period]))
        if self.kind is MetricKind.PROPORTION:
            return (0.0, 100.0)
        if self.kind is MetricKind.CHECKLIST:
            return (0.0, 7.0)
        if self.kind is MetricKind.RATING:
            if self.scale_min is None or self.scale_max is None or self.scale_min >= self.scale_max:
                return None
            return (self.scale_min, self.scale_max)
        known = INSTRUMENT_RANGES.get(self.instrument or "")
        return None if known is None else (float(known[0]), float(known[1]))


def value_range(kind: object, scale_min: float | None, scale_max: float | None) -> tuple[float, float] | None:
    """The range a metric's values lie in, for clipping a projection: its stored scale when both
    ends are set, 0-100 for a proportion (a percentage, see the table above), else None."""
    if scale_min is not None and scale_max is not None:
        return (float(scale_min), float(scale_max))
    if kind == MetricKind.PROPORTION.value:
        return (0.0, 100.0)
    return None


def value_unit(kind: object, unit: object) -> str | None:
    """The words written after a goal's value or target: the metric's unit, or for a proportion,
    whose values are percentages (0-100, see the table above), "% of" its unit: "75 % of
    conversations", never "75 conversations". None when there is nothing to write."""
    text = unit.strip() if isinstance(unit, str) and unit.strip() else None
    if kind != MetricKind.PROPORTION.value:
        return text
    if text is None or text.startswith("%"):
        return text or "%"
    # A unit already worded for a percentage ("of social encounters with ...") takes only the sign.
    return f"% {text}" if text.startswith("of ") else f"% of {text}"


def describe(metric: MetricSpec) -> str:
    """A short human label, e.g. "panic attacks per week" or "PHQ-9 total (0-27)"."""
    if metric.kind is MetricKind.COUNT:
        return f"{metric.unit or 'times'} per {metric.period or 'period'}"
    if metric.kind is MetricKind.DURATION:
        return f"minutes per {metric.period or 'period'}"
    if metric.kind is MetricKind.PROPORTION:
        return f"% {metric.unit}" if metric.unit else "%"
    if metric.kind is MetricKind.CHECKLIST:
        return "days per week"
    bounds = metric.bounds()
    scale = "" if bounds is None or bounds[1] is None else f" ({bounds[0]:g}-{bounds[1]:g})"
    if metric.kind is MetricKind.RATING:
        return f"rating{scale}"
    name = INSTRUMENT_NAMES.get(metric.instrument or "", metric.instrument or "instrument")
    return f"{name} total{scale}"


def smallest_step(metric: MetricSpec) -> float:
    """The smallest meaningful change on this metric (one event, one point, 10 minutes, 10 points of %)."""
    return _SMALLEST_STEP[metric.kind]


def metric_problems(metric: MetricSpec, field: str = "metric") -> list[Problem]:
    """Every problem with the metric itself (unit, period, scale, instrument), before any value is judged."""
    problems: list[Problem] = []
    if metric.kind in (MetricKind.COUNT, MetricKind.DURATION) and metric.period is None:
        problems.append(
            Problem(
                M_NO_PERIOD,
                f"{field}.period",
                f"A {metric.kind} needs a period; metric.period is missing.",
                "Set metric.period to 'day' or 'week', e.g. panic attacks per week.",
            )
        )
    if metric.kind is MetricKind.COUNT and not (metric.unit or "").strip():
        problems.append(
            Problem(
                M_NO_UNIT,
                f"{field}.unit",
                "A count needs a unit: what exactly is counted.",
                "Name the thing counted, e.g. metric.unit 'panic attacks' or 'conversations of 5 minutes'.",
            )
        )
    if metric.kind is MetricKind.DURATION:
        problems.extend(_duration_unit_problems(metric, field))
    if metric.kind is MetricKind.RATING:
        problems.extend(_rating_scale_problems(metric, field))
    if metric.kind is MetricKind.INSTRUMENT:
        problems.extend(_instrument_problems(metric, field))
    return problems


def _duration_unit_problems(metric: MetricSpec, field: str) -> list[Problem]:
    unit = (metric.unit or "").strip().lower()
    if not unit:
        return [
            Problem(
                M_NO_UNIT,
                f"{field}.unit",
                "A duration needs its unit; metric.unit is missing.",
                "Set metric.unit to 'minutes', e.g. 10 minutes of mindfulness per day.",
            )
        ]
    if unit not in DURATION_UNITS:
        return [
            Problem(
                M_DURATION_UNIT,
                f"{field}.unit",
                f"metric.unit '{metric.unit}' is not a duration unit; durations are counted in minutes.",
                "Set metric.unit to 'minutes' and give values in minutes (7 hours is 420).",
            )
        ]
    return []


def _rating_scale_problems(metric: MetricSpec, field: str) -> list[Problem]:
    if metric.scale_min is None or metric.scale_max is None:
        missing = "scale_min" if metric.scale_min is None else "scale_max"
        return [
            Problem(
                M_NO_SCALE,
                f"{field}.{missing}",
                f"A rating needs its scale; metric.{missing} is missing.",
                "Give both ends of the scale, e.g. scale_min 0 and scale_max 10.",
            )
        ]
    if metric.scale_min >= metric.scale_max:
        return [
            Problem(
                M_SCALE_ORDER,
                f"{field}.scale_max",
                f"metric.scale_max ({metric.scale_max:g}) must be above scale_min ({metric.scale_min:g}).",
                "Swap the two ends, e.g. scale_min 0 and scale_max 10.",
            )
        ]
    return []


def _instrument_problems(metric: MetricSpec, field: str) -> list[Problem]:
    known = ", ".join(sorted(INSTRUMENT_RANGES))
    if not metric.instrument:
        return [
            Problem(
                M_NO_INSTRUMENT,
                f"{field}.instrument",
                "An instrument metric needs the instrument; metric.instrument is missing.",
                f"Set metric.instrument to one of {known}, e.g. 'phq9'.",
            )
        ]
    if metric.instrument not in INSTRUMENT_RANGES:
        return [
            Problem(
                M_UNKNOWN_INSTRUMENT,
                f"{field}.instrument",
                f"metric.instrument '{metric.instrument}' is unknown.",
                f"Use one of {known}.",
            )
        ]
    return []


def off_scale_problem(
    metric: MetricSpec, value: float, *, code: str, field: str, label: str
) -> Problem | None:
    """A Problem when ``value`` lies outside the metric's valid values, else None.

    ``label`` names the value in the message ("target.value"); ``code`` is the caller's
    (``M-target-off-scale`` or ``M-baseline-off-scale``).
    """
    bounds = metric.bounds()
    if bounds is None:
        return None
    low, high = bounds
    if value >= low and value <= (VALUE_MAX if high is None else high):
        return None
    if high is None and value >= low:
        # An open scale (a count, a duration with no period) still ends where logged values do.
        span = f"a {metric.kind} runs up to {VALUE_MAX:,}"
        fix = "Check the number; it may have extra digits."
    elif high is None:
        span = f"a {metric.kind} is {low:g} or more"
        fix = f"Enter a value of {low:g} or more."
    else:
        span = f"{describe(metric)} runs from {low:g} to {high:g}"
        fix = f"Enter a value between {low:g} and {high:g}."
    return Problem(code, field, f"{label} is {value:g}; {span}.", fix)
