"""Export and erase a client's records from the browser (the client themself or an admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput
from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


@router.get("/clients/{client_id}/export", openapi_extra=access("client-owner-or-admin"))
def export(client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Download everything held about the client as a zip."""
    data = privacy.export_client(ctx, auth.actor, client_id)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "content-disposition": f'attachment; filename="goalwise-client-{client_id}.zip"',
            "cache-control": "no-store",
        },
    )


@router.get(
    "/clients/{client_id}/delete", response_class=HTMLResponse, openapi_extra=access("client-owner-or-admin")
)
def delete_form(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Ask for the typed confirmation."""
    name = privacy.erasure_target(ctx, auth.actor, client_id)
    return page(request, "delete_client.html", client_id=client_id, name=name)


@router.post(
    "/clients/{client_id}/delete", response_class=HTMLResponse, openapi_extra=access("client-owner-or-admin")
)
def delete(
    request: Request, client_id: int, ctx: CtxDep, auth: AuthDep, confirm: Annotated[str, Form()] = ""
) -> Response:
    """Erase after the name was typed exactly."""
    try:
        privacy.delete_client(ctx, auth.actor, client_id, confirm)
    except InvalidInput as exc:
        return page(
            request,
            "delete_client.html",
            status_code=422,
            client_id=client_id,
            name=privacy.erasure_target(ctx, auth.actor, client_id),
            error=exc.message,
        )
    return redirect("/" if auth.actor.role == "client" else "/admin", "records-deleted")
