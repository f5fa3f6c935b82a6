"""The client's logging pages on a phone: a goal value on any past day, an ABC entry, an episode and
the journal (private by default; each entry may be shared with the therapist).

Every form works without JavaScript, names each bad field beside it and stores nothing then; a
retried post (a phone sending twice) stores once thanks to the form's one-time reference.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core import instruments
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.goals.goals import Goal
from goalwise.services.measurement import abc, episodes, journal, observations
from goalwise.services.measurement.record_store import text_problem
from goalwise.services.progress import today
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.client_self import local_time, own_client

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
#: How far back the pages list what was logged.
RECENT_DAYS = 30
#: A value logged for an earlier day is stamped at midday of that day, in the client's time zone.
PAST_DAY_TIME = time(12, 0)


def _text(form: Mapping[str, Any], name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


def _number(form: Mapping[str, Any], name: str, problems: list[Problem], whole: bool = False) -> Any:
    raw = _text(form, name)
    if raw is None:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        problems.append(
            Problem("not-a-number", name, f"{name.replace('_', ' ')} is not a number.", "Type digits.")
        )
        return None
    if whole and value.is_integer():
        return int(value)
    if whole:
        problems.append(
            Problem("not-whole", name, f"{name.replace('_', ' ')} is not a whole number.", "Use 1-10.")
        )
        return None
    return value


def _day(form: Mapping[str, Any], as_of: date, problems: list[Problem]) -> date | None:
    raw = _text(form, "day")
    if raw is None:
        return as_of
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        problems.append(
            Problem("bad-date", "day", f"Day '{raw[:20]}' is not a date.", "Pick a day, like 2024-03-01.")
        )
        return None
    if day > as_of:
        problems.append(
            Problem("future-day", "day", "That day is still to come.", "Pick today or an earlier day.")
        )
        return None
    return day


def _at(day: date | None, as_of: date) -> datetime | None:
    """Now for today; midday (the client's local time) for an earlier day."""
    return None if day is None or day == as_of else datetime.combine(day, PAST_DAY_TIME)


def _loggable(ctx: Context, auth: Auth, client_id: int) -> list[Goal]:
    """Active goals with a metric the client logs (a questionnaire goal is scored by taking it)."""
    return [
        g
        for g in goals.list_goals(ctx, auth.actor, client_id, status="active")
        if g.metric_key is not None and g.metric_key not in instruments.codes()
    ]


def _render(
    request: Request, ctx: Context, auth: Auth, template: str, status: int = 200, **extra: Any
) -> Response:
    client_id = own_client(auth)
    as_of = today.client_day(ctx, auth.actor, client_id)
    extra.setdefault("values", {})
    return page(
        request,
        template,
        status_code=status,
        as_of=as_of,
        earliest=as_of - timedelta(days=365),
        ref=secrets.token_urlsafe(16),
        field_problems={p.field: p for p in extra.get("problems") or ()},
        **extra,
    )


async def _submit(
    request: Request,
    ctx: Context,
    auth: Auth,
    template: str,
    store: Callable[..., Any],
    notice: str,
    back: str,
    **extra: Any,
) -> Response:
    """Parse and store one form through ``store(form, client_id, as_of, problems)``; on a problem show the
    form again with every problem beside its field, nothing stored."""
    client_id = own_client(auth)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    as_of = today.client_day(ctx, auth.actor, client_id)
    problems: list[Problem] = []
    try:
        store(form, client_id, as_of, problems)
    except InvalidInput as exc:
        problems = [*problems, *exc.problems]
    if problems:
        values = {k: v for k, v in form.items() if k not in ("csrf_token", "ref")}
        return _render(
            request,
            ctx,
            auth,
            template,
            422,
            problems=problems,
            values=values,
            error="Nothing was saved: please fix what is marked below.",
            **extra,
        )
    return redirect(back, notice)


# -- a value on any day ----------------------------------------------------------------------------

#: The check-in's own measures, which may be logged for an earlier day too.
CHECKIN_MEASURES = (
    ("mood", "Mood (1 very low, 10 very good)"),
    ("anxiety", "Anxiety (1 calm, 10 very anxious)"),
    ("sleep_hours", "Sleep (hours)"),
)


def _log_extra(ctx: Context, auth: Auth) -> dict[str, Any]:
    """The measures to choose from: each active goal's (by its title), then the check-in's."""
    mine = _loggable(ctx, auth, own_client(auth))
    options: list[tuple[str, str, int | None]] = [(g.metric_key or "", g.title, g.id) for g in mine]
    taken = {key for key, _, _ in options}
    options += [(key, label, None) for key, label in CHECKIN_MEASURES if key not in taken]
    return {"options": options}


@router.get("/my/log", response_class=HTMLResponse, openapi_extra=access("client-self"))
def log_form(request: Request, ctx: CtxDep, auth: AuthDep, goal: str = "") -> Response:
    """Log a value for a goal or a check-in measure, today or on an earlier day."""
    extra = _log_extra(ctx, auth)
    chosen = next((key for key, _, goal_id in extra["options"] if str(goal_id) == goal), "")
    return _render(request, ctx, auth, "my_log.html", values={"metric": chosen}, **extra)


@router.post("/my/log", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def log_value(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Store the value; back to the goal's page (or to Today for a check-in measure)."""
    extra = _log_extra(ctx, auth)
    goal_of = {key: goal_id for key, _, goal_id in extra["options"]}
    back: list[str] = []

    def store(form: Mapping[str, Any], client_id: int, as_of: date, problems: list[Problem]) -> None:
        key = str(form.get("metric") or "")
        if key not in goal_of:
            problems.append(Problem("metric-unknown", "metric", "Choose what the value is for.", ""))
        day = _day(form, as_of, problems)
        value = _number(form, "value", problems)
        if value is None and not any(p.field == "value" for p in problems):
            problems.append(Problem("value-missing", "value", "Value is empty.", "Type the number to log."))
        if problems:
            return
        observations.log(
            ctx,
            auth.actor,
            client_id,
            key,
            value,
            at=_at(day, as_of),
            note=_text(form, "note"),
            client_ref=_text(form, "ref"),
        )
        goal_id = goal_of[key]
        back.append(f"/my/goals/{goal_id}" if goal_id is not None else "/dashboard")

    response = await _submit(request, ctx, auth, "my_log.html", store, "value-logged", "/dashboard", **extra)
    if back and response.status_code == 303:
        return redirect(back[0], "value-logged")
    return response


# -- ABC entries ------------------------------------------------------------------------------------


def _abc_extra(ctx: Context, auth: Auth) -> dict[str, Any]:
    client_id = own_client(auth)
    as_of = today.client_day(ctx, auth.actor, client_id)
    entries = abc.list_entries(ctx, auth.actor, client_id, start=as_of - timedelta(days=RECENT_DAYS))
    return {"entries": list(reversed(entries)), "when": _when(ctx, auth)}


def _when(ctx: Context, auth: Auth) -> Callable[[datetime], str]:
    from goalwise.services.clinic import clients

    timezone = clients.get_client(ctx, auth.actor, own_client(auth)).timezone
    return lambda at: local_time(at, timezone)


@router.get("/my/abc", response_class=HTMLResponse, openapi_extra=access("client-self"))
def abc_form(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Write an ABC entry: what came before, what you did, what followed; recent entries below."""
    return _render(request, ctx, auth, "my_abc.html", **_abc_extra(ctx, auth))


@router.post("/my/abc", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def abc_add(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Store the ABC entry."""

    def store(form: Mapping[str, Any], client_id: int, as_of: date, problems: list[Problem]) -> None:
        day = _day(form, as_of, problems)
        intensity = _number(form, "intensity", problems, whole=True)
        if problems:  # the service is not called: name the empty parts here, so every problem shows at once
            parts = ("antecedent", "behaviour", "consequence")
            problems += [p for p in (text_problem(n, _text(form, n), required=True) for n in parts) if p]
            return
        abc.add_entry(
            ctx,
            auth.actor,
            client_id,
            antecedent=_text(form, "antecedent") or "",
            behaviour=_text(form, "behaviour") or "",
            consequence=_text(form, "consequence") or "",
            setting=_text(form, "setting"),
            intensity=intensity,
            at=_at(day, as_of),
            client_ref=_text(form, "ref"),
        )

    return await _submit(
        request, ctx, auth, "my_abc.html", store, "abc-saved", "/my/abc", **_abc_extra(ctx, auth)
    )


# -- episodes ---------------------------------------------------------------------------------------


def _episode_extra(ctx: Context, auth: Auth) -> dict[str, Any]:
    client_id = own_client(auth)
    as_of = today.client_day(ctx, auth.actor, client_id)
    found = episodes.list_episodes(ctx, auth.actor, client_id, start=as_of - timedelta(days=RECENT_DAYS))
    return {"entries": list(reversed(found)), "when": _when(ctx, auth), "emotions": episodes.EMOTIONS}


@router.get("/my/episodes", response_class=HTMLResponse, openapi_extra=access("client-self"))
def episode_form(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Log an episode: a hard moment, how strong it was and how you coped."""
    return _render(request, ctx, auth, "my_episodes.html", **_episode_extra(ctx, auth))


@router.post("/my/episodes", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def episode_add(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Store the episode."""

    def store(form: Mapping[str, Any], client_id: int, as_of: date, problems: list[Problem]) -> None:
        day = _day(form, as_of, problems)
        intensity = _number(form, "intensity", problems, whole=True)
        coping = _number(form, "coping_rating", problems, whole=True)
        if _text(form, "situation") is None:
            problems.append(
                Problem("required", "situation", "What happened is empty.", "A few words are enough.")
            )
        if problems:
            return
        episodes.add_episode(
            ctx,
            auth.actor,
            client_id,
            at=_at(day, as_of),
            intensity=intensity,
            coping_rating=coping,
            client_ref=_text(form, "ref"),
            situation=_text(form, "situation"),
            emotion=_text(form, "emotion"),
            coping_strategy=_text(form, "coping_strategy"),
        )

    extra = _episode_extra(ctx, auth)
    return await _submit(
        request, ctx, auth, "my_episodes.html", store, "episode-saved", "/my/episodes", **extra
    )


# -- journal ----------------------------------------------------------------------------------------


def _journal_extra(ctx: Context, auth: Auth) -> dict[str, Any]:
    client_id = own_client(auth)
    as_of = today.client_day(ctx, auth.actor, client_id)
    found = journal.list_entries(ctx, auth.actor, client_id, start=as_of - timedelta(days=RECENT_DAYS))
    return {"entries": list(reversed(found)), "when": _when(ctx, auth)}


@router.get("/my/journal", response_class=HTMLResponse, openapi_extra=access("client-self"))
def journal_form(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Write in the journal (private unless shared); recent entries below."""
    return _render(request, ctx, auth, "my_journal.html", **_journal_extra(ctx, auth))


@router.post("/my/journal", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def journal_add(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Store the entry: private unless "share with my therapist" is ticked."""

    def store(form: Mapping[str, Any], client_id: int, as_of: date, problems: list[Problem]) -> None:
        body = _text(form, "body")
        if body is None:
            problems.append(Problem("required", "body", "The entry is empty.", "Write a line or two."))
            return
        journal.add_entry(
            ctx,
            auth.actor,
            client_id,
            body,
            private=form.get("share") != "yes",
            client_ref=_text(form, "ref"),
        )

    extra = _journal_extra(ctx, auth)
    return await _submit(
        request, ctx, auth, "my_journal.html", store, "journal-saved", "/my/journal", **extra
    )
