"""``/register``: clients create their own account, when ``GOALWISE_CLIENT_SELF_REGISTRATION`` is on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import Conflict, InvalidInput, NotFound
from goalwise.services.accounts import accounts
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import get_ctx
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _enabled(ctx: Context) -> None:
    if not ctx.settings.client_self_registration:
        raise NotFound("accounts are made by invitation here; ask your therapist for an invitation link")


@router.get("/register", response_class=HTMLResponse, openapi_extra=access("self-registration"))
def form(request: Request, ctx: Annotated[Context, Depends(get_ctx)]) -> Response:
    """The sign-up form (404 while self-registration is off, the default)."""
    _enabled(ctx)
    return page(request, "register.html", default_tz=ctx.settings.timezone)


@router.post("/register", response_class=HTMLResponse, openapi_extra=access("self-registration"))
def register(
    request: Request,
    ctx: Annotated[Context, Depends(get_ctx)],
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "UTC",
) -> Response:
    """Create the client record and account; then log in."""
    _enabled(ctx)
    try:
        accounts.register_client(ctx, name=name, email=email, password=password, timezone=timezone)
    except (InvalidInput, Conflict) as exc:
        problems = exc.problems if isinstance(exc, InvalidInput) else []
        return page(
            request,
            "register.html",
            status_code=422,
            error=exc.message,
            problems=problems,
            name=name,
            email=email,
            default_tz=timezone,
        )
    return redirect("/login", "account-ready")
