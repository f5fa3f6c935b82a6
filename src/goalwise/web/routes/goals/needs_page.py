"""``/clients/{client_id}/needs``: the needs and concerns assessment, with the previous one beside it.

The concerns table (area, description, impact, priority 1-5) and the five core needs rated 1-5
for how well each is met (``core.need``). Rows are added and removed without JavaScript: the form
carries the previous concerns plus blank rows, "More rows" returns it with more, and a ticked
"Remove" leaves a row out. A row left blank is ignored. Every problem is named by its row.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.need import ConcernArea, CoreNeed, Impact
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import needs
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = [
    "assessment_from_rows",
    "choices",
    "problems_by_row",
    "ratings_from_form",
    "router",
    "rows_from_form",
    "rows_from_record",
]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]

AREAS = {
    ConcernArea.EMOTIONAL_BARRIERS.value: "Emotional barriers",
    ConcernArea.CORE_VALUES.value: "Core values alignment",
    ConcernArea.BEHAVIOURAL_PATTERNS.value: "Behavioural patterns",
    ConcernArea.SUPPORT_SYSTEMS.value: "Support systems",
    ConcernArea.OTHER.value: "Other (describe it)",
}
IMPACTS = {Impact.HIGH.value: "High", Impact.MEDIUM.value: "Medium", Impact.LOW.value: "Low"}
NEEDS = {
    CoreNeed.SAFETY.value: "Safety",
    CoreNeed.AUTONOMY.value: "Autonomy",
    CoreNeed.PURPOSE.value: "Purpose",
    CoreNeed.CONNECTION.value: "Connection",
    CoreNeed.PLAYFULNESS.value: "Playfulness",
}
MET = {1: "hardly met", 2: "partly met", 3: "half met", 4: "mostly met", 5: "fully met"}
BLANK_ROWS = 3
MAX_ROWS = 30
_CELLS = ("area", "label", "impact", "priority")


def choices() -> dict[str, Any]:
    """The names the concerns table and the needs ratings show (template context)."""
    return {"areas": AREAS, "impacts": IMPACTS, "needs_names": NEEDS, "met_words": MET}


def ratings_from_form(form: dict[str, str]) -> dict[str, str]:
    """Each core need's rating as typed (``need_<name>``), blank when not rated."""
    return {need: form.get(f"need_{need}", "").strip() for need in NEEDS}


def rows_from_record(record: needs.NeedsRecord | None) -> list[dict[str, str]]:
    if record is None:
        return []
    return [
        {"area": c.area.value, "label": c.label, "impact": c.impact.value, "priority": str(c.priority)}
        for c in record.assessment.concerns
    ]


def _render(
    request: Request, ctx: Context, auth: Auth, client_id: int, status_code: int = 200, **extra: Any
) -> Response:
    client = clients.get_client(ctx, auth.actor, client_id)
    history = needs.history(ctx, auth.actor, client_id)
    latest = history[0] if history else None
    rows = extra.pop("rows", None)
    if rows is None:
        rows = rows_from_record(latest) + [{} for _ in range(BLANK_ROWS)]
    ratings = extra.pop("ratings", None)
    if ratings is None:
        ratings = {r.need.value: str(r.met) for r in latest.assessment.needs} if latest else {}
    context: dict[str, Any] = {
        "client": client,
        "latest": latest,
        "earlier": history[1] if len(history) > 1 else None,
        "rows": rows,
        "ratings": ratings,
        **choices(),
        "row_problems": {},
        "problems": [],
    }
    return page(request, "needs.html", status_code=status_code, **(context | extra))


@router.get("/clients/{client_id}/needs", response_class=HTMLResponse, openapi_extra=access("client-record"))
def needs_page(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The assessment form, filled with the previous one, and the previous one beside it."""
    return _render(request, ctx, auth, client_id)


def rows_from_form(form: dict[str, str]) -> list[dict[str, str]]:
    numbers = sorted({int(m.group(1)) for k in form if (m := re.fullmatch(r"concern(\d{1,3})_\w+", k))})
    rows = []
    for i in numbers[:MAX_ROWS]:
        row = {cell: form.get(f"concern{i}_{cell}", "").strip() for cell in _CELLS}
        row["remove"] = "on" if form.get(f"concern{i}_remove") else ""
        rows.append(row)
    return rows


def _value(text: str) -> object:
    return int(text) if re.fullmatch(r"[0-9]{1,6}", text) else text or None


def assessment_from_rows(
    rows: list[dict[str, str]], ratings: dict[str, str]
) -> tuple[dict[str, Any], list[int]]:
    """NEEDS.json from the kept rows, and each concern's row number (for naming problems)."""
    concerns, where = [], []
    for number, row in enumerate(rows, start=1):
        if row.get("remove") or not any(row.get(cell) for cell in _CELLS):
            continue
        area = row["area"] or ("other" if row["label"] else "")
        concerns.append(
            {
                "area": area or None,
                "label": row["label"],
                "impact": row["impact"] or None,
                "priority": _value(row["priority"]),
            }
        )
        where.append(number)
    rated = {need: _value(value) for need, value in ratings.items() if value}
    return {"concerns": concerns, "needs": rated}, where


def problems_by_row(
    problems: list[Problem], where: list[int]
) -> tuple[dict[int, list[Problem]], list[Problem]]:
    """Concern problems by the form row they name ("Row 2"); the other problems as they are."""
    rows: dict[int, list[Problem]] = {}
    rest = []
    for p in problems:
        m = re.match(r"(?:needs\.)?concerns\[(\d+)\]", p.field)
        if m and int(m.group(1)) < len(where):
            number = where[int(m.group(1))]
            message = p.message.replace(m.group(0), f"Row {number}")
            rows.setdefault(number, []).append(Problem(p.code, f"row {number}", message, p.hint, p.severity))
        else:
            rest.append(p)
    return rows, rest


@router.post(
    "/clients/{client_id}/needs", response_class=HTMLResponse, openapi_extra=access("client-record-write")
)
async def record(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Record the assessment whole, or show every problem by its row and store nothing."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    rows = rows_from_form(form)
    ratings = ratings_from_form(form)
    if form.get("action") == "more":
        kept = [r for r in rows if not r.get("remove")]
        extra_rows: list[dict[str, str]] = [{} for _ in range(BLANK_ROWS)]
        return _render(request, ctx, auth, client_id, rows=(kept + extra_rows)[:MAX_ROWS], ratings=ratings)
    data, where = assessment_from_rows(rows, ratings)
    try:
        needs.record(ctx, auth.actor, client_id, data)
    except InvalidInput as exc:
        by_row, rest = problems_by_row(list(exc.problems), where)
        return _render(
            request, ctx, auth, client_id, 422, rows=rows, ratings=ratings, row_problems=by_row, problems=rest
        )
    return redirect(f"/clients/{client_id}/needs", "needs-saved")
