"""What the caseload shows beside each client: the latest PHQ-9 and GAD-7, and which goals are off track.

Both are read for every linked client in a fixed number of queries. A questionnaire's state is the
latest counted total, its band (the instrument's default scheme) and the reliable-change category of
first against latest score, with the same points as the client's outcome (``services.progress.outcomes``).
A goal is off track when its forecast says so (``analytics.forecast``); the forecast reads only the
last weeks of data, so only those are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from goalwise.analytics.aggregate import Point
from goalwise.analytics.summary import FORECAST_DAYS, FORECAST_WEEKS, metric_summary
from goalwise.config import Settings
from goalwise.core import instruments
from goalwise.core.instruments import counted_total
from goalwise.core.metric import value_range
from goalwise.services.measurement.observations import ON_SCALE
from goalwise.services.progress.progress import _goal_target
from goalwise.storage.tables import assessments, goals, metrics, observations

__all__ = ["ScoreState", "latest_scores", "off_track_goals"]

# The forecast's window plus a week, so the week in progress and the 7-day mean both have their data.
_WINDOW = timedelta(days=max(FORECAST_DAYS, 7 * FORECAST_WEEKS) + 14)


@dataclass(frozen=True, slots=True)
class ScoreState:
    """A questionnaire's latest score on the caseload."""

    instrument: str
    name: str
    latest: int
    latest_on: date
    band: str
    change: int | None
    category: str  # "reliable improvement", "reliable deterioration", "no reliable change", "first score"

    @property
    def deteriorated(self) -> bool:
        """True when the latest score is reliably worse than the first."""
        return self.category == "reliable deterioration"


def _state(code: str, totals: list[tuple[date, float]], reliable: int) -> ScoreState:
    instrument = instruments.get(code)
    first, (latest_on, latest) = counted_total(totals[0][1]), totals[-1]
    now = counted_total(latest)
    band = instrument.bands[0]
    for candidate in instrument.bands:
        if candidate.contains(now):
            band = candidate
    if len(totals) < 2:
        return ScoreState(code, instrument.abbreviation, now, latest_on, band.label, None, "first score")
    change = now - first
    if change >= reliable:
        category = "reliable deterioration"
    elif change <= -reliable:
        category = "reliable improvement"
    else:
        category = "no reliable change"
    return ScoreState(code, instrument.abbreviation, now, latest_on, band.label, change, category)


def _first_and_latest(client_ids: Sequence[int]) -> Select[Any]:
    """Each client's PHQ-9 and GAD-7 rows of their first and latest day only, by time.

    The first and latest days come from the (client, instrument, day) index, so a caseload of two
    years of fortnightly scores reads two or three rows per client and questionnaire, not fifty.
    """
    a = assessments.c
    days = (
        select(a.client_id, a.instrument, func.min(a.local_on).label("lo"), func.max(a.local_on).label("hi"))
        .where(a.client_id.in_(client_ids), a.instrument.in_(("phq9", "gad7")))
        .group_by(a.client_id, a.instrument)
        .subquery()
    )
    on_day = or_(a.local_on == days.c.lo, a.local_on == days.c.hi)
    return (
        select(a.client_id, a.instrument, a.local_on, a.total)
        .join(days, and_(a.client_id == days.c.client_id, a.instrument == days.c.instrument, on_day))
        .order_by(a.at, a.id)
    )


def latest_scores(
    conn: Connection, client_ids: Sequence[int], settings: Settings
) -> dict[int, dict[str, ScoreState]]:
    """Each client's PHQ-9 and GAD-7 state (lower is better on both), by client id and code."""
    series: dict[tuple[int, str], list[tuple[date, float]]] = {}
    for r in conn.execute(_first_and_latest(client_ids)):
        series.setdefault((int(r.client_id), r.instrument), []).append((r.local_on, float(r.total)))
    reliable = {"phq9": settings.phq9_reliable_change, "gad7": settings.gad7_reliable_change}
    found: dict[int, dict[str, ScoreState]] = {}
    for (client_id, code), totals in series.items():
        found.setdefault(client_id, {})[code] = _state(code, totals, reliable[code])
    return found


def _goal_rows(conn: Connection, client_ids: Sequence[int]) -> list[Any]:
    return list(
        conn.execute(
            select(goals, metrics.c.kind, metrics.c.higher_is_better)
            .add_columns(metrics.c.scale_min, metrics.c.scale_max)
            .join(metrics, metrics.c.id == goals.c.metric_id)
            .where(goals.c.client_id.in_(client_ids), goals.c.status == "active")
        ).all()
    )


def off_track_goals(
    conn: Connection, client_ids: Sequence[int], today: dict[int, date]
) -> dict[int, list[str]]:
    """Titles of each client's active goals whose forecast is off track, as of the client's own today."""
    rows = _goal_rows(conn, client_ids)
    if not rows:
        return {}
    since = min(today.values()) - _WINDOW
    points: dict[int, list[Point]] = {}
    for o in conn.execute(
        select(observations.c.metric_id, observations.c.local_on, ON_SCALE)
        .where(
            observations.c.metric_id.in_([r.metric_id for r in rows]),
            observations.c.superseded_at.is_(None),
            observations.c.local_on >= since,
        )
        .order_by(observations.c.at)
    ):
        points.setdefault(int(o.metric_id), []).append(Point(o.local_on, float(o.value)))
    found: dict[int, list[str]] = {}
    for r in rows:
        target = _goal_target(r)
        if target is None:
            continue
        scale = value_range(r.kind, r.scale_min, r.scale_max)
        summary = metric_summary(
            points.get(int(r.metric_id), []),
            today[int(r.client_id)],
            improvement="increase" if r.higher_is_better else "decrease",
            goal=target,
            counts=r.kind in ("count", "duration", "checklist"),
            scale=scale,
        )
        if summary.forecast is not None and summary.forecast.status == "off_track":
            found.setdefault(int(r.client_id), []).append(r.title)
    return found
