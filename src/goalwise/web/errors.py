"""The one place where web requests turn errors into responses.

Browsers get an HTML page; everything under ``/api/`` gets one JSON shape:
``{"ok": false, "error": "...", "problems": [...], "status": n}``. No traceback or client
content ever reaches a response.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from goalwise.core.errors import GoalwiseError, InvalidInput, Problem, StorageError

__all__ = ["UnexpectedErrorMiddleware", "error_response", "install_error_handlers", "without_places"]

log = logging.getLogger("goalwise.web")
#: Database URLs (even with the password masked) and file paths stay out of what a user is shown.
_WHERE = re.compile(r"[a-z][a-z0-9+.-]*://\S+|(?<![\w.])/[^\s,;:]+")


def without_places(message: str) -> str:
    """``message`` with every database URL and file path replaced by "(see the server log)": a
    storage error's message names where the database is for the operator, not for whoever asked."""
    return _WHERE.sub("(see the server log)", message)


_TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too much data",
    422: "Please check the form",
    429: "Too many attempts",
    503: "Service unavailable",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def error_response(
    request: Request, status: int, message: str, problems: list[Problem] | None = None
) -> Response:
    """The response for an error: JSON under /api/, an HTML page elsewhere."""
    problems = problems or []
    if status == 401 and not _wants_json(request):
        # A browser whose session ended goes to the log-in page and comes back afterwards.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}&reason=expired", status_code=303)
    if _wants_json(request):
        return JSONResponse(
            {"ok": False, "error": message, "problems": [p.to_dict() for p in problems], "status": status},
            status_code=status,
        )
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": _TITLES.get(status, "Error"), "message": message, "problems": problems},
        status_code=status,
    )


def _validation_problems(exc: RequestValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            problems.append(
                Problem(
                    "request-json",
                    "body",
                    "The request body is not valid JSON.",
                    "Send a JSON object with the Content-Type application/json.",
                )
            )
            continue
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path", "form")]
        field = ".".join(loc) or "body"
        problems.append(
            Problem(
                "request-invalid",
                field,
                f"{field}: {err.get('msg', 'invalid')}",
                "Check the value and its type against the API schema at /openapi.json.",
            )
        )
    return problems


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(GoalwiseError)
    async def _goalwise(request: Request, exc: GoalwiseError) -> Response:
        problems = exc.problems if isinstance(exc, InvalidInput) else None
        message = exc.message
        if isinstance(exc, StorageError):
            # The operator learns what and where from the log (no client content: the message is
            # one of storage's fixed sentences); the person asking learns what, and to try again.
            log.warning("database unavailable on %s: %s", _route_name(request.scope), message)
            message = without_places(message)
        return error_response(request, exc.status, message, problems)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = _validation_problems(exc)
        return error_response(request, 422, problems[0].message if problems else "invalid request", problems)

    @app.exception_handler(UnicodeEncodeError)
    async def _not_text(request: Request, exc: UnicodeEncodeError) -> Response:
        # JSON may spell a lone surrogate ("\ud800"), which is no character: it cannot be encrypted
        # or stored. Text fields refuse it by name; this answers for any string that reached storage.
        problem = Problem(
            "text-not-unicode",
            "body",
            "The request holds text with an invalid character (a lone UTF-16 surrogate such as \\ud800).",
            "Send text as valid Unicode.",
        )
        return error_response(request, 422, problem.message, [problem])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and message == "Not Found":
            message = "There is no page at this address."
        response = error_response(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response


def _route_name(scope: Scope) -> str:
    """The name of the route that failed (never the path: it holds ids)."""
    route = scope.get("route")
    name = getattr(route, "name", None) or getattr(scope.get("endpoint"), "__name__", None)
    return str(name or "unknown route")


class UnexpectedErrorMiddleware:
    """Answers an unexpected exception with a proper 500 page or JSON body, and logs its type only.

    It sits inside the security-headers middleware, so a 500 carries every header, and it does
    not re-raise: the server's own error log (a traceback with SQL parameters) never sees it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            # Type and route name only: exception text can carry client content.
            log.error("unexpected %s in %s", type(exc).__name__, _route_name(scope))
            if started:  # the response is half sent; the server closes the connection
                return
            request = Request(scope, receive)
            response = error_response(
                request, 500, "Something went wrong on our side; the error has been logged."
            )
            await response(scope, receive, send)
