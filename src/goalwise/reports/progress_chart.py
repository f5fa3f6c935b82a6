"""From a metric's analysis to the chart that shows it (SVG for pages, text for the terminal)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from goalwise.analytics.summary import MetricAnalysis
from goalwise.reports.charts import ChartPoint, ChartSpec, PhaseMark

__all__ = ["LAYOUTS", "chart_spec", "layout_spec", "t_score_chart_spec"]


def chart_spec(analysis: MetricAnalysis) -> ChartSpec:
    """The line chart of ``analysis``: points by band or target status, phases, target, trend,
    the 7-day rolling mean (daily metrics), review dates and sudden gains."""
    weekly = analysis.goal is not None and analysis.goal.period == "week"
    points = tuple(ChartPoint(on, value, label) for on, value, label in analysis.labelled)
    dates = [on for on, _, _ in analysis.labelled]
    gains = tuple(dates[g.post_index] for g in analysis.sudden_gains if g.post_index < len(dates))
    title = analysis.goal_title or analysis.label
    unit = f" ({analysis.unit}{' per week' if weekly else ''})" if analysis.unit else ""
    return ChartSpec(
        title=title,
        points=points,
        y_label=f"{analysis.label}{unit}",
        phases=tuple(PhaseMark(p.name, p.start_on) for p in analysis.phases),
        target=analysis.goal.value if analysis.goal else None,
        target_label="target" if analysis.goal else "",
        rolling_window=7 if analysis.kind != "instrument" and not weekly else None,
        reviews=tuple(analysis.review_dates),
        review_levels=tuple(analysis.review_levels),
        sudden_gains=gains,
        y_range=analysis.scale,
        chart_id=f"chart-{analysis.key}",
    )


#: How a chart may be drawn: ``ChartSpec.layout``.
LAYOUTS = ("page", "phone", "small")


def layout_spec(spec: ChartSpec, layout: str) -> ChartSpec:
    """``spec`` drawn for ``layout``: a phone keeps everything, legend below; a card's thumbnail
    ("small") keeps the points, trend and target only. An unknown layout is the page's."""
    if layout not in LAYOUTS or layout == "page":
        return spec
    spec = dataclasses.replace(spec, layout=layout, chart_id=f"{spec.chart_id}-{layout}")
    if layout == "small":
        spec = dataclasses.replace(spec, rolling_window=None, reviews=(), review_levels=(), phases=())
    return spec


def t_score_chart_spec(scores: Sequence[tuple[date, float, str]], chart_id: str = "chart-gas-t") -> ChartSpec:
    """The GAS T-score of each review (day held, T-score, kind of review) as its own chart: 50 is
    every goal on its expected level (Kiresuk & Sherman 1968), drawn as the reference line."""
    return ChartSpec(
        title="Goal attainment over reviews (GAS T-score)",
        points=tuple(ChartPoint(on, round(score, 1), f"{kind} review") for on, score, kind in scores),
        y_label="GAS T-score",
        target=50.0,
        target_label="expected outcome",
        trend=False,
        reviews=tuple(on for on, _, _ in scores),
        y_range=(min([20.0, *(s - 5 for _, s, _ in scores)]), max([80.0, *(s + 5 for _, s, _ in scores)])),
        chart_id=chart_id,
    )
