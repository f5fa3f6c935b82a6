"""``/clients/new``: a therapist adds a client from the caseload, or invites them by email.

Without an email the client is added for the therapist to record with them in session (the
therapist confirms the client's agreement, which is recorded). With an email the client gets an
account and a one-time invitation link, shown absolute (``GOALWISE_BASE_URL``) and mailed when mail
is set up; the client consents to the care link when accepting it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.client import timezone_names, validate_client
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.accounts import accounts, authz
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
_CONSENT = Problem(
    "client-consent",
    "consent",
    "The client's agreement is not confirmed.",
    "Ask the client first; tick the box once they agree.",
)


def _form(request: Request, ctx: Context, status: int = 200, **values: object) -> HTMLResponse:
    values.setdefault("timezone", ctx.settings.timezone)
    return page(
        request, "add_client.html", status_code=status, zones=timezone_names(), values=values, errors={}
    )


@router.get("/clients/new", response_class=HTMLResponse, openapi_extra=access("therapist"))
def new_client(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """The form to add or invite a client."""
    authz.require_role(auth.actor, "therapist")
    return _form(request, ctx)


@router.post("/clients/new", response_class=HTMLResponse, openapi_extra=access("therapist"))
def add_client(
    request: Request,
    ctx: CtxDep,
    auth: AuthDep,
    name: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    consent: Annotated[str, Form()] = "",
) -> Response:
    """Add the client (or invite them when an email is given); problems show next to their fields."""
    authz.require_role(auth.actor, "therapist")
    values = {"name": name, "timezone": timezone, "email": email, "consent": consent}
    try:
        if not consent:
            # Checked with the other fields, so every problem shows at once.
            raise InvalidInput([*validate_client(name, timezone), _CONSENT])
        if not email.strip():
            client = clients.add_client(ctx, auth.actor, name, timezone, consent=True)
            return redirect(f"/clients/{client.id}", "client-added")
        invitation = accounts.invite_client(
            ctx, auth.actor, name=name, email=email.strip(), timezone=timezone
        )
    except InvalidInput as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.problems:
            errors.setdefault(p.field, []).append(p.message + (f" {p.hint}" if p.hint else ""))
        return page(
            request, "add_client.html", status_code=422, zones=timezone_names(), values=values, errors=errors
        )
    mailed = accounts.send_invitation(ctx, invitation)
    return page(
        request,
        "client_invited.html",
        who=invitation.client.name,
        client_id=invitation.client.id,
        url=ctx.link(f"/invite/{invitation.token}"),
        expires=invitation.expires_at,
        mailed=mailed,
    )
