"""The account page: sessions, API tokens, and for clients their shares and access log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput
from goalwise.core.sharing import DEFAULT_SECTIONS, SECTIONS
from goalwise.services.accounts import login_sessions
from goalwise.services.cards import raters
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.progress import overview
from goalwise.services.sharing import access_words, sharing
from goalwise.web.api.access import access
from goalwise.web.deps import SESSION_COOKIE, Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


def _clock(timezone: str) -> Callable[[datetime], str]:
    """Format an instant as the wall clock of ``timezone`` (the page names the zone once)."""
    zone = ZoneInfo(timezone)

    def clock(at: datetime) -> str:
        aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return clock


def _account_page(request: Request, ctx: Context, auth: Auth, **extra: object) -> HTMLResponse:
    actor = auth.actor
    # One zone for every time on the page: the client's own, else the clinic's default.
    timezone = ctx.settings.timezone
    context: dict[str, object] = {
        "sessions": login_sessions.list_sessions(ctx, actor, auth.session_id),
        "tokens": login_sessions.list_api_tokens(ctx, actor),
        "sections": SECTIONS,
        "default_sections": DEFAULT_SECTIONS,
        "default_days": ctx.settings.share_default_days,
    }
    if actor.role == "client" and actor.client_id is not None:
        context["shares"] = sharing.list_shares(ctx, actor)
        context["raters"] = raters.list_raters(ctx, actor, actor.client_id)
        goals = [(g.id, g.title) for g in overview.goal_briefs(ctx, actor, actor.client_id)]
        context["goals"] = goals
        context["access"] = access_words.access_story(ctx, actor, actor.client_id, limit=50)
        context["goal_titles"] = dict(goals)
        context["section_labels"] = {s.key: s.label for s in SECTIONS}
        timezone = clients.get_client(ctx, actor, actor.client_id).timezone
        context["therapists"] = clients.therapists_of(ctx, actor, actor.client_id)
    context["timezone"] = timezone
    context["clock"] = _clock(timezone)
    if actor.role == "supporter":
        context["incoming"] = sharing.shares_for_supporter(ctx, actor)
    context.update(extra)
    return page(request, "account.html", **context)


@router.get("/account", response_class=HTMLResponse, openapi_extra=access("authenticated"))
def account(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Your account."""
    return _account_page(request, ctx, auth)


@router.post("/account/logout-everywhere", openapi_extra=access("authenticated"))
def logout_everywhere(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """End every session of this account, this one included."""
    login_sessions.logout_everywhere(ctx, auth.actor)
    response = redirect("/login", "logged-out-everywhere")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/account/tokens", response_class=HTMLResponse, openapi_extra=access("authenticated"))
def create_token(
    request: Request,
    ctx: CtxDep,
    auth: AuthDep,
    name: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "read",
    days: Annotated[int, Form()] = 90,
) -> Response:
    """Create an API token and show its secret once."""
    try:
        token, secret = login_sessions.create_api_token(
            ctx, auth.actor, name=name, scope=scope, expires_days=days
        )
    except InvalidInput as exc:
        return _account_page(request, ctx, auth, error=exc.message)
    return _account_page(request, ctx, auth, new_token=secret, new_token_name=token.name)


@router.post("/account/tokens/{token_id}/revoke", openapi_extra=access("authenticated"))
def revoke_token(token_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Revoke an API token."""
    login_sessions.revoke_api_token(ctx, auth.actor, token_id)
    return redirect("/account", "token-revoked")


@router.post("/account/shares", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def create_share(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """A client shares chosen goals and sections with a supporter."""
    form = await request.form()
    try:
        days = int(str(form.get("expires_days") or ctx.settings.share_default_days))
        goal_ids = [int(str(v)) for v in form.getlist("goal_ids")]
    except ValueError:
        return _account_page(request, ctx, auth, error="Expiry and goals must be numbers.")
    try:
        _, token = sharing.create_share(
            ctx,
            auth.actor,
            label=str(form.get("label") or ""),
            sections=[str(s) for s in form.getlist("sections")],
            goal_ids=goal_ids,
            message=str(form.get("message") or ""),
            expires_days=days,
            supporter_email=str(form.get("supporter_email") or "") or None,
        )
    except InvalidInput as exc:
        return _account_page(request, ctx, auth, error=exc.message, problems=exc.problems)
    return _account_page(request, ctx, auth, new_share_url=ctx.link(f"/s/{token}"))


@router.post("/account/shares/{share_id}/revoke", openapi_extra=access("client-self"))
def revoke_share(share_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """End a share at once."""
    sharing.revoke_share(ctx, auth.actor, share_id)
    return redirect("/account", "share-revoked")
