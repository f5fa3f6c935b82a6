"""The level each goal's recent data points to at a review, for the therapist to confirm or change.

A goal's values are its metric's observations (the current ones, not those an edit replaced) or,
for a goal on a questionnaire, the questionnaire's totals. A goal whose target is per week is
compared week by week: its complete weeks' totals (counts, minutes, checklists) or means, dated on
their Monday, over the last three weeks (so the last two complete weeks count); a daily goal's
values over the last two weeks (``core.reviews.gas_scale.suggest_level``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from goalwise.analytics.aggregate import How, Point, daily, weekly
from goalwise.core.reviews.gas_scale import RECENT_DAYS, GasScale, suggest_level
from goalwise.services.goals.goal_rows import spec_of
from goalwise.services.measurement.observations import ON_SCALE
from goalwise.storage.tables import assessments, observations

__all__ = ["goal_points", "suggested_levels"]

_SUMMED = ("count", "duration", "checklist")
_WEEKLY_DAYS = 21


def _metric(row: Any) -> dict[str, Any]:
    metric = spec_of(row.spec).get("metric")
    return dict(metric) if isinstance(metric, Mapping) else {}


def _raw_points(conn: Connection, row: Any) -> list[Point]:
    metric = _metric(row)
    if metric.get("kind") == "instrument" and metric.get("instrument"):
        found = conn.execute(
            select(assessments.c.local_on, assessments.c.total).where(
                assessments.c.client_id == row.client_id,
                assessments.c.instrument == metric["instrument"],
                assessments.c.total.is_not(None),
            )
        ).all()
        return [Point(r.local_on, float(r.total)) for r in found]
    if row.metric_id is None:
        return []
    found = conn.execute(
        select(observations.c.local_on, ON_SCALE).where(
            observations.c.metric_id == row.metric_id, observations.c.superseded_at.is_(None)
        )
    ).all()
    return [Point(r.local_on, float(r.value)) for r in found]


def goal_points(conn: Connection, row: Any, as_of: date) -> list[tuple[date, float]]:
    """The goal's values up to ``as_of`` on the scale of its target: complete weeks' values (dated on
    Monday) for a weekly goal, else one value per day."""
    metric = _metric(row)
    how: How = "sum" if metric.get("kind") in _SUMMED else "mean"
    points = [p for p in _raw_points(conn, row) if p.on <= as_of]
    if metric.get("period") == "week":
        weeks = weekly(points, how)
        return [(w.monday, w.value) for w in weeks if w.monday + timedelta(days=6) <= as_of]
    return [(p.on, p.value) for p in daily(points, how)]


def window_days(row: Any) -> int:
    """How far back "recent" reaches for the goal: three weeks of weekly values, else two weeks."""
    return _WEEKLY_DAYS if _metric(row).get("period") == "week" else RECENT_DAYS


def suggested_levels(
    conn: Connection, rows: Sequence[Any], scales: Mapping[int, GasScale], as_of: date
) -> dict[int, int | None]:
    """The suggested GAS level of each goal row on ``as_of`` (None: no recent data or no ranges)."""
    return {
        int(row.id): suggest_level(
            scales[int(row.id)], goal_points(conn, row, as_of), as_of, window_days(row)
        )
        for row in rows
    }
