"""The goal draft: one SMART goal as plain values, and parsing it from the DRAFT.json shape.

A :class:`GoalDraft` is what a client and therapist write together before (and while) a
goal is active (issue 3, "Goal model"). Every field may be missing; the SMART check in
``core/smart.py`` reports what is missing or wrong. :func:`parse_draft` turns the JSON shape
(also the body of ``POST /api/v1/goals/check``) into a draft and never raises: a wrong type,
an unknown choice or a malformed date becomes a Problem naming the field and the fix, and
the field is left empty in the draft.

DRAFT.json::

    {"title": "Fewer panic attacks", "behaviour": "...",
     "metric": {"kind": "count", "unit": "panic attacks", "period": "week",
                "scale_min": null, "scale_max": null, "instrument": null},
     "direction": "decrease",
     "baseline": 5            or {"value": 5, "source": "entered|baseline_period|instrument"},
     "target": 2              or {"value": 2, "comparator": "<="}  or {"low": 6, "high": 8},
     "start_on": "2026-01-05", "deadline_on": "2026-03-16", "deadline_sessions": 3,
     "review_every_weeks": 4, "priority": "primary|secondary", "framing": "approach|avoidance",
     "set_by": "client|therapist|together", "importance": 8, "confidence": 7,
     "related_goals": ["12"]}

Decisions: numbers may also arrive as numeric strings (HTML forms send strings); a
``maintain`` goal's target is a range ``{"low": x, "high": y}``; a target without a
comparator takes ``<=`` for decrease and ``>=`` for increase (:func:`effective_comparator`);
keys that are not part of the shape are ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from goalwise.core.errors import Problem
from goalwise.core.metric import INSTRUMENT_RANGES, METRIC_KINDS, MetricKind, MetricSpec, Period

__all__ = [
    "DEFAULT_REVIEW_EVERY_WEEKS",
    "M_UNKNOWN_KIND",
    "REVIEW_WEEKS_RANGE",
    "T_BAD_DATE",
    "Baseline",
    "BaselineSource",
    "Comparator",
    "Direction",
    "Framing",
    "GoalDraft",
    "Priority",
    "SetBy",
    "Target",
    "add_days",
    "draft_to_dict",
    "effective_comparator",
    "implied_deadline",
    "parse_draft",
]

#: The method reviews goals every 4-8 weeks and tracks them over 3-6 months (issue 3).
DEFAULT_REVIEW_EVERY_WEEKS = 6
REVIEW_WEEKS_RANGE = (2, 26)

M_UNKNOWN_KIND = "M-unknown-kind"
T_BAD_DATE = "T-bad-date"


class Direction(StrEnum):
    """Which way the metric should move."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Comparator(StrEnum):
    """How the measured value is compared with the target value (FHIR Quantity comparators plus '=')."""

    LT = "<"
    LE = "<="
    EQ = "="
    GE = ">="
    GT = ">"


class BaselineSource(StrEnum):
    """Where a baseline value came from."""

    ENTERED = "entered"
    BASELINE_PERIOD = "baseline_period"
    INSTRUMENT = "instrument"


class Priority(StrEnum):
    """Primary goals are the 2-3 the work concentrates on; the rest are secondary."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


class Framing(StrEnum):
    """Approach goals name what to do; avoidance goals name what to stop."""

    APPROACH = "approach"
    AVOIDANCE = "avoidance"


class SetBy(StrEnum):
    """Who set the goal."""

    CLIENT = "client"
    THERAPIST = "therapist"
    TOGETHER = "together"


@dataclass(frozen=True, slots=True)
class Baseline:
    """The level before the work starts and where that number came from."""

    value: float
    source: BaselineSource = BaselineSource.ENTERED


@dataclass(frozen=True, slots=True)
class Target:
    """The level to reach: ``value`` with ``comparator``, or the range ``low``..``high`` for maintain."""

    value: float | None = None
    comparator: Comparator | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class GoalDraft:
    """A goal as written so far; every field may be missing (the SMART check says what to add)."""

    title: str | None = None
    behaviour: str | None = None
    metric: MetricSpec | None = None
    direction: Direction | None = None
    baseline: Baseline | None = None
    target: Target | None = None
    start_on: date | None = None
    deadline_on: date | None = None
    deadline_sessions: int | None = None
    review_every_weeks: int | None = None
    priority: Priority | None = None
    framing: Framing | None = None
    set_by: SetBy | None = None
    importance: int | None = None
    confidence: int | None = None
    related_goals: tuple[str, ...] = ()


def effective_comparator(draft: GoalDraft) -> Comparator | None:
    """The target's comparator, or the one its direction implies (decrease: <=, increase: >=)."""
    if draft.target is not None and draft.target.comparator is not None:
        return draft.target.comparator
    if draft.direction is Direction.DECREASE:
        return Comparator.LE
    if draft.direction is Direction.INCREASE:
        return Comparator.GE
    return None


def add_days(day: date, days: float) -> date:
    """``day`` plus ``days``, held at the calendar's first or last day instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def implied_deadline(start_on: date, sessions: int, session_interval_days: int = 7) -> date:
    """The date "within N sessions" implies: start plus N session intervals (weekly by default)."""
    return add_days(start_on, sessions * session_interval_days)


_E = TypeVar("_E", bound=StrEnum)

_FIELD_LETTER: Mapping[str, str] = MappingProxyType(
    {
        "draft": "S",
        "title": "S",
        "behaviour": "S",
        "framing": "S",
        "metric": "M",
        "direction": "M",
        "baseline": "M",
        "target": "M",
        "importance": "A",
        "confidence": "A",
        "priority": "R",
        "set_by": "R",
        "related_goals": "R",
        "start_on": "T",
        "deadline_on": "T",
        "deadline_sessions": "T",
        "review_every_weeks": "T",
    }
)

_PERIOD_ALIASES: Mapping[str, str] = MappingProxyType({"daily": "day", "weekly": "week"})


class _Reader:
    """Collects problems while reading loosely typed JSON values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def wrong(self, field: str, message: str, hint: str, kind: str = "wrong-type") -> None:
        letter = _FIELD_LETTER[field.split(".")[0]]
        self.problems.append(Problem(f"{letter}-{kind}", field, message, hint))

    def text(self, value: object, field: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.wrong(
                field, f"{field} is a {_type_name(value)}; it must be text.", f"Write {field} as text."
            )
            return None
        return value.strip() or None

    def number(self, value: object, field: str, example: str = "2") -> float | None:
        if value is None:
            return None
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if number is None or not math.isfinite(number):
            shown = f"'{value}'" if isinstance(value, str) else f"a {_type_name(value)}"
            self.wrong(field, f"{field} is {shown}; it must be a number.", f"Enter a number, e.g. {example}.")
            return None
        return number

    def integer(self, value: object, field: str, example: str) -> int | None:
        number = self.number(value, field, example)
        if number is None:
            return None
        if number != int(number):
            self.wrong(field, f"{field} is {number:g}; it must be a whole number.", f"Enter e.g. {example}.")
            return None
        return int(number)

    def day(self, value: object, field: str) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        shown = f"'{value}'" if isinstance(value, str) else f"a {_type_name(value)}"
        self.wrong(
            field,
            f"{field} is {shown}; it must be an ISO date.",
            "Write the date as YYYY-MM-DD, e.g. 2026-01-05.",
            kind="bad-date",
        )
        return None

    def choice(self, value: object, enum: type[_E], field: str, kind: str = "unknown-value") -> _E | None:
        if value is None:
            return None
        options = ", ".join(member.value for member in enum)
        if isinstance(value, str):
            key = value.strip().lower()
            for member in enum:
                if member.value == key:
                    return member
            self.wrong(
                field, f"{field} '{value}' is unknown; use one of {options}.", f"Use one of {options}.", kind
            )
            return None
        self.wrong(
            field, f"{field} is a {_type_name(value)}; use one of {options}.", f"Use one of {options}."
        )
        return None

    def mapping(self, value: object, field: str, example: str) -> Mapping[str, object] | None:
        if value is None or isinstance(value, Mapping):
            return value
        self.wrong(
            field, f"{field} is a {_type_name(value)}; it must be an object.", f"Write e.g. {example}."
        )
        return None


def _type_name(value: object) -> str:
    names = {
        bool: "true/false value",
        list: "list",
        dict: "object",
        str: "text",
        int: "number",
        float: "number",
    }
    return names.get(type(value), type(value).__name__)


def parse_draft(data: Mapping[str, object]) -> tuple[GoalDraft, list[Problem]]:
    """Read the DRAFT.json shape into a :class:`GoalDraft` plus the Problems found; never raises.

    A field with a problem is left empty in the draft, and the problem names the field and
    the fix ("metric.kind 'steps' is unknown; use one of count, duration, ...").
    """
    read = _Reader()
    if not isinstance(data, Mapping):
        read.wrong("draft", f"The draft is a {_type_name(data)}; it must be a JSON object.", "Send {...}.")
        return GoalDraft(), read.problems
    draft = GoalDraft(
        title=read.text(data.get("title"), "title"),
        behaviour=read.text(data.get("behaviour"), "behaviour"),
        metric=_metric(read, data.get("metric")),
        direction=read.choice(data.get("direction"), Direction, "direction"),
        baseline=_baseline(read, data.get("baseline")),
        target=_target(read, data.get("target")),
        start_on=read.day(data.get("start_on"), "start_on"),
        deadline_on=read.day(data.get("deadline_on"), "deadline_on"),
        deadline_sessions=read.integer(data.get("deadline_sessions"), "deadline_sessions", "3"),
        review_every_weeks=read.integer(data.get("review_every_weeks"), "review_every_weeks", "6"),
        priority=read.choice(data.get("priority"), Priority, "priority"),
        framing=read.choice(data.get("framing"), Framing, "framing"),
        set_by=read.choice(data.get("set_by"), SetBy, "set_by"),
        importance=read.integer(data.get("importance"), "importance", "8"),
        confidence=read.integer(data.get("confidence"), "confidence", "7"),
        related_goals=_related(read, data.get("related_goals")),
    )
    return draft, read.problems


def _metric(read: _Reader, value: object) -> MetricSpec | None:
    data = read.mapping(value, "metric", '{"kind": "count", "unit": "panic attacks", "period": "week"}')
    if data is None:
        return None
    kinds = ", ".join(METRIC_KINDS)
    raw_kind = data.get("kind")
    if raw_kind is None:
        read.wrong(
            "metric.kind", f"metric.kind is missing; use one of {kinds}.", f"Use one of {kinds}.", "no-kind"
        )
        return None
    kind = read.choice(raw_kind, MetricKind, "metric.kind", kind="unknown-kind")
    period_text = data.get("period")
    if isinstance(period_text, str):
        period_text = _PERIOD_ALIASES.get(period_text.strip().lower(), period_text)
    period = read.choice(period_text, Period, "metric.period")
    unit = read.text(data.get("unit"), "metric.unit")
    scale_min = read.number(data.get("scale_min"), "metric.scale_min", "0")
    scale_max = read.number(data.get("scale_max"), "metric.scale_max", "10")
    instrument = read.text(data.get("instrument"), "metric.instrument")
    if instrument is not None:
        # "PHQ-9", "phq 9" and "phq9" all name the same instrument.
        normalised = re.sub(r"[^a-z0-9]", "", instrument.lower())
        instrument = normalised if normalised in INSTRUMENT_RANGES else instrument
    if kind is None:
        return None
    return MetricSpec(kind, unit, period, scale_min, scale_max, instrument)


def _baseline(read: _Reader, value: object) -> Baseline | None:
    if not isinstance(value, Mapping):
        number = read.number(value, "baseline", "5")
        return None if number is None else Baseline(number)
    number = read.number(value.get("value"), "baseline.value", "5")
    source = read.choice(value.get("source"), BaselineSource, "baseline.source")
    if value.get("value") is None:
        read.wrong(
            "baseline.value",
            "baseline.value is missing.",
            'Write e.g. {"value": 5, "source": "entered"}.',
            kind="incomplete",
        )
    if number is None:
        return None
    return Baseline(number, source or BaselineSource.ENTERED)


def _target(read: _Reader, value: object) -> Target | None:
    if not isinstance(value, Mapping):
        number = read.number(value, "target", "2")
        return None if number is None else Target(number)
    target = Target(
        value=read.number(value.get("value"), "target.value", "2"),
        comparator=read.choice(value.get("comparator"), Comparator, "target.comparator"),
        low=read.number(value.get("low"), "target.low", "6"),
        high=read.number(value.get("high"), "target.high", "8"),
    )
    if target.value is None and target.low is None and target.high is None:
        return None
    return target


def _related(read: _Reader, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
        return tuple(str(v) for v in value)
    read.wrong("related_goals", "related_goals must be a list of goal ids.", 'Write e.g. ["12", "15"].')
    return ()


def draft_to_dict(draft: GoalDraft) -> dict[str, object]:
    """The DRAFT.json shape of ``draft``; missing fields are left out. ``parse_draft`` reads it back."""
    out: dict[str, object] = {}
    for key in ("title", "behaviour", "deadline_sessions", "review_every_weeks", "importance", "confidence"):
        value = getattr(draft, key)
        if value is not None:
            out[key] = value
    for key in ("direction", "priority", "framing", "set_by"):
        choice = getattr(draft, key)
        if choice is not None:
            out[key] = choice.value
    for key in ("start_on", "deadline_on"):
        day = getattr(draft, key)
        if day is not None:
            out[key] = day.isoformat()
    if draft.metric is not None:
        metric = draft.metric
        fields = {"unit": metric.unit, "scale_min": metric.scale_min, "scale_max": metric.scale_max}
        fields |= {"period": None if metric.period is None else metric.period.value}
        fields |= {"instrument": metric.instrument}
        out["metric"] = {"kind": metric.kind.value} | {k: v for k, v in fields.items() if v is not None}
    if draft.baseline is not None:
        out["baseline"] = {"value": draft.baseline.value, "source": draft.baseline.source.value}
    if draft.target is not None:
        target = draft.target
        parts: dict[str, object] = {"value": target.value, "low": target.low, "high": target.high}
        parts |= {"comparator": None if target.comparator is None else target.comparator.value}
        out["target"] = {k: v for k, v in parts.items() if v is not None}
    if draft.related_goals:
        out["related_goals"] = list(draft.related_goals)
    return out
