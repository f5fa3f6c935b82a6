"""Baseline summary of one metric, and whether the baseline is stable enough to compare against.

A baseline phase (the 2-3 weeks of data before an intervention; single-case design, CLINICAL.md
§5) is summarised per metric: n, mean, median, sample SD, a weekly rate for counts, and the
Theil-Sen slope (Theil 1950; Sen 1968; CLINICAL.md §5.1). The stability verdict, in plain words:

* **enough data**: at least 5 entries spread over at least 7 days (first to last day inclusive);
  otherwise the verdict is ``"too short: N more days needed"`` with the entries still missing.
* **not already improving steeply**: the Theil-Sen change over the baseline (slope per day times
  the days from first to last entry) in the improving direction must not exceed *both* one sample
  SD and 20 % of the absolute mean. Both, because a clean straight line always moves more than its
  own SD, so the SD test alone would flag trivial drifts; the 20 % test alone would flag changes
  lost in day-to-day noise. A baseline that is already improving makes it hard to credit the
  intervention (Tarlow 2017 corrects for it in Tau-BC; CLINICAL.md §5.1).

Baseline length: 14 days by default, 7 to 21 allowed (issue 4, "Phases and baseline").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from goalwise.analytics.aggregate import Point, daily
from goalwise.analytics.precision import exact_values
from goalwise.analytics.trend import theil_sen_exact
from goalwise.core.errors import Problem
from goalwise.core.measurement.phase import BASELINE_DAYS_DEFAULT, BASELINE_DAYS_MAX, BASELINE_DAYS_MIN

__all__ = [
    "DEFAULT_BASELINE_DAYS",
    "MAX_BASELINE_DAYS",
    "MIN_BASELINE_DAYS",
    "MIN_POINTS",
    "MIN_SPAN_DAYS",
    "STEEP_MEAN_FRACTION",
    "STEEP_SD_MULTIPLE",
    "BaselineSummary",
    "Improvement",
    "summarise_baseline",
    "validate_baseline_days",
]

Improvement = Literal["increase", "decrease"]

# One source of truth for the allowed baseline length: the phase model in core.
DEFAULT_BASELINE_DAYS = BASELINE_DAYS_DEFAULT
MIN_BASELINE_DAYS = BASELINE_DAYS_MIN
MAX_BASELINE_DAYS = BASELINE_DAYS_MAX
MIN_POINTS = 5
MIN_SPAN_DAYS = 7
STEEP_SD_MULTIPLE = 1.0
STEEP_MEAN_FRACTION = 0.20


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    """Summary statistics of a baseline and the plain-words verdict on its stability.

    ``sd`` is the sample SD (n - 1), ``None`` below 2 entries; ``rate_per_week`` is Σvalues /
    days × 7 for counts (``None`` otherwise); slopes are Theil-Sen per day and per week (``None``
    below 2 days). ``more_days_needed`` and ``more_points_needed`` are 0 once there is enough data.
    """

    n: int
    span_days: int
    mean: float | None
    median: float | None
    sd: float | None
    rate_per_week: float | None
    slope_per_day: float | None
    slope_per_week: float | None
    enough_data: bool
    improving_steeply: bool
    more_days_needed: int
    more_points_needed: int
    verdict: str

    @property
    def stable(self) -> bool:
        """Enough data and not already improving steeply: fit to compare an intervention against."""
        return self.enough_data and not self.improving_steeply


def validate_baseline_days(baseline_days: int) -> list[Problem]:
    """Problems with a baseline length: it must be a whole number of days from 7 to 21 (issue 4)."""
    if isinstance(baseline_days, bool) or not isinstance(baseline_days, int):
        return [
            Problem(
                "baseline-days-type",
                "baseline_days",
                "baseline_days must be a whole number of days.",
                f"Use {DEFAULT_BASELINE_DAYS}, or any whole number from {MIN_BASELINE_DAYS} "
                f"to {MAX_BASELINE_DAYS}.",
            )
        ]
    if not MIN_BASELINE_DAYS <= baseline_days <= MAX_BASELINE_DAYS:
        return [
            Problem(
                "baseline-days-range",
                "baseline_days",
                f"baseline_days is {baseline_days}; a baseline runs from {MIN_BASELINE_DAYS} "
                f"to {MAX_BASELINE_DAYS} days.",
                f"Use {DEFAULT_BASELINE_DAYS} days (2 weeks) unless there is a reason not to.",
            )
        ]
    return []


def _too_short_verdict(n: int, span: int, more_days: int, more_points: int) -> str:
    so_far = f"{n} entr{'y' if n == 1 else 'ies'} over {span} day{'' if span == 1 else 's'} so far"
    need = f"at least {MIN_POINTS} entries over at least {MIN_SPAN_DAYS} days are needed"
    if more_days:
        head = f"too short: {more_days} more day{'' if more_days == 1 else 's'} needed"
        if more_points > more_days:
            head += f" and {more_points} more entries"
    else:
        head = f"too short: {more_points} more entr{'y' if more_points == 1 else 'ies'} needed"
    return f"{head} ({need}; {so_far})."


def _improving_steeply(
    change: Fraction, improvement: Improvement, variance: Fraction | None, mean: Fraction
) -> bool:
    """The steepness rule of the module docstring, in exact arithmetic (gain > SD as gain² > variance)."""
    gain = change if improvement == "increase" else -change
    if gain <= 0 or variance is None:
        return False
    sd_multiple = Fraction(STEEP_SD_MULTIPLE)
    return gain * gain > sd_multiple * sd_multiple * variance and gain > Fraction(STEEP_MEAN_FRACTION) * abs(
        mean
    )


def summarise_baseline(
    points: Iterable[Point],
    improvement: Improvement,
    *,
    counts: bool = False,
    days: int | None = None,
) -> BaselineSummary:
    """Summarise a baseline phase and judge its stability (rules in the module docstring).

    ``points`` are the baseline's entries (one per day as a rule; same-day values are averaged for
    the slope only). ``improvement`` says which direction is better for this metric. With
    ``counts=True`` the weekly rate Σvalues / days × 7 is reported, where ``days`` is the length of
    the baseline phase in days (default: first to last entry, inclusive), so days logged as zero
    count but days never logged do not stretch the rate. Mean, median and sample SD as in Python's
    ``statistics``; Theil-Sen per Theil (1950) and Sen (1968), CLINICAL.md §5.1. Every figure is
    computed from the exact values at the data's own precision (``analytics.precision``) and
    rounded once, so a change of units (a positive rescaling) changes no verdict.
    """
    items = sorted(points, key=lambda p: p.on)
    values = exact_values([p.value for p in items])
    n = len(values)
    span = (items[-1].on - items[0].on).days + 1 if items else 0
    exact_mean = Fraction(sum(values), n) if values else None
    ordered = sorted(values)
    median = (
        float(Fraction(ordered[n // 2]) if n % 2 else Fraction(ordered[n // 2 - 1] + ordered[n // 2], 2))
        if values
        else None
    )
    variance: Fraction | None = None
    if n >= 2 and exact_mean is not None:
        variance = Fraction(sum((v - exact_mean) ** 2 for v in values)) / (n - 1)
    mean = None if exact_mean is None else float(exact_mean)
    sd = None if variance is None else math.sqrt(variance)
    period = days if days is not None else span
    rate = float(Fraction(sum(values)) / period * 7) if counts and period > 0 else None
    per_day = daily(items, how="mean")
    exact_slope: Fraction | None = None
    if len(per_day) >= 2:
        first = per_day[0].on
        exact_slope, _ = theil_sen_exact([p.value for p in per_day], [(p.on - first).days for p in per_day])
    slope = None if exact_slope is None else float(exact_slope)
    more_days = max(0, MIN_SPAN_DAYS - span)
    more_points = max(0, MIN_POINTS - n)
    enough = more_days == 0 and more_points == 0
    steep = (
        enough
        and exact_slope is not None
        and exact_mean is not None
        and _improving_steeply(exact_slope * (span - 1), improvement, variance, exact_mean)
    )
    if not enough:
        verdict = _too_short_verdict(n, span, more_days, more_points)
    elif steep:
        verdict = (
            "enough data, but already improving steeply: the trend over the baseline moved more than one SD "
            "and more than 20% of the mean in the better direction; consider a longer baseline, and keep "
            "the trend in mind when judging the intervention."
        )
    else:
        verdict = f"stable: enough data ({n} entries over {span} days) and not already improving steeply."
    return BaselineSummary(
        n=n,
        span_days=span,
        mean=mean,
        median=median,
        sd=sd,
        rate_per_week=rate,
        slope_per_day=slope,
        slope_per_week=None if slope is None else slope * 7,
        enough_data=enough,
        improving_steeply=steep,
        more_days_needed=more_days,
        more_points_needed=more_points,
        verdict=verdict,
    )
