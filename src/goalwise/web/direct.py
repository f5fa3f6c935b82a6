"""Answer a hot JSON endpoint's well-formed requests without FastAPI's per-request machinery.

A waiting room of phones sends check-ins at once, and for each one FastAPI parsed the
``Content-Type`` with the ``email`` package, built an exit stack, described the endpoint for
error messages and solved its parameters one by one: a fifth of what a check-in cost the server.
An endpoint marked with :func:`answers_directly` keeps its FastAPI route (the OpenAPI schema,
``url_for`` and matching are untouched), but the route's ASGI app becomes :class:`DirectJson`:
it reads the body once, and when the request is plainly well formed (a JSON body that the
endpoint's model accepts, integer path parameters written as digits) it calls the endpoint's
own implementation. Anything else (no or another content type, broken JSON, a field the model
refuses, an odd path parameter) goes to FastAPI's handler with the body replayed, so every
error answer is exactly FastAPI's. The order of checks is FastAPI's too: broken JSON is a 422
before the caller is looked at, and the caller is refused (401) before the fields are checked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DirectJson", "answers_directly", "install_direct_routes"]

_Model = TypeVar("_Model", bound=BaseModel)
#: ``(request, integer path parameters, validated body) -> response``.
Answer = Callable[[Request, dict[str, int], Any], Awaitable[Response]]
#: Runs before the body's fields are checked, as the endpoint's dependencies would (may raise).
Before = Callable[[Request], Awaitable[object]]

_MARK = "__goalwise_direct__"
_LONGEST_ID = 19  # longer ids are refused before routing (web/id_range.py); leave them to FastAPI


def answers_directly(
    model: type[_Model], answer: Answer, *, before: Before | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a FastAPI endpoint whose well-formed requests ``answer`` serves (see the module docstring).

    ``answer`` must do what the endpoint does; the endpoint should simply call it, so both ways
    in share one implementation. ``before`` is the endpoint's dependency that may refuse the
    caller before the body is checked (such as ``deps.caller``).
    """

    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        setattr(endpoint, _MARK, (model, answer, before))
        return endpoint

    return mark


def install_direct_routes(routes: Sequence[BaseRoute]) -> None:
    """Give every marked API route its :class:`DirectJson` app (call once, after routes are added)."""
    for route in routes:
        marked = getattr(getattr(route, "endpoint", None), _MARK, None)
        if isinstance(route, APIRoute) and marked is not None and not isinstance(route.app, DirectJson):
            model, answer, before = marked
            route.app = DirectJson(
                route.app, model, answer, before=before, params=list(route.param_convertors)
            )


def _json_content(request: Request) -> bool:
    value = request.headers.get("content-type")
    if not value:
        return False
    return value.partition(";")[0].strip().lower() == "application/json"


def _replayed(body: bytes, receive: Receive) -> Receive:
    """``receive`` that hands out the already read body first."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


class DirectJson:
    """The ASGI app of one marked route (see the module docstring)."""

    def __init__(
        self,
        fallback: ASGIApp,
        model: type[BaseModel],
        answer: Answer,
        *,
        before: Before | None,
        params: Sequence[str],
    ) -> None:
        self.fallback = fallback
        self.model = model
        self.answer = answer
        self.before = before
        self.params = tuple(params)

    def _ids(self, scope: Scope) -> dict[str, int] | None:
        given = scope.get("path_params", {})
        ids = {}
        for name in self.params:
            text = given.get(name)
            if (
                not isinstance(text, str)
                or not (text.isascii() and text.isdigit())
                or len(text) > _LONGEST_ID
            ):
                return None
            ids[name] = int(text)
        return ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a well-formed request; hand anything else to FastAPI with its body replayed."""
        request = Request(scope, receive)
        ids = self._ids(scope)
        if ids is None or not _json_content(request):
            await self.fallback(scope, receive, send)
            return
        body = await request.body()
        try:
            # Parsed and checked in one go. What this accepts, FastAPI's way (``json.loads``, then
            # the model) accepts with the same values (a property test holds it); what it refuses
            # (broken or nested JSON, a wrong field, a byte-order mark) FastAPI answers.
            parsed = self.model.model_validate_json(body)
        except ValidationError:
            await self.fallback(scope, _replayed(body, receive), send)
            return
        if self.before is not None:
            await self.before(request)  # e.g. 401 for an anonymous caller, as FastAPI's dependency
        response = await self.answer(request, ids, parsed)
        await response(scope, receive, send)
