"""Progress of one metric for one client: the data behind charts, reviews and dashboards.

A metric is either a logged metric (mood, a goal's count, ...) or an instrument (``phq9``,
``gad7``, ...), whose points are the questionnaire totals with their severity band. The
analysis itself is pure (``goalwise.analytics.summary``); this module only loads the data, in a
fixed number of queries, after checking that the actor may read the client's records.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select

from goalwise.analytics.aggregate import Point
from goalwise.analytics.sudden_gain import SuddenGain, sudden_gains
from goalwise.analytics.summary import GoalTarget, MetricAnalysis, MetricSummary, PhaseSpan, metric_summary
from goalwise.analytics.target import meets
from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.metric import value_range
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.observations import ON_SCALE
from goalwise.storage import client_repo
from goalwise.storage.tables import assessments, goals, metrics, observations, phases, review_goals
from goalwise.storage.tables import reviews as reviews_table

__all__ = ["MetricAnalysis", "analyse_metric", "local_today"]


def local_today(timezone: str) -> date:
    """Today in the client's time zone (shells call this; analytics take ``as_of``)."""
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo(timezone)).date()


def _goal_target(row: Any) -> GoalTarget | None:
    spec = row.spec if isinstance(row.spec, dict) else {}
    target = spec.get("target")
    value = target.get("value") if isinstance(target, dict) else target
    comparator = target.get("comparator") if isinstance(target, dict) else None
    if not isinstance(value, int | float) or row.deadline_on is None:
        return None
    direction = spec.get("direction")
    comparator = comparator or ("<=" if direction == "decrease" else ">=")
    metric = spec.get("metric") if isinstance(spec.get("metric"), dict) else {}
    period = "week" if metric.get("period") == "week" else "day"
    baseline = spec.get("baseline")
    base_value = baseline.get("value") if isinstance(baseline, dict) else baseline
    return GoalTarget(
        float(value),
        comparator,
        row.deadline_on,
        period,  # type: ignore[arg-type]
        float(base_value) if isinstance(base_value, int | float) else None,
    )


def _labelled(summary: MetricSummary, goal: GoalTarget | None) -> list[tuple[date, float, str]]:
    """Points to chart, on the target's own scale: weekly totals for a weekly target, else days."""
    if goal is None:
        return [(p.on, p.value, "") for p in summary.daily]
    if goal.period == "week":
        met = dict(summary.weeks_met)
        return [
            (
                w.monday,
                w.value,
                "week in progress" if w.week not in met else "met" if met[w.week] else "not met",
            )
            for w in summary.weeks
        ]
    return [
        (p.on, p.value, "met" if meets(p.value, goal.value, goal.comparator) else "not met")
        for p in summary.daily
    ]


def _reliable_points(ctx: Context, instrument: instruments.Instrument) -> int | None:
    """Reliable-change points: settings for PHQ-9 and GAD-7 (NHS Talking Therapies), else the instrument's."""
    if instrument.code == "phq9":
        return ctx.settings.phq9_reliable_change
    if instrument.code == "gad7":
        return ctx.settings.gad7_reliable_change
    return instrument.reliable_change


def _instrument(
    conn: Any, client_id: int, code: str
) -> tuple[list[tuple[date, float, str]], list[float], list[int | None]]:
    rows = conn.execute(
        select(assessments.c.local_on, assessments.c.total, assessments.c.severity, assessments.c.session_no)
        .where(assessments.c.client_id == client_id, assessments.c.instrument == code)
        .order_by(assessments.c.at)
    ).all()
    labelled = [(r.local_on, float(r.total), r.severity) for r in rows]
    return labelled, [float(r.total) for r in rows], [r.session_no for r in rows]


def _gains(totals: list[float], sessions: list[int | None], reliable: int, higher: bool) -> list[SuddenGain]:
    """Sudden gains by session number, so that a session without a score is a gap no gain spans
    (Tang & DeRubeis 1999). As in ``session_scores``, scores given between sessions are left out
    and the last score of a session counts; with no session numbers at all, the scores are taken
    as consecutive sessions. ``post_index`` still points at the post-gain score in ``totals``.
    """
    if all(s is None for s in sessions):
        return sudden_gains(totals, reliable, higher_is_better=higher)
    last: dict[int, int] = {}
    for position, session in enumerate(sessions):
        if session is not None:
            last[session] = position
    numbers = sorted(last)
    positions = [last[n] for n in numbers]
    found = sudden_gains([totals[p] for p in positions], reliable, higher_is_better=higher, sessions=numbers)
    return [dataclasses.replace(g, session_index=positions[g.session_index + 1] - 1) for g in found]


def _review_levels(ctx: Context, goal_id: int) -> list[tuple[date, int]]:
    """(day held, GAS level) of each review that scored the goal, oldest first."""
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(reviews_table.c.held_on, review_goals.c.gas_level)
            .join(reviews_table, reviews_table.c.id == review_goals.c.review_id)
            .where(review_goals.c.goal_id == goal_id)
            .order_by(reviews_table.c.held_on)
        ).all()
    return [(r.held_on, int(r.gas_level)) for r in rows]


def analyse_metric(
    ctx: Context, actor: Actor, client_id: int, key: str, as_of: date | None = None
) -> MetricAnalysis:
    """Load and analyse one metric; ``NotFound`` for an unknown metric or a client the actor may not see."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        client = client_repo.get_client(conn, client_id)
        assert client is not None
        as_of = as_of or local_today(client.timezone)
        spans = [
            PhaseSpan(r.name, r.kind, r.start_on)
            for r in conn.execute(
                select(phases).where(phases.c.client_id == client_id).order_by(phases.c.start_on)
            )
        ]
        if key in instruments.codes():
            instrument = instruments.get(key)
            labelled, totals, session_numbers = _instrument(conn, client_id, key)
            if not labelled:
                raise NotFound(f"no {instrument.name} scores yet for client {client_id}")
            improvement: Literal["increase", "decrease"] = (
                "increase" if instrument.higher_is_better else "decrease"
            )
            reliable = _reliable_points(ctx, instrument)
            # Tang & DeRubeis need an absolute threshold; without a published reliable change for
            # the instrument there is none to use, so no sudden gains are reported for it.
            gains = (
                _gains(totals, session_numbers, reliable, instrument.higher_is_better)
                if reliable is not None and len(totals) >= 4
                else []
            )
            summary = metric_summary(
                [Point(d, v) for d, v, _ in labelled],
                as_of,
                improvement=improvement,
                phases=spans,
                label=instrument.name,
                scale=(float(instrument.min_total), float(instrument.max_total)),
            )
            audit.record(conn, actor, "view", "progress", key, client_id)
            return MetricAnalysis(
                key,
                instrument.name,
                "instrument",
                "score",
                (float(instrument.min_total), float(instrument.max_total)),
                improvement,
                labelled,
                spans,
                None,
                None,
                summary,
                gains,
            )
        metric = conn.execute(
            select(metrics).where(metrics.c.client_id == client_id, metrics.c.key == key)
        ).first()
        if metric is None:
            # Worded for every shell (the CLI names its listing command before it gets here).
            raise NotFound(
                f"client {client_id} has no metric {key!r:.40} with values; chart one of the client's "
                "metrics or a questionnaire code such as phq9"
            )
        rows = conn.execute(
            select(observations.c.local_on, ON_SCALE)
            .where(observations.c.metric_id == metric.id, observations.c.superseded_at.is_(None))
            .order_by(observations.c.at)
        ).all()
        goal_row = conn.execute(
            select(goals)
            .where(goals.c.client_id == client_id, goals.c.metric_id == metric.id)
            .order_by(goals.c.status != "active", goals.c.id.desc())
        ).first()
        audit.record(conn, actor, "view", "progress", key, client_id)
    improvement = "increase" if metric.higher_is_better else "decrease"
    goal = _goal_target(goal_row) if goal_row is not None else None
    counts = metric.kind in ("count", "duration", "checklist")
    summary = metric_summary(
        [Point(r.local_on, float(r.value)) for r in rows],
        as_of,
        improvement=improvement,
        phases=spans,
        goal=goal,
        counts=counts,
        label=metric.label,
        scale=value_range(metric.kind, metric.scale_min, metric.scale_max),
    )
    labelled = _labelled(summary, goal)
    scale = value_range(metric.kind, metric.scale_min, metric.scale_max)
    reviews: list[date] = []
    levels: list[tuple[date, int]] = []
    if goal_row is not None:
        levels = _review_levels(ctx, int(goal_row.id))
    if levels:
        reviews = [day for day, _ in levels]
    elif goal_row is not None and goal_row.start_on and goal_row.review_every_weeks:
        day = goal_row.start_on + timedelta(weeks=goal_row.review_every_weeks)
        while day <= as_of:
            reviews.append(day)
            day += timedelta(weeks=goal_row.review_every_weeks)
    return MetricAnalysis(
        key,
        metric.label,
        metric.kind,
        metric.unit,
        scale,
        improvement,
        labelled,
        spans,
        goal_row.title if goal_row is not None else None,
        goal,
        summary,
        [],
        reviews,
        levels,
    )
