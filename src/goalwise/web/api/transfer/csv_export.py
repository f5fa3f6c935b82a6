"""``GET /api/v1/clients/{client_id}/export.csv``: the client's values as the long CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.transfer.csv_export import export_csv
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

__all__ = ["router"]

router = APIRouter(tags=["export"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


@router.get(
    "/clients/{client_id}/export.csv",
    openapi_extra=access("client-record"),
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The long CSV."}},
)
def export_values(
    client_id: int,
    actor: ActorDep,
    ctx: CtxDep,
    bom: Annotated[bool, Query(description="Start with Excel's byte-order mark.")] = False,
) -> Response:
    """Every value of the client: client, metric, local date, time, value, unit, note."""
    text = export_csv(ctx, actor, client_id, bom=bom)
    headers = {"Content-Disposition": f'attachment; filename="goalwise-client-{client_id}.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
