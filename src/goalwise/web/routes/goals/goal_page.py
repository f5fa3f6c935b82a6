"""``/clients/{client_id}/goals/{goal_id}``: one goal, and revising it, changing its status and its GAS scale.

The page shows the chart (``progress.analyse_metric`` drawn by ``reports.embed``) with its data
table, baseline, now and target, the forecast, phases, the plan's next step, obstacles logged, the
Goal Attainment Scale and every revision with who (by name), when and why. Each change is a form
whose problems show beside its fields; nothing is stored when there is one.
"""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.lifecycle import TRANSITIONS, parse_status
from goalwise.core.reviews.gas_scale import LEVEL_NAMES
from goalwise.reports.charts import default_description
from goalwise.reports.progress_chart import chart_spec
from goalwise.services.accounts import authz
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goal_history, goal_plans, goals, obstacles
from goalwise.services.progress.progress import analyse_metric
from goalwise.services.reviews import gas
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.goals.goal_form import draft_from_form, form_from_draft, problems_by_group
from goalwise.web.routes.progress.chart_image import chart_url

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
STATUS_WORDS = {
    "proposed": "proposed",
    "active": "active",
    "on_hold": "on hold",
    "achieved": "achieved",
    "revised": "replaced by a revised goal",
    "discontinued": "discontinued",
}


def _goal(ctx: Context, auth: Auth, client_id: int, goal_id: int) -> goals.Goal:
    goal = goals.get(ctx, auth.actor, goal_id)
    if goal.client_id != client_id:
        raise NotFound(f"goal {goal_id} was not found")
    return goal


def _chart(ctx: Context, auth: Auth, goal: goals.Goal) -> dict[str, Any]:
    """The analysis, and the chart as an image of its own (drawn once and kept: ``chart_image``) with
    its text alternative; the page's table holds the last 12 weeks (every value is on the values page)."""
    none: dict[str, Any] = {"analysis": None, "chart": None, "weeks": []}
    if goal.metric_key is None:
        return none
    try:
        analysis = analyse_metric(ctx, auth.actor, goal.client_id, goal.metric_key)
    except NotFound:
        return none
    if not analysis.labelled:
        return none | {"analysis": analysis}
    spec = chart_spec(analysis)
    alt = f"{spec.title}. {spec.description or default_description(spec)}"
    chart = {"src": chart_url(goal.client_id, goal.metric_key), "alt": alt}
    return {"analysis": analysis, "chart": chart, "weeks": analysis.summary.weeks[-12:]}


def render_goal(
    request: Request,
    ctx: Context,
    auth: Auth,
    client_id: int,
    goal_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """The goal page; ``extra`` carries a refused form's values and problems."""
    goal = _goal(ctx, auth, client_id, goal_id)
    current = parse_status(goal.status)
    nexts = sorted(s.value for s in TRANSITIONS[current]) if current is not None else []
    client = clients.get_client(ctx, auth.actor, client_id)
    zone = ZoneInfo(client.timezone)
    context: dict[str, Any] = {
        "client": client,
        "local_time": lambda at: at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "goal": goal,
        "status_words": STATUS_WORDS,
        "next_statuses": [s for s in nexts if s != "revised"],
        "history": goal_history.named_history(ctx, auth.actor, goal_id),
        "plan": goal_plans.get_plan(ctx, auth.actor, goal_id),
        "obstacles": obstacles.list_for_goal(ctx, auth.actor, goal_id),
        "gas": gas.get_scale(ctx, auth.actor, goal_id).scale,
        "level_names": LEVEL_NAMES,
        "values": form_from_draft(goal.spec),
        "revise_problems": {},
        "status_problems": [],
        "gas_problems": [],
        **_chart(ctx, auth, goal),
    }
    context.update(extra)
    return page(request, "goal.html", status_code=status_code, **context)


@router.get(
    "/clients/{client_id}/goals/{goal_id}", response_class=HTMLResponse, openapi_extra=access("client-record")
)
def goal_page(request: Request, client_id: int, goal_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """One goal with its data, plan, scale and history."""
    return render_goal(request, ctx, auth, client_id, goal_id)


def _refused(
    request: Request, ctx: Context, auth: Auth, client_id: int, goal_id: int, **extra: Any
) -> Response:
    return render_goal(request, ctx, auth, client_id, goal_id, status_code=422, **extra)


@router.post(
    "/clients/{client_id}/goals/{goal_id}/revise",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
async def revise(request: Request, client_id: int, goal_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """A new revision of the whole draft, with the reason for it."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _goal(ctx, auth, client_id, goal_id)
    draft = draft_from_form(form)
    reason = form.get("reason", "").strip()
    try:
        goals.revise(ctx, auth.actor, goal_id, draft, reason=reason)
    except InvalidInput as exc:
        found = problems_by_group(exc.problems)
        return _refused(
            request,
            ctx,
            auth,
            client_id,
            goal_id,
            values=form_from_draft(draft) | {"reason": reason},
            revise_problems=found,
            revise_open=True,
        )
    return redirect(f"/clients/{client_id}/goals/{goal_id}", "goal-revised")


@router.post(
    "/clients/{client_id}/goals/{goal_id}/status",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
async def change_status(
    request: Request, client_id: int, goal_id: int, ctx: CtxDep, auth: AuthDep
) -> Response:
    """Move the goal along its lifecycle (activation re-runs the SMART check)."""
    form = await request.form()
    _goal(ctx, auth, client_id, goal_id)
    status = str(form.get("status", "")).strip()
    reason = str(form.get("reason", "")).strip() or None
    try:
        goals.change_status(ctx, auth.actor, goal_id, status, reason=reason)
    except InvalidInput as exc:
        return _refused(request, ctx, auth, client_id, goal_id, status_problems=exc.problems)
    return redirect(f"/clients/{client_id}/goals/{goal_id}", "goal-status-changed")


def _number(text: str) -> object:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text  # the scale's parser names it as not a number


def _scale_from_form(form: dict[str, str]) -> dict[str, Any]:
    levels = [
        {
            "level": level,
            "description": form.get(f"level{level}_description", ""),
            "low": _number(form.get(f"level{level}_low", "")),
            "high": _number(form.get(f"level{level}_high", "")),
        }
        for level in (-2, -1, 0, 1, 2)
    ]
    return {"weight": _number(form.get("weight", "")), "levels": levels}


def _gas_problems(problems: list[Problem]) -> list[Problem]:
    """Problems named by the level shown ("level +1") instead of the list position."""
    names = {
        f"levels[{i}]": f"level {level:+d}" if level else "level 0"
        for i, level in enumerate((-2, -1, 0, 1, 2))
    }
    out = []
    for p in problems:
        field, message = p.field, p.message
        for where, name in names.items():
            field, message = field.replace(where, name), message.replace(where, name)
        out.append(Problem(p.code, field, message, p.hint, p.severity))
    return out


@router.post(
    "/clients/{client_id}/goals/{goal_id}/gas",
    response_class=HTMLResponse,
    openapi_extra=access("linked-therapist"),
)
async def set_gas(request: Request, client_id: int, goal_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Edit the goal's Goal Attainment Scale and weight, or return it to the derived default."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    authz.require_role(auth.actor, "therapist")  # the scale belongs to the review the therapist holds
    _goal(ctx, auth, client_id, goal_id)
    data: dict[str, Any] = {"derived": True} if form.get("action") == "derived" else _scale_from_form(form)
    try:
        gas.set_scale(ctx, auth.actor, goal_id, data)
    except InvalidInput as exc:
        return _refused(
            request, ctx, auth, client_id, goal_id, gas_problems=_gas_problems(exc.problems), gas_form=form
        )
    return redirect(f"/clients/{client_id}/goals/{goal_id}", "gas-saved")
