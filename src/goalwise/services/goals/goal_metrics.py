"""The metric row a goal's values are logged against: made with the goal, kept in step with revisions.

Decisions recorded here because the issue leaves them open (issue 3, "Goal model"):

* Each goal with a metric gets its own metric row (key ``goal-<id>``) so observations can be
  logged against it. A revision updates that metric in place, unless values were logged and the
  revision changes what they mean (another kind, or another scale for a rating or instrument):
  then a new metric ``goal-<id>-r<revision>`` is made and the old values stay with the old
  metric (DESIGN.md, "Nothing is lost"). The check-in's standard metrics (mood, anxiety, sleep)
  are never reshaped by a goal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from goalwise.core.goal import Direction, GoalDraft
from goalwise.core.metric import MetricKind, MetricSpec
from goalwise.services.measurement.record_store import STANDARD_KEYS
from goalwise.storage.tables import metrics, observations

__all__ = ["metric_keys", "metric_values", "same_values_scale", "sync_metric"]


def metric_values(draft: GoalDraft, metric: MetricSpec) -> dict[str, Any]:
    """The columns of the metric row for the draft's metric (label, kind, unit, period, scale, direction)."""
    bounds = metric.bounds()
    low = high = None
    # Ratings and instruments are checked against their scale when a value is logged; a duration
    # only against its upper end (the minutes in the period). Counts, proportions (value of a
    # denominator) and checklists (0/1) have their own checks in core.observation.
    if metric.kind in (MetricKind.RATING, MetricKind.INSTRUMENT, MetricKind.DURATION) and bounds is not None:
        low, high = bounds
    unit = "minutes" if metric.kind is MetricKind.DURATION else metric.unit
    return {
        "label": (draft.title or "Goal")[:120],
        "kind": metric.kind.value,
        "unit": None if unit is None else unit[:40],
        "period": None if metric.period is None else metric.period.value,
        "scale_min": low,
        "scale_max": high,
        "higher_is_better": draft.direction is not Direction.DECREASE,
    }


def same_values_scale(current: Any, values: Mapping[str, Any]) -> bool:
    """True when values logged against ``current`` still mean the same under ``values``: same kind
    and, for ratings and instruments, the same scale."""
    if current.kind != values["kind"]:
        return False
    if current.kind in (MetricKind.RATING.value, MetricKind.INSTRUMENT.value):
        return bool(current.scale_min == values["scale_min"] and current.scale_max == values["scale_max"])
    return True


def sync_metric(conn: Connection, row: Any, draft: GoalDraft, revision: int, now: datetime) -> int | None:
    """The metric the goal's values are logged against after this revision (see the module docstring)."""
    if draft.metric is None:
        return row.metric_id  # type: ignore[no-any-return]
    values = metric_values(draft, draft.metric)
    if row.metric_id is not None:
        current = conn.execute(select(metrics).where(metrics.c.id == row.metric_id)).first()
        # The check-in's standard metrics are shared; a goal never reshapes them.
        if current is not None and current.key not in STANDARD_KEYS:
            logged = conn.execute(
                select(observations.c.id).where(observations.c.metric_id == current.id).limit(1)
            ).first()
            if logged is None or same_values_scale(current, values):
                conn.execute(update(metrics).where(metrics.c.id == current.id).values(**values))
                return int(current.id)
    key = f"goal-{row.id}" if revision == 1 else f"goal-{row.id}-r{revision}"
    new_id = conn.execute(
        insert(metrics)
        .values(client_id=row.client_id, key=key, created_at=now, **values)
        .returning(metrics.c.id)
    ).scalar_one()
    return int(new_id)


def metric_keys(conn: Connection, ids: Iterable[int | None]) -> dict[int, str]:
    """The key of each metric id given (None skipped), in one query."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = conn.execute(select(metrics.c.id, metrics.c.key).where(metrics.c.id.in_(wanted)))
    return {int(r.id): str(r.key) for r in rows}
