"""``/admin``: accounts, the key warning, and the audit log with filters and CSV export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import Conflict, Forbidden, InvalidInput, Problem
from goalwise.core.text.numbers import plain_int
from goalwise.services.accounts import accounts, audit_words, login_sessions
from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]


async def require_admin(request: Request) -> Auth:
    """Admins only (403 for other accounts)."""
    auth = await require_auth(request)
    if auth.actor.role != "admin":
        raise Forbidden("this page is for administrators")
    return auth


AdminDep = Annotated[Auth, Depends(require_admin)]


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        problem = Problem(
            "date-format", "since", "since is not a date.", "Write the date as YYYY-MM-DD, or leave it empty."
        )
        raise InvalidInput([problem]) from None


def _audit_filters(request: Request) -> dict[str, object]:
    q = request.query_params
    client = q.get("client")
    return {
        "client_id": plain_int(client),
        "action": q.get("action") or None,
        "since": _since(q.get("since")),
    }


def _admin_page(request: Request, ctx: Context, auth: Auth, **extra: object) -> HTMLResponse:
    filters = _audit_filters(request)
    entries = privacy.search_audit(ctx, auth.actor, limit=200, **filters)  # type: ignore[arg-type]
    return page(
        request,
        "admin.html",
        users=accounts.list_users(ctx, auth.actor),
        audit=audit_words.audit_lines(ctx, auth.actor, entries),
        key_in_data_dir=ctx.settings.secret_key_file is None,
        key_path=str(ctx.keys.path),
        filters=request.query_params,
        **extra,
    )


@router.get("/admin", response_class=HTMLResponse, openapi_extra=access("admin"))
def admin(request: Request, ctx: CtxDep, auth: AdminDep) -> Response:
    """Accounts and the audit log."""
    return _admin_page(request, ctx, auth)


@router.post("/admin/users", response_class=HTMLResponse, openapi_extra=access("admin"))
def create_user(
    request: Request,
    ctx: CtxDep,
    auth: AdminDep,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "therapist",
) -> Response:
    """Create an account and show its one-time password link."""
    try:
        user = accounts.create_user(ctx, auth.actor, email=email, name=name, role=role)
        token, _ = accounts.create_reset_link(ctx, auth.actor, user.id)
    except (InvalidInput, Conflict, Forbidden) as exc:
        return _admin_page(request, ctx, auth, error=exc.message)
    return _admin_page(request, ctx, auth, new_link=ctx.link(f"/reset/{token}"), new_link_for=user.email)


@router.post("/admin/users/{user_id}/disable", openapi_extra=access("admin"))
def disable_user(user_id: int, ctx: CtxDep, auth: AdminDep) -> Response:
    """Disable an account."""
    accounts.disable_user(ctx, auth.actor, user_id)
    return redirect("/admin", "account-disabled")


@router.post("/admin/users/{user_id}/revoke-sessions", openapi_extra=access("admin"))
def revoke_sessions(user_id: int, ctx: CtxDep, auth: AdminDep) -> Response:
    """End every session of an account."""
    login_sessions.revoke_user_sessions(ctx, auth.actor, user_id)
    return redirect("/admin", "sessions-ended")


@router.post("/admin/users/{user_id}/reset-link", response_class=HTMLResponse, openapi_extra=access("admin"))
def reset_link(request: Request, user_id: int, ctx: CtxDep, auth: AdminDep) -> Response:
    """Reset a password: mailed to the owner when mail is set up, else shown once (see ``admin_reset``)."""
    try:
        reset = accounts.admin_reset(ctx, auth.actor, user_id)
    except Conflict as exc:
        return _admin_page(request, ctx, auth, error=exc.message)
    if reset.path is None:
        return _admin_page(request, ctx, auth, mailed_to=reset.user.email)
    return _admin_page(
        request,
        ctx,
        auth,
        new_link=ctx.link(reset.path),
        new_link_for=reset.user.email,
        access_ended=reset.user.has_password,
    )


@router.get("/admin/audit.csv", openapi_extra=access("admin"))
def audit_csv(request: Request, ctx: CtxDep, auth: AdminDep) -> Response:
    """The filtered audit log as CSV."""
    entries = privacy.search_audit(ctx, auth.actor, limit=1_000_000, **_audit_filters(request))  # type: ignore[arg-type]
    return Response(
        privacy.audit_csv(entries),
        media_type="text/csv",
        headers={"content-disposition": 'attachment; filename="goalwise-audit.csv"'},
    )
