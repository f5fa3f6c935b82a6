"""``/clients/{client_id}/goals/new``: writing a SMART goal from the client's own words.

The client's words give template suggestions (ordered by their needs assessment), the questions
still open and what the words alone show; a template fills the draft, with a baseline from the
client's data where there is one; the draft form shows the SMART check's problems beside their
fields (a round trip per "Check"; ``/static/goal_check.js`` checks as one types); saving stores a
proposed goal, and activating also applies the 2-3 active goals rule. Goals the client proposed
are completed here too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.goal import draft_to_dict, parse_draft
from goalwise.core.reviews.gas_scale import LEVEL_NAMES, default_scale
from goalwise.core.template import get_template
from goalwise.core.text.numbers import plain_int
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goal_drafts, goals, needs
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.goals.goal_form import draft_from_form, form_from_draft, problems_by_group
from goalwise.web.routes.goals.goal_words import plain

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
TEXT_LIMIT = 1000
_ACTIONS = ("check", "save", "activate")


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _words(ctx: Context, auth: Auth, client_id: int, text: str) -> dict[str, Any]:
    """What the client's words give: suggestions, questions and problems (nothing without words)."""
    if not text:
        return {"suggestion": None}
    suggestion = needs.suggestions(ctx, auth.actor, client_id, text[:TEXT_LIMIT])
    return {"suggestion": suggestion, "word_problems": [plain(p) for p in suggestion.problems]}


def _template_draft(
    ctx: Context, auth: Auth, client_id: int, template_id: str, baseline: float | None
) -> tuple[dict[str, Any], goal_drafts.DataBaseline | None]:
    found = goal_drafts.data_baseline(ctx, auth.actor, client_id, template_id)
    if baseline is None and found is not None:
        baseline = found.value
    today = goal_drafts.check_context(ctx, auth.actor, client_id).today
    return draft_to_dict(goal_drafts.starting_draft(template_id, baseline, today)), found


def _page(
    request: Request,
    ctx: Context,
    auth: Auth,
    client_id: int,
    *,
    text: str,
    draft: dict[str, Any],
    problems: list[Problem] | None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    client = clients.get_client(ctx, auth.actor, client_id)
    goal_id = extra.get("goal_id")
    context = goal_drafts.check_context(ctx, auth.actor, client_id, goal_id)
    parsed, _ = parse_draft(draft)
    return page(
        request,
        "goal_new.html",
        status_code=status_code,
        client=client,
        text=text,
        values=form_from_draft(draft),
        problems=problems_by_group(problems or []),
        checked=problems is not None,
        errors=sum(1 for p in problems or [] if p.severity == "error"),
        proposed=goals.list_goals(ctx, auth.actor, client_id, status="proposed"),
        active=goals.list_goals(ctx, auth.actor, client_id, status="active"),
        active_primary=context.active_primary,
        gas=default_scale(parsed),
        level_names=LEVEL_NAMES,
        **_words(ctx, auth, client_id, text),
        **extra,
    )


@router.get(
    "/clients/{client_id}/goals/new", response_class=HTMLResponse, openapi_extra=access("client-record")
)
def new_goal(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's words, suggestions and the draft form (from a template or a proposed goal)."""
    clients.get_client(ctx, auth.actor, client_id)
    params = request.query_params
    text = params.get("text", "").strip()[:TEXT_LIMIT]
    draft: dict[str, Any] = {}
    extra: dict[str, Any] = {"template_id": None, "data_baseline": None, "goal_id": None}
    problems = None
    if template_id := params.get("template"):
        try:
            get_template(template_id)
        except NotFound:
            template_id = None
        if template_id:
            draft, extra["data_baseline"] = _template_draft(
                ctx, auth, client_id, template_id, _number(params.get("baseline"))
            )
            extra["template_id"] = template_id
    elif (goal_number := plain_int(params.get("goal"))) is not None:
        goal = goals.get(ctx, auth.actor, goal_number)
        if goal.client_id != client_id or goal.status != "proposed":
            raise NotFound(f"there is no proposed goal {goal_number} of this client")
        draft, extra["goal_id"] = goal.spec, goal.id
        text = text or goal.title
    if draft:
        problems = goals.check_for_client(ctx, auth.actor, client_id, draft, goal_id=extra["goal_id"])
    return _page(request, ctx, auth, client_id, text=text, draft=draft, problems=problems, **extra)


def _reason(text: str, goal_id: int | None) -> str:
    if goal_id is not None:
        return "Completed with the therapist from the client's proposal"
    return f"Written from the client's words: {text[:500]}" if text else "Goal written with the client"


@router.post(
    "/clients/{client_id}/goals/new", response_class=HTMLResponse, openapi_extra=access("client-record-write")
)
async def save_goal(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Check the draft, or save it as proposed, or save and activate it; problems beside their fields."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    text = fields.get("text", "").strip()[:TEXT_LIMIT]
    action = fields.get("action", "check")
    action = action if action in _ACTIONS else "check"
    goal_text = fields.get("goal_id", "")
    goal_id = plain_int(goal_text)
    if goal_id is not None:
        goal_drafts.goal_of_client(ctx, auth.actor, client_id, goal_id)
    draft = draft_from_form(fields)
    extra: dict[str, Any] = {
        "template_id": fields.get("template") or None,
        "data_baseline": None,
        "goal_id": goal_id,
    }
    if action == "check":
        problems = goals.check_for_client(ctx, auth.actor, client_id, draft, goal_id=goal_id)
        return _page(request, ctx, auth, client_id, text=text, draft=draft, problems=problems, **extra)
    activate = action == "activate"
    try:
        if goal_id is None:
            saved = goals.create(
                ctx, auth.actor, client_id, draft, activate=activate, reason=_reason(text, None)
            )
        else:
            saved = goal_drafts.complete(
                ctx, auth.actor, goal_id, draft, reason=_reason(text, goal_id), activate=activate
            )
    except InvalidInput as exc:
        problems = list(exc.problems)
        smart = goals.check_for_client(ctx, auth.actor, client_id, draft, goal_id=goal_id)
        problems += [p for p in smart if p not in problems and p.severity == "warning"]
        return _page(
            request,
            ctx,
            auth,
            client_id,
            text=text,
            draft=draft,
            problems=problems,
            status_code=422,
            error="Nothing was saved: fix the problems shown beside their fields.",
            **extra,
        )
    notice = "goal-activated" if saved.status == "active" else "goal-saved"
    return redirect(f"/clients/{client_id}/goals/{saved.id}", notice)
