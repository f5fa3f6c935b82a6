"""The therapist's and the client's card pages.

``/clients/{client_id}/cards`` lists the client's cards and (for the therapist) makes a new one;
``/clients/{client_id}/cards/{card_id}`` shows the card's last eight weeks as a chart with colour-coded
points (met or not met the goal) and a table, each target's hit rate and the shaping check, and for the
therapist the form to revise the card, the raters' links and the invitation of a new rater.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from goalwise.core.cards.card import MAX_TARGETS, card_to_dict
from goalwise.core.errors import InvalidInput, Problem
from goalwise.reports.charts import ChartPoint, ChartSpec
from goalwise.reports.embed import EmbeddedChart, embed
from goalwise.services.cards import card_reading, cards, raters
from goalwise.services.cards.card_days import DayView
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["card_chart", "card_from_form", "router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
REWARD_ROWS = 3
BLANK: dict[str, Any] = {
    "title": "",
    "rated_by": "teacher",
    "goal_percent": 80,
    "periods": [],
    "targets": [],
    "rewards": [
        {"at_percent": 50, "reward": ""},
        {"at_percent": 75, "reward": ""},
        {"at_percent": 100, "reward": ""},
    ],
}


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text or None


def card_from_form(form: FormData) -> dict[str, Any]:
    """The CARD.json shape from the card form; blank target and reward rows are left out."""
    text = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    targets = [
        {"text": text.get(f"target{i}_text", ""), "criterion": text.get(f"target{i}_criterion", "")}
        for i in range(1, MAX_TARGETS + 1)
        if text.get(f"target{i}_text") or text.get(f"target{i}_criterion")
    ]
    rewards = [
        {"at_percent": _number(text.get(f"reward{i}_at", "")), "reward": text.get(f"reward{i}_text", "")}
        for i in range(1, REWARD_ROWS + 1)
        if text.get(f"reward{i}_text")
    ]
    periods = [p.strip() for p in text.get("periods", "").replace("\n", ",").split(",") if p.strip()]
    return {
        "title": text.get("title", ""),
        "rated_by": text.get("rated_by", ""),
        "goal_percent": _number(text.get("goal_percent", "")),
        "periods": periods,
        "targets": targets,
        "rewards": rewards,
    }


def card_chart(
    title: str, goal_percent: float, days: list[DayView], layout: str = "page"
) -> EmbeddedChart | None:
    """The card's days as a chart: each day's percentage, green when it met the goal, vermillion when not."""
    points = tuple(
        ChartPoint(d.on, d.percent, "met" if d.met else "not met") for d in days if d.percent is not None
    )
    if not points:
        return None
    spec = ChartSpec(
        title=f"{title}: targets met per day",
        points=points,
        y_label="% of targets met",
        target=goal_percent,
        target_label=f"goal {goal_percent:g} %",
        trend=False,
        y_range=(0.0, 100.0),
        layout=layout,
        chart_id=f"card-{layout}",
    )
    return _drawn(spec)


# Drawing a chart takes tens of milliseconds or more; the same days give the same chart, so a drawn chart is
# kept (a new rating changes the spec, and so the key). A few hundred small images at most.
_drawn = lru_cache(maxsize=256)(embed)


@router.get("/clients/{client_id}/cards", response_class=HTMLResponse, openapi_extra=access("client-record"))
def card_list(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's cards, and the form for a new one (therapists)."""
    return _list_page(request, ctx, auth, client_id, BLANK, [])


def _list_page(
    request: Request, ctx: Context, auth: Auth, client_id: int, form: dict[str, Any], problems: list[Problem]
) -> Response:
    found = cards.list_cards(ctx, auth.actor, client_id)
    client = clients.get_client(ctx, auth.actor, client_id)
    return page(
        request,
        "cards.html",
        status_code=422 if problems else 200,
        client=client,
        cards=found,
        form=form,
        problems=problems,
        fields={p.field.split(".")[0] for p in problems},
        max_targets=MAX_TARGETS,
    )


@router.post(
    "/clients/{client_id}/cards", response_class=HTMLResponse, openapi_extra=access("linked-therapist")
)
async def card_new(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Make a card and its goal; problems are shown next to their fields and nothing is stored."""
    data = card_from_form(await request.form())
    try:
        made = cards.create_card(ctx, auth.actor, client_id, data)
    except InvalidInput as exc:
        clients.get_client(ctx, auth.actor, client_id)  # someone who may not see the client gets 404
        return _list_page(request, ctx, auth, client_id, data, exc.problems)
    return redirect(f"/clients/{client_id}/cards/{made.id}", "card-made")


@router.get(
    "/clients/{client_id}/cards/{card_id}", response_class=HTMLResponse, openapi_extra=access("client-record")
)
def card_page(request: Request, client_id: int, card_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The card's weeks, chart, hit rates and shaping; for the therapist, revising it and its raters."""
    return _card_page(request, ctx, auth, client_id, card_id)


def _card_page(
    request: Request,
    ctx: Context,
    auth: Auth,
    client_id: int,
    card_id: int,
    *,
    form: dict[str, Any] | None = None,
    problems: list[Problem] | None = None,
    **extra: Any,
) -> Response:
    view = cards.card_of_client(ctx, auth.actor, client_id, card_id)
    shown = card_reading.show(ctx, auth.actor, card_id)
    therapist = auth.actor.role == "therapist"
    week = [shown.today - timedelta(days=d) for d in range(6, -1, -1)]
    return page(
        request,
        "card.html",
        status_code=422 if problems else 200,
        view=view,
        shown=shown,
        days=list(reversed(shown.days)),
        week=week,
        by_day={d.on: d for d in shown.days},
        now=datetime.now(UTC),
        chart=card_chart(view.card.title, view.card.goal_percent, shown.days, "phone"),
        client=clients.get_client(ctx, auth.actor, client_id),
        therapist=therapist,
        raters=[r for r in raters.list_raters(ctx, auth.actor, client_id) if r.card_id == card_id],
        history=cards.card_history(ctx, auth.actor, card_id) if therapist else [],
        form=form or card_to_dict(view.card),
        problems=problems or [],
        fields={p.field.split(".")[0] for p in problems or []},
        max_targets=MAX_TARGETS,
        **extra,
    )


@router.post(
    "/clients/{client_id}/cards/{card_id}/edit",
    response_class=HTMLResponse,
    openapi_extra=access("linked-therapist"),
)
async def card_edit(request: Request, client_id: int, card_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """A new revision of the card (raise a criterion, replace a mastered target); earlier ones are kept."""
    form = await request.form()
    data = card_from_form(form)
    reason = str(form.get("reason") or "").strip() or "Card revised"
    try:
        cards.revise_card(ctx, auth.actor, card_id, data, reason=reason, client_id=client_id)
    except InvalidInput as exc:
        return _card_page(request, ctx, auth, client_id, card_id, form=data, problems=exc.problems)
    return redirect(f"/clients/{client_id}/cards/{card_id}", "card-revised")


@router.post(
    "/clients/{client_id}/cards/{card_id}/raters",
    response_class=HTMLResponse,
    openapi_extra=access("linked-therapist"),
)
async def rater_invite(
    request: Request, client_id: int, card_id: int, ctx: CtxDep, auth: AuthDep
) -> Response:
    """Invite a rater: their private link is shown once, to copy or send."""
    form = await request.form()
    name, email = str(form.get("name") or ""), str(form.get("email") or "").strip() or None
    try:
        info, token = raters.invite_rater(ctx, auth.actor, card_id, name, email=email, client_id=client_id)
    except InvalidInput as exc:
        return _card_page(
            request, ctx, auth, client_id, card_id, rater_problems=exc.problems, rater_name=name
        )
    return page(
        request,
        "card_link.html",
        info=info,
        url=ctx.link(raters.rater_path(token)),
        back=f"/clients/{client_id}/cards/{card_id}",
    )


@router.post("/card-raters/{rater_id}/revoke", openapi_extra=access("client-record-write"))
async def rater_revoke(request: Request, rater_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """End a rater's link at once (the therapist on the card page, the client on their sharing page)."""
    form = await request.form()
    raters.revoke_rater_id(ctx, auth.actor, rater_id)
    back = str(form.get("back") or "")
    return redirect(
        back if back.startswith("/") and not back.startswith("//") else "/dashboard", "rater-revoked"
    )
