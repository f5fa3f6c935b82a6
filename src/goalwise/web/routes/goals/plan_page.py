"""``/clients/{client_id}/goals/{goal_id}/plan``: milestones and steps, ticking them off, and the next step.

Each step may sit under a milestone, have a due date and depend on another step
(``services.goals.goal_plans``); the next step is the first open step whose dependency is done.
Every change is a small form (no JavaScript), answered with the plan again.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.text.numbers import plain_int
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
_MAX_ID = 2**62


def _goal(ctx: Context, auth: Auth, client_id: int, goal_id: int) -> goals.Goal:
    goal = goals.get(ctx, auth.actor, goal_id)
    if goal.client_id != client_id:
        raise NotFound(f"goal {goal_id} was not found")
    return goal


def _render(
    request: Request,
    ctx: Context,
    auth: Auth,
    client_id: int,
    goal_id: int,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    goal = _goal(ctx, auth, client_id, goal_id)
    plan = goal_plans.get_plan(ctx, auth.actor, goal_id)
    context: dict[str, Any] = {
        "client": clients.get_client(ctx, auth.actor, client_id),
        "goal": goal,
        "plan": plan,
        "titles": {i.id: i.title for i in plan.items},
        "problems": [],
        "form": {},
    }
    return page(request, "plan.html", status_code=status_code, **(context | extra))


@router.get(
    "/clients/{client_id}/goals/{goal_id}/plan",
    response_class=HTMLResponse,
    openapi_extra=access("client-record"),
)
def plan_page(request: Request, client_id: int, goal_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The plan with its next step and the form to add one."""
    return _render(request, ctx, auth, client_id, goal_id)


def _id(text: str, field: str, problems: list[Problem]) -> int | None:
    text = text.strip()
    if not text:
        return None
    number = plain_int(text)
    if number is not None and 0 < number <= _MAX_ID:
        return number
    problems.append(
        Problem("plan-choice", field, f"{field} is not one of this plan's items.", "Choose from the list.")
    )
    return None


def _day(text: str, problems: list[Problem]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem("plan-date", "due_on", f"The due date '{text[:20]}' is not a date.", "Use YYYY-MM-DD.")
        )
        return None


@router.post(
    "/clients/{client_id}/goals/{goal_id}/plan",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
async def add_item(request: Request, client_id: int, goal_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Add a milestone or a step; every problem shows beside the form and nothing is stored."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _goal(ctx, auth, client_id, goal_id)
    problems: list[Problem] = []
    due_on = _day(form.get("due_on", ""), problems)
    parent_id = _id(form.get("parent_id", ""), "parent_id", problems)
    depends_on_id = _id(form.get("depends_on_id", ""), "depends_on_id", problems)
    try:
        if problems:
            raise InvalidInput(problems)
        goal_plans.add_item(
            ctx,
            auth.actor,
            goal_id,
            title=form.get("title", ""),
            kind=form.get("kind", "step"),
            due_on=due_on,
            parent_id=parent_id,
            depends_on_id=depends_on_id,
            micro=form.get("micro") == "on",
        )
    except InvalidInput as exc:
        return _render(request, ctx, auth, client_id, goal_id, 422, problems=exc.problems, form=form)
    return redirect(f"/clients/{client_id}/goals/{goal_id}/plan", "plan-item-added")


def _item_of(ctx: Context, auth: Auth, client_id: int, goal_id: int, item_id: int) -> None:
    plan = goal_plans.get_plan(ctx, auth.actor, _goal(ctx, auth, client_id, goal_id).id)
    if all(i.id != item_id for i in plan.items):
        raise NotFound(f"plan item {item_id} was not found")


@router.post(
    "/clients/{client_id}/goals/{goal_id}/plan/{item_id}/done",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
async def tick(
    request: Request, client_id: int, goal_id: int, item_id: int, ctx: CtxDep, auth: AuthDep
) -> Response:
    """Tick an item off (``done=1``) or open it again (``done=0``)."""
    form = await request.form()
    _item_of(ctx, auth, client_id, goal_id, item_id)
    done = str(form.get("done", "1")) != "0"
    goal_plans.mark_done(ctx, auth.actor, item_id, done=done)
    return redirect(
        f"/clients/{client_id}/goals/{goal_id}/plan", "plan-item-done" if done else "plan-item-open"
    )


@router.post(
    "/clients/{client_id}/goals/{goal_id}/plan/{item_id}/delete",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
def remove(client_id: int, goal_id: int, item_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Remove an item (a milestone takes its steps with it)."""
    _item_of(ctx, auth, client_id, goal_id, item_id)
    goal_plans.delete_item(ctx, auth.actor, item_id)
    return redirect(f"/clients/{client_id}/goals/{goal_id}/plan", "plan-item-removed")
