"""``/clients/{client_id}/review``: the 4-8 week goal review in the browser.

The data summary since the last review (``services.reviews.summary``), then per goal a GAS level
(the level the data suggests is chosen to start with) and a decision (continue, adjust with a new
target and/or deadline, add steps, achieved, discontinue) with its reason; notes; the next date.
The review is recorded whole or not at all (``services.reviews.reviews.record``): every problem is
shown beside the goal or field it names, and the form keeps what was typed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import Conflict, InvalidInput, Problem
from goalwise.core.reviews.gas_scale import LEVEL_NAMES
from goalwise.core.reviews.review import Decision
from goalwise.core.text.numbers import plain_int
from goalwise.services.accounts import authz
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import needs
from goalwise.services.reviews import reviews, summary
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.goals.needs_page import (
    BLANK_ROWS,
    MAX_ROWS,
    assessment_from_rows,
    choices,
    problems_by_row,
    ratings_from_form,
    rows_from_form,
    rows_from_record,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
DECISIONS = {
    Decision.CONTINUE.value: "continue as it is",
    Decision.ADJUST.value: "adjust the target or deadline",
    Decision.ADD_STEPS.value: "add steps to the plan",
    Decision.ACHIEVED.value: "achieved: close it",
    Decision.DISCONTINUE.value: "discontinue",
}
INSTRUMENT_NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7", "who5": "WHO-5", "phq2": "PHQ-2", "gad2": "GAD-2"}
_MAX_GOALS = 50
_FIELD_WORDS = {
    "gas_level": "The GAS level",
    "decision": "The decision",
    "reason": "The reason",
    "target": "The new target",
    "deadline_on": "The new deadline",
    "steps": "The steps",
    "goal_id": "The goal",
}
#: The form's own labels for the review's fields, shown with their problems above the form.
_FORM_LABELS = {"held_on": "Held on", "next_review_on": "Next review on", "notes": "Notes", "kind": "Kind"}


def _plan_form(ctx: Context, auth: Auth, client_id: int) -> dict[str, Any]:
    """A plan review repeats the needs assessment: its form starts from the latest one."""
    latest = needs.latest(ctx, auth.actor, client_id)
    rows = rows_from_record(latest) + [{} for _ in range(BLANK_ROWS)]
    ratings = {r.need.value: str(r.met) for r in latest.assessment.needs} if latest else {}
    return {"rows": rows, "ratings": ratings}


def _render(
    request: Request, ctx: Context, auth: Auth, client_id: int, status_code: int = 200, **extra: Any
) -> Response:
    authz.require_role(auth.actor, "therapist")  # the review is the therapist's; the client reads it after
    client = clients.get_client(ctx, auth.actor, client_id)
    kind = "plan" if extra.get("kind", request.query_params.get("kind")) == "plan" else "goals"
    found = summary.review_summary(ctx, auth.actor, client_id, kind=kind)
    held = reviews.list_reviews(ctx, auth.actor, client_id)
    context: dict[str, Any] = {
        "client": client,
        "kind": kind,
        "summary": found,
        "held": list(reversed(held)),
        "level_names": LEVEL_NAMES,
        "decisions": DECISIONS,
        "instrument_names": INSTRUMENT_NAMES,
        "form": {},
        "goal_problems": {},
        "row_problems": {},
        "problems": [],
        **choices(),
    }
    if kind == "plan" and "rows" not in extra:
        context |= _plan_form(ctx, auth, client_id)
    return page(request, "review.html", status_code=status_code, **(context | extra))


@router.get(
    "/clients/{client_id}/review", response_class=HTMLResponse, openapi_extra=access("linked-therapist")
)
def review_page(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The data summary and the review form."""
    return _render(request, ctx, auth, client_id)


def _number(text: str) -> object:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text  # the review's parser names it as not a number


def _level(text: str) -> object:
    text = text.strip()
    return int(text) if re.fullmatch(r"[+-]?[0-2]", text) else (text or None)


def _goal_item(form: dict[str, str], i: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "goal_id": plain_int(form[f"goal{i}_id"]),
        "gas_level": _level(form.get(f"goal{i}_level", "")),
        "decision": form.get(f"goal{i}_decision", "continue"),
    }
    if reason := form.get(f"goal{i}_reason", "").strip():
        item["reason"] = reason
    if item["decision"] == Decision.ADJUST.value:
        item["target"] = _number(form.get(f"goal{i}_target", ""))
        item["deadline_on"] = form.get(f"goal{i}_deadline_on", "").strip() or None
    if item["decision"] == Decision.ADD_STEPS.value:
        steps = [s.strip() for s in form.get(f"goal{i}_steps", "").splitlines() if s.strip()]
        item["steps"] = steps or None
    return item


def review_from_form(form: dict[str, str]) -> tuple[dict[str, Any], list[int]]:
    """REVIEW.json from the form (``core.reviews.review``); blank optional fields are left out. A plan
    review carries the repeated needs assessment; the second value numbers its concern rows."""
    numbers = sorted({int(m.group(1)) for k in form if (m := re.fullmatch(r"goal(\d{1,2})_id", k))})
    goals = [_goal_item(form, i) for i in numbers[:_MAX_GOALS] if plain_int(form[f"goal{i}_id"]) is not None]
    held_on = form.get("held_on", "").strip() or None
    data: dict[str, Any] = {"held_on": held_on, "kind": "goals", "goals": goals}
    if notes := form.get("notes", "").strip():
        data["notes"] = notes
    if next_on := form.get("next_review_on", "").strip():
        data["next_review_on"] = next_on
    where: list[int] = []
    if form.get("kind") == "plan":
        data["kind"] = "plan"
        assessment, where = assessment_from_rows(rows_from_form(form), ratings_from_form(form))
        if assessment["concerns"] or assessment["needs"]:
            data["needs"] = assessment
        if form.get("goals_fit") in ("yes", "no"):
            data["goals_fit"] = form["goals_fit"] == "yes"
    return data, where


def _labelled(problem: Problem) -> Problem:
    label = _FORM_LABELS.get(problem.field)
    return problem if label is None else replace(problem, field=label)


def _split(problems: list[Problem]) -> tuple[dict[int, list[Problem]], list[Problem]]:
    """Problems of ``goals[i]`` by goal index (named "this goal"), and the others."""
    by_goal: dict[int, list[Problem]] = {}
    rest = []
    for p in problems:
        m = re.match(r"goals\[(\d+)\]", p.field)
        if m:
            text = p.message
            for name, words in _FIELD_WORDS.items():
                text = text.replace(f"{m.group(0)}.{name}", words)
            text = text.replace(m.group(0), "This goal")
            by_goal.setdefault(int(m.group(1)), []).append(
                Problem(p.code, p.field, text[:1].upper() + text[1:], p.hint, p.severity)
            )
        else:
            rest.append(p)
    return by_goal, rest


@router.post(
    "/clients/{client_id}/review", response_class=HTMLResponse, openapi_extra=access("linked-therapist")
)
async def record_review(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Record the review whole, or show every problem beside its goal or field and store nothing."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    authz.require_role(auth.actor, "therapist")
    kind = "plan" if form.get("kind") == "plan" else "goals"
    typed: dict[str, Any] = {"kind": kind, "form": form}
    if kind == "plan":
        typed |= {"rows": rows_from_form(form), "ratings": ratings_from_form(form)}
    if form.get("action") == "more":  # more blank concern rows; nothing is recorded yet
        kept = [r for r in typed.get("rows", []) if not r.get("remove")]
        typed["rows"] = (kept + [{} for _ in range(BLANK_ROWS)])[:MAX_ROWS]
        return _render(request, ctx, auth, client_id, **typed)
    data, where = review_from_form(form)
    try:
        reviews.record(ctx, auth.actor, client_id, data)
    except InvalidInput as exc:
        by_goal, rest = _split(list(exc.problems))
        by_row, rest = problems_by_row(rest, where)
        rest = [_labelled(p) for p in rest]
        problems = {"goal_problems": by_goal, "row_problems": by_row, "problems": rest}
        return _render(request, ctx, auth, client_id, 422, **problems, **typed)
    except Conflict as exc:
        # Another review of this kind was held that day: say so on the form, keep what was typed.
        words = str(exc.message).removeprefix("held_on: ").split(";")[0]
        same_day = Problem(
            "review-same-day",
            _FORM_LABELS["held_on"],
            f"{words[:1].upper()}{words[1:]}.",
            "Give this review another date; the review held that day stays as it is.",
        )
        return _render(request, ctx, auth, client_id, 409, problems=[same_day], **typed)
    return redirect(f"/clients/{client_id}/review", "review-recorded")
