"""Aggregation of observations by the client's local day and by ISO week.

Inputs are plain values, never database rows: a :class:`Point` is one observation on a local
day that the caller has already worked out from the client's time zone (DESIGN.md, "Time").
A :class:`Trial` is one "x of n" observation, for example 3 of 5 social encounters that had a
conversation of 5 minutes or more.

Missing days and weeks are *absent*, never zero: a day on which nothing was logged says nothing
about the behaviour, so no function here invents a value for it. A caller who knows that an
unlogged day means zero (for instance a count that the client confirms daily) adds the zeros
itself.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal, TypeVar

from goalwise.core.errors import InvalidInput, Problem

__all__ = [
    "How",
    "IsoWeek",
    "Point",
    "Trial",
    "WeekProportion",
    "WeekValue",
    "daily",
    "days_logged_per_week",
    "iso_week",
    "rolling_mean",
    "weekly",
    "weekly_proportion",
]

K = TypeVar("K")
How = Literal["sum", "mean", "last"]
_HOWS: tuple[How, ...] = ("sum", "mean", "last")


@dataclass(frozen=True, slots=True, order=True)
class Point:
    """One value on one local day (the caller converts timestamps to the client's day)."""

    on: date
    value: float


@dataclass(frozen=True, slots=True, order=True)
class Trial:
    """``successes`` of ``trials`` on one local day, e.g. 3 of 5 encounters with a conversation."""

    on: date
    successes: int
    trials: int


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO 8601 week: weeks start on Monday, week 1 holds the year's first Thursday."""

    year: int
    week: int

    @property
    def monday(self) -> date:
        """The Monday that starts this week."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        """The Sunday that ends this week."""
        return date.fromisocalendar(self.year, self.week, 7)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True, slots=True)
class WeekValue:
    """One week's aggregate: ``value`` (per ``how``), ``n`` observations on ``days_logged`` days."""

    week: IsoWeek
    value: float
    n: int
    days_logged: int

    @property
    def monday(self) -> date:
        """The Monday that starts the week."""
        return self.week.monday


@dataclass(frozen=True, slots=True)
class WeekProportion:
    """One week's Σsuccesses of Σtrials, pooled over every trial of the week."""

    week: IsoWeek
    successes: int
    trials: int
    days_logged: int

    @property
    def proportion(self) -> float | None:
        """Σsuccesses / Σtrials in 0..1; ``None`` when the week had no trials."""
        return self.successes / self.trials if self.trials else None

    @property
    def value(self) -> float | None:
        """The proportion as a percentage (0..100), the scale percentage targets are written in."""
        proportion = self.proportion
        return None if proportion is None else proportion * 100.0

    @property
    def monday(self) -> date:
        """The Monday that starts the week."""
        return self.week.monday


@lru_cache(maxsize=8192)
def iso_week(on: date) -> IsoWeek:
    """The ISO week of a local day (ISO 8601, as ``date.isocalendar``); cached, as days repeat."""
    year, week, _ = on.isocalendar()
    return IsoWeek(year, week)


def _check_how(how: str) -> None:
    if how not in _HOWS:
        raise InvalidInput(
            [
                Problem(
                    "aggregate-how",
                    "how",
                    f"how is {how!r}; use one of {', '.join(_HOWS)}.",
                    "Use 'sum' for counts and durations, 'mean' for ratings, 'last' for a running total.",
                )
            ]
        )


def _combine(values: Sequence[float], how: How) -> float:
    if how == "sum":
        return float(sum(values))
    if how == "mean":
        return float(statistics.fmean(values))
    return float(values[-1])


def _group(points: Iterable[Point], key: Callable[[date], K]) -> dict[K, list[Point]]:
    groups: dict[K, list[Point]] = defaultdict(list)
    # A stable sort by day keeps same-day points in the order given, so "last" is the last logged.
    for point in sorted(points, key=lambda p: p.on):
        groups[key(point.on)].append(point)
    return groups


def _same_day(on: date) -> date:
    return on


def daily(points: Iterable[Point], how: How = "sum") -> list[Point]:
    """One point per local day, sorted by day: the sum, mean or last of that day's values.

    Days without a point are left out (no data is not zero). ``last`` is the last point of the
    day in the order given, so pass points in the order they were logged.
    """
    _check_how(how)
    groups = _group(points, _same_day)
    return [Point(day, _combine([p.value for p in group], how)) for day, group in groups.items()]


def weekly(points: Iterable[Point], how: How = "sum") -> list[WeekValue]:
    """One :class:`WeekValue` per ISO week that has data, sorted by week.

    ``sum`` gives counts or total minutes per week, ``mean`` the mean of every value logged that
    week (each observation weighs the same), ``last`` the last value. ``n`` is the number of
    observations and ``days_logged`` the number of distinct days with one. Weeks without data
    are left out rather than reported as zero.
    """
    _check_how(how)
    out: list[WeekValue] = []
    for week, group in _group(points, iso_week).items():
        values = [p.value for p in group]
        out.append(WeekValue(week, _combine(values, how), len(values), len({p.on for p in group})))
    return out


def weekly_proportion(trials: Iterable[Trial]) -> list[WeekProportion]:
    """Per ISO week, Σsuccesses / Σtrials (pooled, not a mean of daily proportions).

    Pooling weighs each encounter once, so a day with 1 encounter does not count as much as a day
    with 10. Raises InvalidInput when a trial has successes below 0 or above its trials.
    """
    items = sorted(trials, key=lambda t: t.on)
    problems = [
        Problem(
            "proportion-range",
            f"trials[{i}]",
            f"Trial {i} has {t.successes} successes of {t.trials}; successes run from 0 to the trials.",
            "Record how many of the encounters went the way the goal describes.",
        )
        for i, t in enumerate(items)
        if t.trials < 0 or not 0 <= t.successes <= t.trials
    ]
    if problems:
        raise InvalidInput(problems)
    groups: dict[IsoWeek, list[Trial]] = defaultdict(list)
    for trial in items:
        groups[iso_week(trial.on)].append(trial)
    return [
        WeekProportion(
            week, sum(t.successes for t in group), sum(t.trials for t in group), len({t.on for t in group})
        )
        for week, group in groups.items()
    ]


def days_logged_per_week(days: Iterable[date]) -> dict[IsoWeek, int]:
    """How many distinct local days of each ISO week have at least one log (weeks with none absent)."""
    counts: dict[IsoWeek, int] = defaultdict(int)
    for day in sorted(set(days)):
        counts[iso_week(day)] += 1
    return dict(counts)


def rolling_mean(daily_points: Iterable[Point], window: int = 7) -> list[Point]:
    """Trailing mean over ``window`` calendar days, one point per calendar day.

    For each calendar day d from the first to the last day with data, the result is the mean of
    the values on the days d - window + 1 .. d *that have a value*. Missing days are skipped, not
    counted as zero, and a day is reported when its window holds at least one value; so a gap
    longer than the window leaves a gap in the result. Days are calendar days, not the last
    ``window`` observations, so a sparse stretch cannot stretch the window back in time.

    Expects one point per day (use :func:`daily` first); raises InvalidInput for a repeated day
    or a window below 1.
    """
    if window < 1:
        raise InvalidInput(
            [
                Problem(
                    "rolling-window",
                    "window",
                    f"window is {window}; it must be at least 1 day.",
                    "Use 7 for a weekly rolling mean.",
                )
            ]
        )
    items = sorted(daily_points, key=lambda p: p.on)
    by_day: dict[date, float] = {}
    for point in items:
        if point.on in by_day:
            raise InvalidInput(
                [
                    Problem(
                        "rolling-duplicate-day",
                        "daily_points",
                        "Two points fall on the same day.",
                        "Combine each day first with daily(points, how=...).",
                    )
                ]
            )
        by_day[point.on] = point.value
    if not items:
        return []
    # Day numbers (ordinals) instead of dates: the same calendar, at integer speed.
    by_ordinal = {day.toordinal(): value for day, value in by_day.items()}
    first, last = items[0].on.toordinal(), items[-1].on.toordinal()
    out: list[Point] = []
    for ordinal in range(first, last + 1):
        # fmean over the window rather than a running sum, so no rounding error accumulates.
        values = [by_ordinal[o] for o in range(ordinal - window + 1, ordinal + 1) if o in by_ordinal]
        if values:
            out.append(Point(date.fromordinal(ordinal), statistics.fmean(values)))
    return out
