"""``/my/propose``: a client proposes a goal in their own words.

They get the same SMART guidance a therapist sees when writing a goal from a client's words
(``needs.suggestions``: a clearer way to say it, the questions the words leave open, the SMART
check of the text and matching templates); sending stores the goal as ``proposed`` for the
therapist to complete with them. A template chosen with today's level ("how often now") gives a
fuller draft; the words alone are enough.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.context import Context
from goalwise.services.goals import goals, needs
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.client_self import own_client
from goalwise.web.routes.goals.goal_words import plain

__all__ = ["TEXT_LIMIT", "TITLE_WORDS", "router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
TEXT_LIMIT = 2000
#: A title made from the client's words keeps this many characters.
TITLE_WORDS = 80


def _title(text: str, given: str) -> str:
    if given:
        return given[:200]
    short = text.split("\n", 1)[0][:TITLE_WORDS]
    return short if len(short) == len(text) else short.rsplit(" ", 1)[0] + "…"


def _render(
    request: Request,
    ctx: Context,
    auth: Auth,
    values: dict[str, str],
    *,
    status: int = 200,
    problems: list[Problem] | None = None,
) -> Response:
    client_id = own_client(auth)
    text = values.get("text", "")
    suggestion = needs.suggestions(ctx, auth.actor, client_id, text) if text else None
    return page(
        request,
        "my_propose.html",
        status_code=status,
        suggestion=suggestion,
        # The SMART check in plain words: no field names ("text says"), the SMART letter as a word.
        word_problems=[plain(p, own_words=True) for p in suggestion.problems] if suggestion else [],
        problems=problems or [],
        field_problems={p.field: p for p in problems or []},
        values=values,
    )


@router.get("/my/propose", response_class=HTMLResponse, openapi_extra=access("client-self"))
def propose_form(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """The form: your words, then guidance."""
    return _render(request, ctx, auth, {})


def _baseline(raw: str, problems: list[Problem]) -> float | None:
    if not raw:
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        problems.append(Problem("not-a-number", "baseline", "How often now is not a number.", "Type digits."))
        return None


@router.post("/my/propose", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def propose(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """``action=check`` shows the guidance for the words; ``action=send`` stores the proposed goal."""
    client_id = own_client(auth)
    form = {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    text = form.get("text", "")[:TEXT_LIMIT]
    values = {"text": text, "title": form.get("title", ""), "template": form.get("template", "")}
    values["baseline"] = form.get("baseline", "")
    if form.get("action") != "send":
        return _render(request, ctx, auth, values)
    problems: list[Problem] = []
    if not text:
        problems.append(
            Problem("required", "text", "Your words are empty.", "Write what you'd like to change.")
        )
    baseline = _baseline(values["baseline"], problems)
    if problems:
        return _render(request, ctx, auth, values, status=422, problems=problems)
    try:
        if values["template"] and baseline is not None:
            goals.create_from_template(ctx, auth.actor, client_id, values["template"], baseline=baseline)
        else:
            draft = {"title": _title(text, values["title"]), "behaviour": text, "set_by": "client"}
            reason = f"Proposed by the client in their own words: {text[:500]}"
            goals.create(ctx, auth.actor, client_id, draft, reason=reason)
    except InvalidInput as exc:
        return _render(request, ctx, auth, values, status=422, problems=list(exc.problems))
    return redirect("/dashboard", "goal-proposed")
