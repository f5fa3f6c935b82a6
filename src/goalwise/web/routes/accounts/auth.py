"""Log in, log out, and setting a password through an invitation or reset link."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goalwise.core.errors import Forbidden, InvalidInput, TooManyAttempts
from goalwise.services.accounts import accounts, login_sessions
from goalwise.services.accounts.secret_token import same
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import SESSION_COOKIE, Auth, client_address, get_ctx, optional_auth, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PRE_COOKIE = "goalwise_pre"  # double-submit token that protects the log-in form itself


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send someone elsewhere after log-in."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/dashboard"
    return target


def _home_for(auth: Auth | None) -> str:
    return "/dashboard" if auth else "/"


def _login_page(request: Request, status_code: int = 200, **context: object) -> Response:
    """The log-in form with a fresh double-submit token in a cookie and a hidden field."""
    pre = secrets.token_urlsafe(24)
    settings = request.app.state.settings
    response = page(
        request,
        "login.html",
        status_code=status_code,
        pre_token=pre,
        self_registration=settings.client_self_registration,
        **context,
    )
    response.set_cookie(
        PRE_COOKIE, pre, httponly=True, samesite="lax", secure=settings.cookie_secure, max_age=3600
    )
    return response


@router.get("/login", response_class=HTMLResponse, openapi_extra=access("public"))
async def login_form(request: Request, next: str | None = None, reason: str | None = None) -> Response:
    """The log-in page."""
    auth = await optional_auth(request)
    if auth is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    message = "Your session ended; please log in again." if reason == "expired" else None
    return _login_page(request, next=_safe_next(next), message=message)


@router.post("/login", response_class=HTMLResponse, openapi_extra=access("public"))
def login(
    request: Request,
    ctx: Annotated[Context, Depends(get_ctx)],
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    pre_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/dashboard",
) -> Response:
    """Check the password, start a session, and go where the person was heading."""
    cookie = request.cookies.get(PRE_COOKIE, "")
    if not cookie or not same(cookie, pre_token):
        raise Forbidden("the log-in form expired; reload the page and try again")
    try:
        result = login_sessions.login(
            ctx,
            email,
            password,
            address=client_address(request),
            user_agent=request.headers.get("user-agent"),
        )
    except (InvalidInput, TooManyAttempts) as exc:
        status = 429 if isinstance(exc, TooManyAttempts) else 400
        return _login_page(request, status, next=_safe_next(next), error=exc.message, email=email)
    # An administrator's reset of this password is told to its owner (the notice names no one).
    response = redirect(_safe_next(next), "password-reset-by-admin" if result.notice else None)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookie_secure,
        path="/",
    )
    response.delete_cookie(PRE_COOKIE)
    return response


@router.post("/logout", openapi_extra=access("authenticated"))
async def logout(
    request: Request, ctx: Annotated[Context, Depends(get_ctx)], auth: Annotated[Auth, Depends(require_auth)]
) -> Response:
    """End this session."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        login_sessions.logout(ctx, token)
    response = redirect("/login", "logged-out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _link_page(request: Request, token: str, purpose: str, **extra: object) -> HTMLResponse:
    accounts.check_link(request.app.state.ctx, token, purpose)
    return page(request, "set_password.html", token=token, purpose=purpose, **extra)


@router.get("/invite/{token}", response_class=HTMLResponse, openapi_extra=access("one-time-link"))
def invite_form(request: Request, token: str) -> Response:
    """A new client chooses a password and consents to the care link."""
    return _link_page(request, token, "invite")


@router.get("/reset/{token}", response_class=HTMLResponse, openapi_extra=access("one-time-link"))
def reset_form(request: Request, token: str) -> Response:
    """Choose a new password through a one-time link."""
    return _link_page(request, token, "reset")


def _redeem(
    request: Request, ctx: Context, token: str, purpose: str, password: str, repeat: str, consent: bool
) -> Response:
    accounts.check_link(ctx, token, purpose)
    if password != repeat:
        return _link_page(request, token, purpose, error="The two passwords differ; type the same one twice.")
    try:
        accounts.redeem_link(ctx, token, password, consent=consent)
    except InvalidInput as exc:
        return _link_page(request, token, purpose, error=exc.message, problems=exc.problems)
    return redirect("/login", "password-set")


@router.post("/invite/{token}", response_class=HTMLResponse, openapi_extra=access("one-time-link"))
def invite(
    request: Request,
    token: str,
    ctx: Annotated[Context, Depends(get_ctx)],
    password: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
    consent: Annotated[bool, Form()] = False,
) -> Response:
    """Accept an invitation."""
    return _redeem(request, ctx, token, "invite", password, repeat, consent)


@router.post("/reset/{token}", response_class=HTMLResponse, openapi_extra=access("one-time-link"))
def reset(
    request: Request,
    token: str,
    ctx: Annotated[Context, Depends(get_ctx)],
    password: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
) -> Response:
    """Set a new password."""
    return _redeem(request, ctx, token, "reset", password, repeat, False)
