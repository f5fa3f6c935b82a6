"""The home page: what Goalwise is and where to start."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from goalwise.web.api.access import access

__all__ = ["router"]

router = APIRouter()


@router.api_route(
    "/",
    methods=["GET", "HEAD"],
    response_class=HTMLResponse,
    include_in_schema=False,
    openapi_extra=access("public"),
)
def home(request: Request) -> HTMLResponse:
    """The public landing page."""
    return request.app.state.templates.TemplateResponse(request, "home.html", {})
