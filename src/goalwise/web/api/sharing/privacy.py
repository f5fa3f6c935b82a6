"""Right of access and erasure through the API: export a client's data, delete a client."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["privacy"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class EraseIn(BaseModel):
    """The typed confirmation: the client's name exactly."""

    confirm: str = Field(description="The client's name, typed exactly, to confirm the deletion.")


@router.get(
    "/clients/{client_id}/export",
    openapi_extra=access("client-owner-or-admin"),
    responses={200: {"content": {"application/zip": {}}, "description": "JSON and CSV in a zip."}},
)
def export(client_id: int, ctx: CtxDep, actor: ActorDep) -> Response:
    """Everything held about the client (the client themself or an admin)."""
    data = privacy.export_client(ctx, actor, client_id)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "content-disposition": f'attachment; filename="goalwise-client-{client_id}.zip"',
            "cache-control": "no-store",
        },
    )


@router.post("/clients/{client_id}/erase", status_code=204, openapi_extra=access("client-owner-or-admin"))
def erase(client_id: int, body: EraseIn, ctx: CtxDep, actor: ActorDep) -> None:
    """Delete the client's records and account after the typed confirmation; the audit log keeps a stub."""
    privacy.delete_client(ctx, actor, client_id, body.confirm)
