"""Request dependencies: the service context, the acting user, and CSRF protection.

Two ways in: a session cookie (browsers; state-changing requests must carry the session's
CSRF token in a form field ``csrf_token`` or the ``X-CSRF-Token`` header), or a bearer token
(``Authorization: Bearer gw_...``; no CSRF needed because browsers never send it on their own).
A read-scoped token may only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Forbidden, NotAuthenticated
from goalwise.services.accounts import login_sessions
from goalwise.services.accounts.secret_token import same
from goalwise.services.context import Context

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = [
    "SESSION_COOKIE",
    "Auth",
    "authenticate",
    "caller",
    "context_of",
    "current_actor",
    "get_ctx",
    "optional_auth",
    "require_auth",
]

SESSION_COOKIE = "goalwise_session"
_SAFE = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True, slots=True)
class Auth:
    """Who is asking and how: ``via`` is ``session`` or ``token``."""

    actor: Actor
    via: str
    csrf_token: str | None = None
    session_id: int | None = None
    scope: str = "write"


def context_of(request: Request) -> Context:
    """The application's service context."""
    ctx: Context = request.app.state.ctx
    return ctx


async def get_ctx(request: Request) -> Context:
    """The application's service context, as a dependency.

    ``async`` although it does no I/O: FastAPI runs a plain ``def`` dependency in the threadpool,
    and that hop cost every request more than the look-up itself.
    """
    return context_of(request)


def client_address(request: Request) -> str:
    """The peer address (a reverse proxy should be configured to pass the real one)."""
    return request.client.host if request.client else "unknown"


async def _csrf_from(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


def _resolve(request: Request, conn: Connection | None = None) -> tuple[Auth | None, str | None]:
    """Look the caller up in the database: (auth, the session's CSRF token to check) or (None, None).

    Plain ``def``: it runs in the threadpool, so a slow database never stalls the event loop
    (``/healthz``, static files and every other request of the process keep answering). With
    ``conn``, on the caller's own write transaction.
    """
    ctx = context_of(request)
    address = client_address(request)
    agent = request.headers.get("user-agent")
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        actor, scope = login_sessions.resolve_api_token(
            ctx, header[7:].strip(), address=address, user_agent=agent, conn=conn
        )
        if scope == "read" and request.method not in _SAFE:
            raise Forbidden("this API token is read-only; create a token with the write scope")
        return Auth(actor, "token", scope=scope), None
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None, None
    try:
        actor, csrf, session_id = login_sessions.resolve_session(
            ctx, cookie, address=address, user_agent=agent, conn=conn
        )
    except NotAuthenticated:
        request.state.session_ended = True
        return None, None
    return Auth(actor, "session", csrf_token=csrf, session_id=session_id), csrf


async def optional_auth(request: Request) -> Auth | None:
    """The caller's authentication, or None when anonymous. Enforces CSRF and token scope.

    The database look-up runs in the threadpool (see ``_resolve``); only reading the form for
    its CSRF token happens on the event loop, which never blocks.
    """
    cached: object = getattr(request.state, "auth", False)
    if cached is None or isinstance(cached, Auth):
        return cached
    auth, csrf = await run_in_threadpool(_resolve, request)
    if csrf is not None and request.method not in _SAFE:
        sent = await _csrf_from(request)
        if not sent or not same(sent, csrf):
            raise Forbidden("the form's security token is missing or stale; reload the page and try again")
    request.state.auth = auth
    return auth


async def require_auth(request: Request) -> Auth:
    """The caller's authentication; ``NotAuthenticated`` (401, or a redirect to log in) when anonymous."""
    auth = await optional_auth(request)
    if auth is None:
        if getattr(request.state, "session_ended", False):
            raise NotAuthenticated("Your session has ended; please log in again.")
        raise NotAuthenticated("Please log in.")
    return auth


async def current_actor(request: Request) -> Actor:
    """The acting user of an authenticated request."""
    return (await require_auth(request)).actor


async def caller(request: Request) -> Request:
    """For an endpoint that looks its caller up inside its own threadpool call (``authenticate``):
    a request with neither a bearer token nor a session cookie is refused here (401), before its
    body is read, as ``require_auth`` would refuse it."""
    if not request.headers.get("authorization", "").lower().startswith("bearer ") and not request.cookies.get(
        SESSION_COOKIE
    ):
        raise NotAuthenticated("Please log in.")
    return request


def authenticate(request: Request, conn: Connection | None = None) -> Actor:
    """``current_actor`` for code already in the threadpool: the check-in looks its caller up in
    the same threadpool call that stores it, one hop instead of two for a phone's most frequent
    request, and on the write transaction that stores it (``conn``), one connection instead of
    two. A session's state-changing request must carry its CSRF token in ``X-CSRF-Token`` (these
    endpoints take JSON, not forms)."""
    auth, csrf = _resolve(request, conn)
    if csrf is not None and request.method not in _SAFE:
        sent = request.headers.get("x-csrf-token")
        if not sent or not same(sent, csrf):
            raise Forbidden("the form's security token is missing or stale; reload the page and try again")
    request.state.auth = auth
    if auth is None:
        if getattr(request.state, "session_ended", False):
            raise NotAuthenticated("Your session has ended; please log in again.")
        raise NotAuthenticated("Please log in.")
    return auth.actor
