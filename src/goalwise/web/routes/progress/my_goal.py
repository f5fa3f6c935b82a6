"""``/my/goals/{goal_id}``: one goal as the client sees it on a phone, and ticking a plan step.

The chart in its phone layout, baseline, trend and forecast in plain words, the plan with steps
to tick, and the obstacles met with the strategies to try. The therapist's page for the same goal
is theirs; this one speaks to the client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.analytics.summary import MetricAnalysis
from goalwise.core.metric import value_unit
from goalwise.core.obstacle import get_obstacle
from goalwise.reports.charts import format_value
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals, obstacles
from goalwise.services.progress import today
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.client_self import goal_chart, own_client

__all__ = ["baseline_words", "router", "trend_words"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
#: A slope smaller than this share of the scale's width a week reads as "about level".
_LEVEL = 0.02


def baseline_words(analysis: MetricAnalysis | None, spec: dict[str, object]) -> str:
    """Where the goal started, in plain words, with the metric's unit ("40 % of conversations")."""
    metric = spec.get("metric")
    # The goal's own words for its unit (the metric's stored unit is cut to 40 characters).
    unit = value_unit(metric.get("kind"), metric.get("unit")) if isinstance(metric, dict) else None
    after = f" {unit}" if unit else ""
    baseline = spec.get("baseline")
    value = baseline.get("value") if isinstance(baseline, dict) else baseline
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"When you started, you were at {format_value(float(value))}{after}."
    summary = analysis.summary.baseline if analysis is not None else None
    if summary is not None and summary.mean is not None:
        mean = format_value(round(summary.mean, 1))
        return f"Before the changes began, your values averaged {mean}{after}."
    return "No starting point is recorded yet; your first values will set it."


def trend_words(analysis: MetricAnalysis | None) -> str:
    """Which way the recent values are heading, and whether that is the way the goal wants."""
    projection = analysis.summary.forecast if analysis is not None else None
    if analysis is None or projection is None or projection.slope_per_week is None:
        return "There are not enough recent values to see a trend yet."
    slope = projection.slope_per_week
    width = (
        (analysis.scale[1] - analysis.scale[0]) if analysis.scale else max(1.0, abs(projection.recent or 1))
    )
    if abs(slope) < _LEVEL * width:
        return "Lately your values have stayed about level."
    rising = slope > 0
    good = rising == (analysis.improvement == "increase")
    way = "up" if rising else "down"
    size = format_value(round(abs(slope), 1))
    verdict = (
        "the direction you want" if good else "not yet the direction you want; that happens, and it can turn"
    )
    return f"Lately your values have been going {way}, by about {size} a week: {verdict}."


@router.get("/my/goals/{goal_id}", response_class=HTMLResponse, openapi_extra=access("client-self"))
def goal_page(request: Request, goal_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's page for one of their goals."""
    own_client(auth)
    goal = goals.get(ctx, auth.actor, goal_id)
    view_day = today.client_day(ctx, auth.actor, goal.client_id)
    card = today.goal_card(ctx, auth.actor, goal, view_day)
    logged = obstacles.list_for_goal(ctx, auth.actor, goal_id)
    met = []
    for entry in logged:
        found = get_obstacle(entry.obstacle_id)
        others = [s.text for s in found.strategies if s.id != entry.strategy_id] if found else []
        met.append((entry, others))
    return page(
        request,
        "my_goal.html",
        card=card,
        chart=goal_chart(goal.client_id, card.analysis, "phone")
        if card.analysis and card.analysis.labelled
        else None,
        plan=goal_plans.get_plan(ctx, auth.actor, goal_id),
        baseline=baseline_words(card.analysis, goal.spec),
        trend=trend_words(card.analysis),
        obstacles_met=met,
    )


@router.post("/my/steps/{item_id}", response_class=HTMLResponse, openapi_extra=access("client-self"))
def tick_step(
    item_id: int,
    ctx: CtxDep,
    auth: AuthDep,
    done: Annotated[str, Form()] = "1",
    back: Annotated[str, Form()] = "goal",
) -> Response:
    """Mark a step of the client's plan done (or, with ``done=0``, open again)."""
    own_client(auth)
    item = goal_plans.mark_done(ctx, auth.actor, item_id, done=done != "0")
    target = "/dashboard" if back == "today" else f"/my/goals/{item.goal_id}"
    return redirect(target, "step-done" if item.done else "step-reopened")
