"""Forecast of a goal's metric to its deadline, with an honest band and a status in plain words.

The line is the Theil-Sen fit (Theil 1950; Sen 1968; CLINICAL.md §5.1) of the daily values
against the day, so one unusual day does not swing the forecast. The points are on the target's
own scale: daily ratings for a rating target, weekly totals (one point per week) for a frequency
target, session totals for an instrument.

Status rule, checked in this order (also in the clinician guide):

0. ``no_recent_data``: no entry in the 7 days ending on ``as_of`` (older entries are history,
   not the current state: a target met months ago is not "achieved" today), or none since
   ``since_on`` while older entries exist. Freshness is judged on the newest underlying entry:
   a point covering several days (a weekly total stamped by its Monday, ``point_days=7``) counts
   as of its last day, and ``latest_entry_on`` adds entries the points leave out (the week in
   progress of a weekly target).
1. ``achieved``: the mean of the values whose period ends in the 7 days ending on ``as_of``
   meets the target (for weekly totals: the last complete week). When entries are recent but no
   point's period ends in those 7 days (a weekly target whose first full week is still in
   progress), the status is ``insufficient_data``.
2. ``insufficient_data``: fewer than 5 days with an entry, or the entries span fewer than 7 days
   (first to last day, inclusive).
3. ``off_track`` when the deadline is already past (and the target is not met).
4. ``on_track``: the projected value at the deadline meets the target.
5. ``at_risk``: the projection misses, but the uncertainty band reaches the target.
6. ``off_track``: neither the projection nor any part of the band meets the target.

Uncertainty band: the 10th and 90th percentiles of the pairwise slopes (the same slopes whose
median is the Theil-Sen slope), projected from the fitted value at the median day to the
deadline. The band therefore widens the further the deadline lies beyond the data, and is wide
when the day-to-day slopes disagree. It is a spread of plausible trends, not a prediction
interval for a single day's value, and it assumes the trend continues; the reason text says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from goalwise.analytics.aggregate import Point, daily
from goalwise.analytics.target import Comparator, TargetValue, check_target, meets
from goalwise.analytics.trend import theil_sen
from goalwise.core.errors import InvalidInput, Problem

__all__ = [
    "BAND_PERCENTILES",
    "MIN_POINTS",
    "MIN_SPAN_DAYS",
    "RECENT_DAYS",
    "Forecast",
    "Status",
    "forecast",
]

Status = Literal["achieved", "on_track", "at_risk", "off_track", "insufficient_data", "no_recent_data"]

MIN_POINTS = 5
MIN_SPAN_DAYS = 7
RECENT_DAYS = 7
BAND_PERCENTILES = (10, 90)

# Reasons avoid repeating values: they may be shown to a supporter the client shares a goal with.
_REASONS: dict[str, str] = {
    "achieved": "The most recent week of entries already meets the target.",
    "no_recent_data": (
        "There are no entries in the last 7 days, so there is no recent data to judge the target by; "
        "older entries are not the current state."
    ),
    "no_recent_window": (
        "There are no entries in the recent period the forecast follows; older entries are not the "
        "current trend."
    ),
    "no_full_period": "The entries are recent, but no full period has ended yet to judge the target by.",
    "past_deadline": "The deadline has passed and the most recent week of entries does not meet the target.",
    "on_track": "If the recent trend continues, the target will be met by the deadline.",
    "at_risk": (
        "If the recent trend continues exactly, the target will be missed at the deadline, but it lies "
        "within the range of likely trends; a small change could make the difference."
    ),
    "off_track": (
        "Even the more hopeful trends in the recent data do not reach the target by the deadline; "
        "it may be time to review the plan or the target."
    ),
}


@dataclass(frozen=True, slots=True)
class Forecast:
    """The forecast of one metric to one deadline.

    ``projected``, ``low`` and ``high`` are the values expected at ``deadline_on`` from the
    trend and its band (``None`` without enough data); ``slope_per_week`` is the Theil-Sen slope
    times 7; ``recent`` the mean of the last 7 days of entries; ``n_days`` and ``span_days`` the
    data behind it. ``reason`` explains the status in plain words without repeating any value.
    """

    status: Status
    reason: str
    deadline_on: date
    as_of: date
    projected: float | None = None
    low: float | None = None
    high: float | None = None
    slope_per_week: float | None = None
    recent: float | None = None
    n_days: int = 0
    span_days: int = 0


def _band_reaches(low: float, high: float, target: TargetValue, comparator: Comparator) -> bool:
    """Whether some value in [low, high] meets the target."""
    if isinstance(target, tuple):
        return high >= target[0] and low <= target[1]
    if comparator in ("<=", "<"):
        return meets(low, target, comparator)
    if comparator in (">=", ">"):
        return meets(high, target, comparator)
    return low <= target <= high


def _clamp(value: float, value_range: tuple[float, float] | None) -> float:
    if value_range is None:
        return value
    return min(max(value, value_range[0]), value_range[1])


def forecast(
    points: Iterable[Point],
    target: TargetValue,
    comparator: Comparator,
    deadline_on: date,
    as_of: date,
    *,
    since_on: date | None = None,
    value_range: tuple[float, float] | None = None,
    point_days: int = 1,
    latest_entry_on: date | None = None,
) -> Forecast:
    """Project the metric to ``deadline_on`` and classify the goal (rule in the module docstring).

    Only points on or before ``as_of`` (and on or after ``since_on``, e.g. the start of the current
    intervention phase or of the last 4 weeks) are used; values on the same day are averaged.
    ``value_range`` (e.g. ``(0, 27)`` for PHQ-9, the metric's scale for a rating) clamps the
    projection and band to the possible scores. Each point covers ``point_days`` days from its
    date (7 for weekly totals stamped by their Monday); ``latest_entry_on`` is the newest
    underlying entry, which may lie in a period the points leave out (the week in progress).
    Theil-Sen: Theil (1950), Sen (1968), CLINICAL.md §5.1.
    """
    problems = check_target(target, comparator)
    if value_range is not None and value_range[0] > value_range[1]:
        problems.append(
            Problem(
                "forecast-range",
                "value_range",
                "The lowest possible value is above the highest.",
                "Give value_range as (lowest, highest), e.g. (0, 27) for PHQ-9.",
            )
        )
    if problems:
        raise InvalidInput(problems)
    known = [p for p in points if p.on <= as_of]
    used = [p for p in known if since_on is None or p.on >= since_on]
    days = daily(used, how="mean")
    fresh_entry = latest_entry_on is not None and 0 <= (as_of - latest_entry_on).days < RECENT_DAYS
    if not days:
        if fresh_entry:
            return Forecast("insufficient_data", _REASONS["no_full_period"], deadline_on, as_of)
        if known:
            return Forecast("no_recent_data", _REASONS["no_recent_window"], deadline_on, as_of)
        return Forecast("insufficient_data", "There are no entries yet to forecast from.", deadline_on, as_of)
    span = (days[-1].on - days[0].on).days + 1
    cover = timedelta(days=max(point_days, 1) - 1)
    newest = min(days[-1].on + cover, as_of)
    if latest_entry_on is not None and latest_entry_on <= as_of:
        newest = max(newest, latest_entry_on)
    if (as_of - newest).days >= RECENT_DAYS:
        return Forecast(
            "no_recent_data", _REASONS["no_recent_data"], deadline_on, as_of, n_days=len(days), span_days=span
        )
    last_week = [p.value for p in days if (as_of - (p.on + cover)).days < RECENT_DAYS]
    if not last_week:
        return Forecast(
            "insufficient_data",
            _REASONS["no_full_period"],
            deadline_on,
            as_of,
            n_days=len(days),
            span_days=span,
        )
    recent = statistics.fmean(last_week)

    def result(status: Status, reason: str, fit: _Fit | None = None) -> Forecast:
        if fit is None:
            return Forecast(
                status, reason, deadline_on, as_of, recent=recent, n_days=len(days), span_days=span
            )
        return Forecast(
            status,
            reason,
            deadline_on,
            as_of,
            fit.projected,
            fit.low,
            fit.high,
            fit.slope_per_day * 7,
            recent,
            len(days),
            span,
        )

    if meets(recent, target, comparator):
        return result("achieved", _REASONS["achieved"])
    if len(days) < MIN_POINTS or span < MIN_SPAN_DAYS:
        return result(
            "insufficient_data",
            f"A forecast needs entries on at least {MIN_POINTS} days spread over at least "
            f"{MIN_SPAN_DAYS} days; so far there are {len(days)} over {span}.",
        )
    fit = _fit(days, deadline_on, value_range)
    if deadline_on < as_of:
        return result("off_track", _REASONS["past_deadline"], fit)
    if meets(fit.projected, target, comparator):
        return result("on_track", _REASONS["on_track"], fit)
    if _band_reaches(fit.low, fit.high, target, comparator):
        return result("at_risk", _REASONS["at_risk"], fit)
    return result("off_track", _REASONS["off_track"], fit)


@dataclass(frozen=True, slots=True)
class _Fit:
    projected: float
    low: float
    high: float
    slope_per_day: float


def _fit(days: list[Point], deadline_on: date, value_range: tuple[float, float] | None) -> _Fit:
    """Theil-Sen line over the days and its 10th-90th percentile slope band, at the deadline."""
    first = days[0].on
    xs = [float((p.on - first).days) for p in days]
    ys = [p.value for p in days]
    slope, intercept = theil_sen(ys, xs)
    x_deadline = float((deadline_on - first).days)
    projected = _clamp(intercept + slope * x_deadline, value_range)
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs))]
    deciles = statistics.quantiles(slopes, n=10, method="inclusive")
    slow, fast = deciles[BAND_PERCENTILES[0] // 10 - 1], deciles[BAND_PERCENTILES[1] // 10 - 1]
    # Pivot at the middle of the data, where the line is best pinned down, so the band fans out
    # with the distance to the deadline.
    x_mid = statistics.median(xs)
    y_mid = intercept + slope * x_mid
    ends = [_clamp(y_mid + s * (x_deadline - x_mid), value_range) for s in (slow, fast)]
    return _Fit(projected, min([*ends, projected]), max([*ends, projected]), slope)
