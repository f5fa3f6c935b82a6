"""The baseline summary of each metric, from the observations of the client's baseline phase.

The baseline phase is the latest phase of kind ``baseline`` that started on or before
``as_of``; it runs until the next phase starts (or up to ``as_of`` while it lasts). Each metric's
current (not superseded) observations in that window are summarised by
``analytics.baseline.summarise_baseline``: n, mean, median, SD, the weekly rate for counts,
the Theil-Sen slope, and a verdict in plain words, e.g. "too short: 4 more days needed"
(CLINICAL.md §5.1; issue 4, "Phases and baseline"). Proportions are summarised in percent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, select

from goalwise.analytics.aggregate import Point
from goalwise.analytics.baseline import BaselineSummary, summarise_baseline
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.core.measurement.phase import Phase
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.phases import phase_spans, read_phases
from goalwise.services.measurement.record_store import (
    MetricInfo,
    client_timezone,
    list_metric_infos,
    local_now,
    unknown_metric,
)
from goalwise.storage.tables import observations

__all__ = ["NO_BASELINE", "BaselineReport", "MetricBaseline", "show"]


@dataclass(frozen=True, slots=True)
class MetricBaseline:
    """One metric's baseline summary."""

    metric: MetricInfo
    summary: BaselineSummary


@dataclass(frozen=True, slots=True)
class BaselineReport:
    """The baseline phase, the window summarised (``start_on``..``end_on``) and each metric's summary.

    ``days_so_far`` counts the window's days; ``planned_days`` is the phase's plan. Without a
    baseline phase, ``phase`` is None, ``metrics`` is empty and ``message`` says how to start one.
    """

    phase: Phase | None
    start_on: date | None
    end_on: date | None
    days_so_far: int
    planned_days: int | None
    metrics: tuple[MetricBaseline, ...]
    message: str = ""


#: What a report without a baseline phase says (a normal state for a new client, not an error).
NO_BASELINE = (
    "No baseline phase yet: start one with `goalwise phase start Baseline --baseline --client ID` "
    "(or POST /api/v1/clients/{client_id}/phases with baseline true)."
)


def show(
    ctx: Context, actor: Actor, client_id: int, *, metric: str | None = None, as_of: date | None = None
) -> BaselineReport:
    """Summarise the baseline of every metric of the client (or only ``metric``) as of ``as_of``.

    ``as_of`` defaults to today in the client's time zone. Without a baseline phase the report is
    empty and its ``message`` names the command that starts one. Raises ``InvalidInput`` for an
    unknown metric. The view is audited.
    """
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        today = as_of or local_now(client_timezone(conn, client_id))
        spans = [s for s in phase_spans(read_phases(conn, client_id)) if s.phase.start_on <= today]
        baselines = [s for s in spans if s.phase.kind == "baseline"]
        if not baselines:
            return BaselineReport(None, None, None, 0, None, (), NO_BASELINE)
        span = baselines[-1]
        end = min(span.end_on, today) if span.end_on is not None else today
        infos = list_metric_infos(conn, client_id)
        if metric is not None:
            chosen = [m for m in infos if m.key == metric]
            if not chosen:
                raise InvalidInput([unknown_metric(conn, client_id, metric)])
        else:
            chosen = [m for m in infos if m.id is not None]
        points = _points(
            conn, client_id, [m.id for m in chosen if m.id is not None], span.phase.start_on, end
        )
        audit.record(conn, actor, "view", "baseline", span.phase.id, client_id)
    days = (end - span.phase.start_on).days + 1
    summaries = tuple(
        MetricBaseline(
            m,
            summarise_baseline(
                points.get(m.id or -1, []),
                "increase" if m.higher_is_better else "decrease",
                counts=m.kind == "count",
                days=days,
            ),
        )
        for m in chosen
    )
    return BaselineReport(span.phase, span.phase.start_on, end, days, span.phase.planned_days, summaries)


def _points(
    conn: Connection, client_id: int, metric_ids: list[int], start: date, end: date
) -> dict[int, list[Point]]:
    """Current observations of ``metric_ids`` on local days ``start``..``end`` as points (one query)."""
    found: dict[int, list[Point]] = defaultdict(list)
    if not metric_ids or end < start:
        return found
    query = (
        select(
            observations.c.metric_id,
            observations.c.local_on,
            observations.c.value,
            observations.c.denominator,
        )
        .where(
            observations.c.client_id == client_id,
            observations.c.metric_id.in_(metric_ids),
            observations.c.superseded_at.is_(None),
            observations.c.local_on >= start,
            observations.c.local_on < end + timedelta(days=1),
        )
        .order_by(observations.c.at, observations.c.id)
    )
    for row in conn.execute(query):
        value = row.value if row.denominator is None else row.value / row.denominator * 100.0
        found[row.metric_id].append(Point(row.local_on, float(value)))
    return found
