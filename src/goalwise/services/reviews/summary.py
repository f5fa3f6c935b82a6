"""The review summary: what a review looks at, for a client, since the last review (or the start).

Per active or on-hold goal: baseline, the value at the last review, the current value, target and
deadline, trend and forecast, phase effect sizes, small wins, plan steps done and obstacles logged
since, its GAS scale and the level its recent data suggests. Per questionnaire: the first score,
the score at the last review, the current one and the reliable-change category between first and
current (Jacobson & Truax 1991; thresholds as in ``progress``). Alerts raised and acknowledged
since. For a plan review, the needs assessment against the previous one and the question whether
the active goals still fit (``core.reviews.plan``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.reviews.gas_scale import RECENT_DAYS, recent_value, scale_to_dict
from goalwise.core.reviews.plan import compare_needs, goal_set_question
from goalwise.services.accounts import audit, authz
from goalwise.services.cards.card_reading import shaping_in
from goalwise.services.context import Context
from goalwise.services.goals.goal_metrics import metric_keys
from goalwise.services.goals.goal_rows import spec_of
from goalwise.services.goals.needs import assessment_to_dict, history_in
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.services.progress.progress import analyse_metric
from goalwise.services.reviews.due import due_in
from goalwise.services.reviews.gas import scales_of
from goalwise.services.reviews.reviews import reviews_in
from goalwise.services.reviews.suggestion import goal_points, suggested_levels, window_days
from goalwise.storage.tables import alerts, assessments, clients, goal_obstacles, goals, plan_items

__all__ = ["review_summary"]


def _value(spec: Mapping[str, Any], key: str) -> Any:
    raw = spec.get(key)
    return raw.get("value", raw) if isinstance(raw, Mapping) and "value" in raw else raw


def _analysis(ctx: Context, actor: Actor, client_id: int, key: str | None, as_of: date) -> dict[str, Any]:
    if key is None:
        return {}
    try:
        found = analyse_metric(ctx, actor, client_id, key, as_of)
    except NotFound:
        return {}
    summary = found.summary
    forecast = summary.forecast
    return {
        "trend_per_week": None if forecast is None else forecast.slope_per_week,
        "forecast": None if forecast is None else forecast.status,
        "effects": [
            {"phase": e.phase, "nap": e.nap.value, "tau_u": e.tau_u.value, "level_change": e.level_change}
            for e in summary.effects
        ],
        "wins": [{"kind": w.kind, "message": w.message, "on": w.on} for w in summary.wins],
    }


def _work_since(conn: Connection, goal_id: int, since: date) -> dict[str, Any]:
    items = conn.execute(
        select(plan_items.c.kind, plan_items.c.done_at).where(plan_items.c.goal_id == goal_id)
    ).all()
    steps = [i for i in items if i.kind == "step"]
    logged = conn.execute(
        select(goal_obstacles.c.obstacle, goal_obstacles.c.logged_at, goal_obstacles.c.helped).where(
            goal_obstacles.c.goal_id == goal_id
        )
    ).all()
    return {
        "steps_done": sum(1 for s in steps if s.done_at is not None and s.done_at.date() >= since),
        "steps_total": len(steps),
        "steps_open": sum(1 for s in steps if s.done_at is None),
        "obstacles": [
            {"obstacle": o.obstacle, "logged_on": o.logged_at.date(), "helped": o.helped}
            for o in logged
            if o.logged_at.date() >= since
        ],
    }


def _goal(
    conn: Connection, row: Any, scale: Any, suggested: int | None, last: date | None, today: date, since: date
) -> dict[str, Any]:
    spec = spec_of(row.spec)
    points = goal_points(conn, row, today)
    days = window_days(row)
    return {
        "goal_id": int(row.id),
        "title": row.title,
        "status": row.status,
        "baseline": _value(spec, "baseline"),
        "target": spec.get("target"),
        "direction": spec.get("direction"),
        "deadline_on": row.deadline_on,
        "value_at_last_review": None if last is None else recent_value(points, last, days),
        "current_value": recent_value(points, today, days),
        # Both values are means over this window (what the GAS level is suggested from), not the
        # goal page's "now" (one week or the last 7 days): the page says which it shows.
        "recent_window": f"{days // 7}-week mean" if days > RECENT_DAYS else f"{days}-day mean",
        "suggested_level": suggested,
        "gas": scale_to_dict(scale),
        # A daily report card's goal: whether to raise a criterion or replace a mastered target (issue 16).
        "card": shaping_in(conn, int(row.id), today),
        **_work_since(conn, int(row.id), since),
    }


def _reliable_points(ctx: Context, code: str) -> int | None:
    if code == "phq9":
        return ctx.settings.phq9_reliable_change
    if code == "gad7":
        return ctx.settings.gad7_reliable_change
    return instruments.get(code).reliable_change


def _category(change: float, points: int | None, higher_is_better: bool) -> str:
    if points is None:
        return "no published reliable change"
    better = change if higher_is_better else -change
    if better >= points:
        return "reliable improvement"
    if -better >= points:
        return "reliable deterioration"
    return "no reliable change"


def _instruments(ctx: Context, conn: Connection, client_id: int, last: date | None) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(assessments.c.instrument, assessments.c.local_on, assessments.c.total)
        .where(assessments.c.client_id == client_id, assessments.c.total.is_not(None))
        .order_by(assessments.c.at)
    ).all()
    found = []
    for code in sorted({r.instrument for r in rows} & set(instruments.codes())):
        scores = [(r.local_on, float(r.total)) for r in rows if r.instrument == code]
        before = [s for s in scores if last is not None and s[0] <= last]
        first, current = scores[0], scores[-1]
        points = _reliable_points(ctx, code)
        higher = instruments.get(code).higher_is_better
        found.append(
            {
                "instrument": code,
                "first": {"on": first[0], "score": first[1]},
                "at_last_review": {"on": before[-1][0], "score": before[-1][1]} if before else None,
                "current": {"on": current[0], "score": current[1]},
                "reliable_change_points": points,
                "category": _category(current[1] - first[1], points, higher)
                if len(scores) > 1
                else "one score",
            }
        )
    return found


def _alerts(conn: Connection, client_id: int, since: date) -> dict[str, list[dict[str, Any]]]:
    rows = conn.execute(
        select(alerts.c.id, alerts.c.kind, alerts.c.created_at, alerts.c.acknowledged_at).where(
            alerts.c.client_id == client_id
        )
    ).all()
    raised = [r for r in rows if r.created_at.date() >= since]
    acknowledged = [r for r in rows if r.acknowledged_at is not None and r.acknowledged_at.date() >= since]
    return {
        "raised": [{"id": r.id, "kind": r.kind, "at": r.created_at} for r in raised],
        "acknowledged": [{"id": r.id, "kind": r.kind, "at": r.acknowledged_at} for r in acknowledged],
    }


def _needs(ctx: Context, conn: Connection, client_id: int, active: int) -> dict[str, Any]:
    found = history_in(ctx, conn, client_id)
    latest = found[0] if found else None
    previous = found[1] if len(found) > 1 else None
    return {
        "latest": None
        if latest is None
        else {"assessed_on": latest.assessed_on, **assessment_to_dict(latest.assessment)},
        "previous_on": None if previous is None else previous.assessed_on,
        "changes": None
        if latest is None
        else compare_needs(None if previous is None else previous.assessment, latest.assessment),
        "active_goals": active,
        "question": goal_set_question(active),
    }


def review_summary(
    ctx: Context, actor: Actor, client_id: int, *, kind: str = "goals", as_of: date | None = None
) -> dict[str, Any]:
    """The summary a review of ``client_id`` looks at (module docstring), as plain values; the
    ``plan`` kind adds the needs comparison. ``as_of`` defaults to the client's today. Audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        today = as_of or local_now(client_timezone(conn, client_id))
        held = reviews_in(ctx, conn, client_id)
        last = held[-1].held_on if held else None
        rows = conn.execute(
            select(goals)
            .where(goals.c.client_id == client_id, goals.c.status.in_(("active", "on_hold")))
            .order_by(goals.c.id)
        ).all()
        starts = [r.start_on for r in rows if r.start_on is not None]
        since = last or (min(starts) if starts else today)
        scales = scales_of(conn, list(rows))
        suggested = suggested_levels(conn, rows, scales, today)
        keys = metric_keys(conn, (r.metric_id for r in rows))
        goal_items = [
            _goal(conn, r, scales[int(r.id)], suggested[int(r.id)], last, today, since) for r in rows
        ]
        client_row = conn.execute(
            select(clients.c.id, clients.c.timezone).where(clients.c.id == client_id)
        ).all()
        result: dict[str, Any] = {
            "client_id": client_id,
            "as_of": today,
            "since": since,
            "last_review": None
            if not held
            else {"id": held[-1].id, "number": held[-1].number, "held_on": last},
            "reviews_held": len(held),
            "due": [
                {"goal_id": d.goal_id, "due_on": d.due_on, "reason": d.reason, "overdue_days": d.overdue_days}
                for d in due_in(conn, client_row, today)
            ],
            "instruments": _instruments(ctx, conn, client_id, last),
            "alerts": _alerts(conn, client_id, since),
        }
        if kind == "plan":
            result["plan"] = _needs(ctx, conn, client_id, sum(1 for r in rows if r.status == "active"))
        audit.record(conn, actor, "view", "review-summary", None, client_id)
    for item, row in zip(goal_items, rows, strict=True):
        key = keys.get(int(row.metric_id)) if row.metric_id is not None else None
        item.update(_analysis(ctx, actor, client_id, key, today))
    result["goals"] = goal_items
    return result
