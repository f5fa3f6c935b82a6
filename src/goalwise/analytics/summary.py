"""Everything a chart, a review or a dashboard needs about one metric, in one pure call.

Built from the pieces of this package: weekly aggregates and the rolling 7-day mean
(``aggregate``), the baseline summary (``baseline``), baseline-versus-intervention effect sizes
per intervention phase (``overlap``, CLINICAL.md §5), the forecast to the goal's deadline
(``forecast``), weeks met (``progress``) and small wins (``small_win``).

Two choices keep it fast on years of daily data (a benchmark holds it to tens of milliseconds
for two years of five metrics):

* the forecast uses the recent past only: the last 4 weeks of daily values for a daily target,
  the last 8 complete weekly totals for a weekly target (the week in progress is left out, since
  a Monday's entry is not the week's total), because a forecast should follow the current trend,
  not the whole history;
* a phase's trend (Theil-Sen, whose exact computation looks at every pair of points) is taken on
  weekly means once the phase holds more than ``DAILY_TREND_LIMIT`` days; the effect sizes
  themselves (NAP, Tau, Tau-U, Tau-BC, PND, PEM, PAND, IRD) always use every daily value.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from goalwise.analytics import overlap
from goalwise.analytics.aggregate import IsoWeek, Point, WeekValue, daily, rolling_mean, weekly
from goalwise.analytics.baseline import BaselineSummary, summarise_baseline
from goalwise.analytics.forecast import Forecast, forecast
from goalwise.analytics.now import GoalNow, goal_now
from goalwise.analytics.small_win import Win, small_wins
from goalwise.analytics.sudden_gain import SuddenGain
from goalwise.analytics.target import Comparator, fraction_of_way, percent_change, weekly_met
from goalwise.analytics.trend import theil_sen

__all__ = [
    "DAILY_TREND_LIMIT",
    "GoalTarget",
    "MetricAnalysis",
    "MetricSummary",
    "PhaseEffect",
    "PhaseSpan",
    "metric_summary",
]

DAILY_TREND_LIMIT = 60
FORECAST_DAYS = 28
FORECAST_WEEKS = 8
Improvement = Literal["increase", "decrease"]


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """A phase as analytics needs it: it runs from ``start_on`` until the next phase starts."""

    name: str
    kind: Literal["baseline", "intervention"]
    start_on: date


@dataclass(frozen=True, slots=True)
class GoalTarget:
    """A goal's target on this metric. ``period`` ``week`` compares weekly totals, ``day`` daily values."""

    value: float
    comparator: Comparator
    deadline_on: date
    period: Literal["day", "week"] = "day"
    baseline: float | None = None


@dataclass(frozen=True, slots=True)
class PhaseEffect:
    """The baseline compared with one intervention phase."""

    phase: str
    start_on: date
    n_days: int
    nap: overlap.Estimate
    tau: overlap.Estimate
    tau_u: overlap.Estimate
    tau_bc: overlap.Estimate | None
    pnd: overlap.Estimate
    pem: overlap.Estimate
    pand: overlap.Estimate
    ird: overlap.Estimate
    level_change: float
    slope_per_week_before: float | None
    slope_per_week_after: float | None


@dataclass(frozen=True, slots=True)
class MetricSummary:
    """One metric, analysed up to ``as_of``."""

    as_of: date
    daily: list[Point]
    rolling: list[Point]
    weeks: list[WeekValue]
    baseline: BaselineSummary | None
    effects: list[PhaseEffect] = field(default_factory=list)
    forecast: Forecast | None = None
    weeks_met: list[tuple[IsoWeek, bool]] = field(default_factory=list)
    progress_fraction: float | None = None
    change_percent: float | None = None
    wins: list[Win] = field(default_factory=list)
    #: What "now" is (``analytics.now``): every page shows this as the goal's current value.
    now: GoalNow | None = None


def _phase_slices(days: list[Point], phases: Sequence[PhaseSpan]) -> list[tuple[PhaseSpan, list[Point]]]:
    ordered = sorted(phases, key=lambda p: p.start_on)
    out = []
    for i, phase in enumerate(ordered):
        end = ordered[i + 1].start_on if i + 1 < len(ordered) else None
        out.append((phase, [p for p in days if p.on >= phase.start_on and (end is None or p.on < end)]))
    return out


def _slope_per_week(points: list[Point]) -> float | None:
    """Theil-Sen slope per week: on days, or on weekly means for a long phase (module docstring)."""
    if len(points) < 2:
        return None
    if len(points) > DAILY_TREND_LIMIT:
        weeks = weekly(points, how="mean")
        if len(weeks) < 2:
            return None
        first = weeks[0].monday
        return theil_sen([w.value for w in weeks], [(w.monday - first).days / 7 for w in weeks])[0]
    first = points[0].on
    return theil_sen([p.value for p in points], [float((p.on - first).days) for p in points])[0] * 7


def _effect(base: list[Point], phase: PhaseSpan, part: list[Point], improvement: Improvement) -> PhaseEffect:
    a = [p.value for p in base]
    b = [p.value for p in part]
    return PhaseEffect(
        phase=phase.name,
        start_on=phase.start_on,
        n_days=len(b),
        nap=overlap.nap(a, b, improvement),
        tau=overlap.tau(a, b, improvement),
        tau_u=overlap.tau_u(a, b, improvement),
        tau_bc=overlap.tau_bc(a, b, improvement) if len(a) >= 2 else None,
        pnd=overlap.pnd(a, b, improvement),
        pem=overlap.pem(a, b, improvement),
        pand=overlap.pand(a, b, improvement),
        ird=overlap.ird(a, b, improvement),
        level_change=statistics.median(b) - statistics.median(a),
        slope_per_week_before=_slope_per_week(base),
        slope_per_week_after=_slope_per_week(part),
    )


def metric_summary(
    points: Sequence[Point],
    as_of: date,
    *,
    improvement: Improvement = "increase",
    phases: Sequence[PhaseSpan] = (),
    goal: GoalTarget | None = None,
    counts: bool = False,
    label: str = "this measure",
    scale: tuple[float, float] | None = None,
) -> MetricSummary:
    """Analyse one metric up to ``as_of`` (never the clock): see the module docstring for the rules.

    ``points`` may hold several values a day; they are summed for counts and durations
    (``counts=True``) and averaged for ratings. ``scale`` is the metric's possible range (a
    rating's 1-10, a questionnaire's 0-27): the forecast's projection and band are clipped to it;
    counts without a scale are clipped at 0 below. Sources: CLINICAL.md §5 for the effect sizes,
    Theil (1950) and Sen (1968) for trends, and each module's docstring for its rule.
    """
    how: Literal["sum", "mean"] = "sum" if counts else "mean"
    days = daily([p for p in points if p.on <= as_of], how=how)
    weeks = weekly(days, how=how)
    slices = _phase_slices(days, phases)
    base = next((part for phase, part in slices if phase.kind == "baseline"), [])
    base_phase = next((phase for phase, _ in slices if phase.kind == "baseline"), None)
    baseline = None
    if base_phase is not None:
        baseline = summarise_baseline(base, improvement, counts=counts)
    effects = [
        _effect(base, phase, part, improvement)
        for phase, part in slices
        if phase.kind == "intervention" and part and len(base) >= 1
    ]
    now = goal_now(days, as_of, period=goal.period if goal is not None else "day", counts=counts)
    summary = MetricSummary(as_of, days, rolling_mean(days), weeks, baseline, effects, now=now)
    if goal is None:
        return summary
    if goal.period == "week":
        # Only complete weeks (Sunday on or before as_of): a week in progress would count a
        # Monday's single entry as the whole week's total.
        complete = [w for w in weeks if w.week.sunday <= as_of]
        series = [Point(w.monday, w.value) for w in complete]
        since = as_of - timedelta(weeks=FORECAST_WEEKS)
        met = weekly_met(complete, goal.value, goal.comparator)
    else:
        series = days
        since = as_of - timedelta(days=FORECAST_DAYS)
        met = weekly_met(weeks if how == "mean" else weekly(days, how="mean"), goal.value, goal.comparator)
    value_range = scale if scale is not None else ((0.0, math.inf) if counts else None)
    # Weekly totals are stamped by their Monday but cover the whole week, and the newest entry may
    # lie in the week in progress: freshness is judged on those, not on the Monday.
    projection = forecast(
        series,
        goal.value,
        goal.comparator,
        goal.deadline_on,
        as_of,
        since_on=since,
        value_range=value_range,
        point_days=7 if goal.period == "week" else 1,
        latest_entry_on=days[-1].on if days else None,
    )
    start = goal.baseline if goal.baseline is not None else (baseline.mean if baseline else None)
    current = projection.recent
    wins = small_wins(
        as_of,
        logged_days=[p.on for p in days],
        weekly_met=met,
        points=days,
        higher_is_better=improvement == "increase",
        label=label,
    )
    return MetricSummary(
        as_of,
        days,
        summary.rolling,
        weeks,
        baseline,
        effects,
        projection,
        met,
        fraction_of_way(start, current, goal.value) if start is not None and current is not None else None,
        percent_change(start, current) if start is not None and current is not None else None,
        wins,
        now,
    )


@dataclass(frozen=True, slots=True)
class MetricAnalysis:
    """A metric's identity, its labelled points and the pure analysis of them."""

    key: str
    label: str
    kind: str
    unit: str | None
    scale: tuple[float, float] | None
    improvement: Literal["increase", "decrease"]
    labelled: list[tuple[date, float, str]]
    phases: list[PhaseSpan]
    goal_title: str | None
    goal: GoalTarget | None
    summary: MetricSummary
    sudden_gains: list[SuddenGain] = field(default_factory=list)
    review_dates: list[date] = field(default_factory=list)
    #: (day held, GAS level) of each review that scored the goal; charts label review lines with them.
    review_levels: list[tuple[date, int]] = field(default_factory=list)
