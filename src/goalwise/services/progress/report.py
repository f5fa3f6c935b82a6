"""Gathering a client's progress report: goals, charts, questionnaire outcomes, the last review.

The values go into ``analytics.report.ProgressReport``; ``reports/pdf.py`` draws them. The
outcome statements use the rules of ``services/progress/outcomes.py`` on the first and latest score
inside the report's period: reliable change by the NHS Talking Therapies points from the settings
(PHQ-9 6, GAD-7 4; CLINICAL.md §3.3), PHQ-9 response (a fall of 50% or more from 10 or more;
NQF 1884/1885) and remission (below 5, from a first score of 10 or more; CMS159).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from goalwise.analytics.change import iapt_outcome, phq9_remission, phq9_response
from goalwise.analytics.report import (
    GoalLine,
    MilestoneDone,
    ObstacleLine,
    OutcomeLine,
    ProgressReport,
    ReviewLine,
    Verdict,
)
from goalwise.analytics.summary import MetricAnalysis
from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.metric import value_unit
from goalwise.core.obstacle import get_obstacle
from goalwise.services.accounts import audit, authz
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals, obstacles
from goalwise.services.progress.progress import analyse_metric, local_today
from goalwise.services.reviews import reviews as review_service

__all__ = ["DEFAULT_DAYS", "INSTRUMENTS", "progress_report"]

DEFAULT_DAYS = 90
INSTRUMENTS = ("phq9", "gad7")
_NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7"}


def _period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise InvalidInput(
            [
                Problem(
                    "report-period",
                    "from",
                    f"The period starts on {start} and ends on {end}, before it starts.",
                    "Give a --from date on or before the --to date.",
                )
            ]
        )
    return start, end


def _clip(analysis: MetricAnalysis, start: date) -> MetricAnalysis:
    """The analysis with only the period's points, phases and review dates charted (the analysis
    itself keeps its history); the phase in effect when the period starts is drawn from its start."""
    before = [p for p in analysis.phases if p.start_on < start]
    phases = [dataclasses.replace(before[-1], start_on=start)] if before else []
    return dataclasses.replace(
        analysis,
        labelled=[p for p in analysis.labelled if p[0] >= start],
        phases=phases + [p for p in analysis.phases if p.start_on >= start],
        review_dates=[d for d in analysis.review_dates if d >= start],
        review_levels=[(d, level) for d, level in analysis.review_levels if d >= start],
    )


def _analysis(ctx: Context, actor: Actor, client_id: int, key: str, end: date) -> MetricAnalysis | None:
    try:
        return analyse_metric(ctx, actor, client_id, key, as_of=end)
    except NotFound:
        return None  # nothing logged yet for this metric


def _number(value: Any) -> float | None:
    inner = value.get("value") if isinstance(value, dict) else value
    return float(inner) if isinstance(inner, int | float) and not isinstance(inner, bool) else None


def _obstacle_line(obstacle_id: str, strategy_id: str, helped: bool | None) -> ObstacleLine:
    found = get_obstacle(obstacle_id)
    name = found.name if found else obstacle_id
    strategy = next((s.text for s in found.strategies if s.id == strategy_id), None) if found else None
    own = "their own strategy" if strategy_id == "own" else strategy_id
    return ObstacleLine(name, strategy or own, helped)


def _goal_lines(
    ctx: Context, actor: Actor, client_id: int, start: date, end: date, charts: bool
) -> list[GoalLine]:
    lines = []
    for goal in goals.list_goals(ctx, actor, client_id):
        if goal.status == "revised":  # replaced by its newer revision
            continue
        spec = goal.spec
        target = spec.get("target")
        metric: dict[str, Any] = spec["metric"] if isinstance(spec.get("metric"), dict) else {}
        analysis = _analysis(ctx, actor, client_id, goal.metric_key, end) if goal.metric_key else None
        summary = analysis.summary if analysis else None
        # The same "now" as every page (analytics.now): a weekly target's last full week, not a day.
        now = summary.now if summary and summary.daily else None
        current = now.value if now is not None else None
        current_label = now.detail() if now is not None else ""
        plan = goal_plans.get_plan(ctx, actor, goal.id)
        done = tuple(
            MilestoneDone(i.title, i.done_on)
            for i in plan.items
            if i.kind == "milestone" and i.done_on is not None and start <= i.done_on <= end
        )
        logged = obstacles.list_for_goal(ctx, actor, goal.id)
        lines.append(
            GoalLine(
                title=goal.title,
                status=goal.status.replace("_", " "),
                baseline=_number(spec.get("baseline")),
                current=current,
                target=_number(target),
                comparator=target.get("comparator") if isinstance(target, dict) else None,
                unit=value_unit(metric.get("kind"), metric.get("unit")),
                deadline_on=goal.deadline_on,
                progress=summary.progress_fraction if summary else None,
                milestones_done=done,
                obstacles=tuple(_obstacle_line(o.obstacle_id, o.strategy_id, o.helped) for o in logged),
                analysis=_clip(analysis, start) if analysis and charts else None,
                current_label=current_label,
            )
        )
    return lines


def _outcome(ctx: Context, code: str, analysis: MetricAnalysis, start: date) -> OutcomeLine | None:
    points = [(on, value) for on, value, _ in analysis.labelled if on >= start]
    if len(points) < 2:
        return None
    (first_on, first), (latest_on, latest) = points[0], points[-1]
    points_needed = ctx.settings.phq9_reliable_change if code == "phq9" else ctx.settings.gad7_reliable_change
    # one total for every label: a prorated score is judged on its counted total, as its band is
    change = instruments.counted_total(latest) - instruments.counted_total(first)
    verdict: Verdict = (
        "reliable improvement"
        if change <= -points_needed
        else "reliable deterioration"
        if change >= points_needed
        else "no reliable change"
    )
    return OutcomeLine(_NAMES[code], first, first_on, latest, latest_on, change, points_needed, verdict)


def _pair(ctx: Context, phq: OutcomeLine | None, gad: OutcomeLine | None) -> str | None:
    if phq is None or gad is None:
        return None
    s = ctx.settings
    found = iapt_outcome(
        phq.first,
        phq.latest,
        gad.first,
        gad.latest,
        phq9_reliable=s.phq9_reliable_change,
        gad7_reliable=s.gad7_reliable_change,
        phq9_caseness=s.phq9_caseness,
        gad7_caseness=s.gad7_caseness,
    )
    if found.reliable_recovery:
        return "reliable recovery"
    if found.recovery:
        return "recovery"
    if found.reliable_improvement:
        return "reliable improvement"
    return "reliable deterioration" if found.reliable_deterioration else "no reliable change"


def _reviews(
    ctx: Context, actor: Actor, client_id: int, start: date, end: date
) -> tuple[ReviewLine | None, tuple[tuple[date, float, str], ...]]:
    """The last review held by ``end`` (``services/reviews``) with its notes, and the T-scores of
    the reviews held in the period."""
    held = [r for r in review_service.list_reviews(ctx, actor, client_id) if r.held_on <= end]
    scores = tuple(
        (r.held_on, r.t_score, r.kind) for r in held if r.held_on >= start and r.t_score is not None
    )
    if not held:
        return None, scores
    last = review_service.get_review(ctx, actor, held[-1].id)  # the list leaves the notes out
    return ReviewLine(last.number, last.held_on, last.t_score, last.notes), scores


def progress_report(
    ctx: Context,
    actor: Actor,
    client_id: int,
    *,
    start: date | None = None,
    end: date | None = None,
    summary: bool = False,
) -> ProgressReport:
    """The client's progress report from ``start`` to ``end`` (default: the last 90 days to today in
    the client's time zone); ``summary`` leaves out the charts for the one-page session summary.
    The actor must be able to read the client's records (``NotFound`` otherwise); the report is audited.
    """
    client = clients.get_client(ctx, actor, client_id)
    start, end = _period(start, end, local_today(client.timezone))
    goal_lines = _goal_lines(ctx, actor, client_id, start, end, charts=not summary)
    analyses = {code: _analysis(ctx, actor, client_id, code, end) for code in INSTRUMENTS}
    found = {code: _outcome(ctx, code, a, start) for code, a in analyses.items() if a is not None}
    phq, gad = found.get("phq9"), found.get("gad7")
    last_review, t_scores = _reviews(ctx, actor, client_id, start, end)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        audit.record(conn, actor, "export", "progress-report", "summary" if summary else "full", client_id)
    return ProgressReport(
        client_name=client.name,
        period_from=start,
        period_to=end,
        therapists=tuple(name for name, _ in clients.therapists_of(ctx, actor, client_id)),
        goals=tuple(goal_lines),
        instruments=tuple(_clip(a, start) for a in analyses.values() if a is not None and not summary),
        outcomes=tuple(o for o in (phq, gad) if o is not None),
        phq9_response=phq9_response(phq.first, phq.latest) if phq else None,
        phq9_remission=phq9_remission(phq.latest) if phq and phq.first >= 10 else None,
        pair=_pair(ctx, phq, gad),
        last_review=last_review,
        t_scores=t_scores if not summary else (),
        summary=summary,
    )
