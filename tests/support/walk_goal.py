"""A synthetic weekly walking goal with a walk every second day, written straight to the tables.

Family dashboard and share page tests need a goal with weeks of values without going through the
goal services' checks (which other tests cover); one writer keeps their fixtures alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from goalwise.services.context import Context
from goalwise.storage.tables import goals, metrics, observations

__all__ = ["insert_walk_goal"]


def insert_walk_goal(
    ctx: Context, client_id: int, title: str, *, key: str, label: str, days: int, period: str | None
) -> tuple[int, int]:
    """Metric and active goal "at least 3 walks a week", one walk every second day of the last ``days``;
    returns ``(metric_id, goal_id)``. The goal's private definition reads ``PRIVATE-DEFINITION``."""
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        mid = conn.execute(
            insert(metrics)
            .values(
                client_id=client_id,
                key=key,
                label=label,
                kind="count",
                unit="walks",
                period=period,
                higher_is_better=True,
                created_at=now,
            )
            .returning(metrics.c.id)
        ).scalar_one()
        gid = conn.execute(
            insert(goals)
            .values(
                client_id=client_id,
                status="active",
                title=title,
                priority="primary",
                metric_id=mid,
                spec={
                    "title": title,
                    "behaviour": "PRIVATE-DEFINITION",
                    "direction": "increase",
                    "metric": {"kind": "count", "unit": "walks", "period": "week"},
                    "target": {"value": 3, "comparator": ">="},
                },
                revision=1,
                created_at=now,
                updated_at=now,
            )
            .returning(goals.c.id)
        ).scalar_one()
        for back in range(0, days, 2):
            conn.execute(
                insert(observations).values(
                    client_id=client_id,
                    metric_id=mid,
                    value=1.0,
                    at=now - timedelta(days=back),
                    local_on=date.today() - timedelta(days=back),
                    created_at=now,
                )
            )
    return int(mid), int(gid)
