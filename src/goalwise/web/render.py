"""Rendering pages: every template gets the caller, the CSRF token and flash messages."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from goalwise import __version__
from goalwise.web.notices import NOTICES, notice_text

__all__ = ["page", "redirect"]


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the standard context."""
    auth = getattr(request.state, "auth", None)
    context.setdefault("auth", auth)
    context.setdefault("actor", auth.actor if auth else None)
    context.setdefault("csrf_token", auth.csrf_token if auth else None)
    # Only a known code shows a notice: a link must not put arbitrary words on a Goalwise page.
    context.setdefault("notice", notice_text(request.query_params.get("notice")))
    # The version tells an attacker which flaws to try: shown to people who are logged in only.
    context.setdefault("version", __version__ if auth else None)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response


def redirect(path: str, notice: str | None = None) -> RedirectResponse:
    """A 303 redirect after a form post (so reloading does not post again).

    ``notice`` is a code from ``web.notices.NOTICES``; the next page shows its text.
    """
    if notice:
        if notice not in NOTICES:
            raise ValueError(f"unknown notice code {notice!r}; add it to web/notices.py")
        from urllib.parse import quote

        sep = "&" if "?" in path else "?"
        path = f"{path}{sep}notice={quote(notice)}"
    return RedirectResponse(path, status_code=303)
