"""``/healthz``: ok only when the database answers, is migrated and writable, and the key file is in place."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from goalwise.services.clinic.health import check_health
from goalwise.web.api.access import access
from goalwise.web.errors import without_places

__all__ = ["router"]

router = APIRouter()
_log = logging.getLogger("goalwise.web")


@router.get(
    "/healthz", tags=["health"], summary="Liveness and database readiness", openapi_extra=access("public")
)
def healthz(request: Request) -> JSONResponse:
    """``{"ok": true}`` when the database is reachable, migrated and writable and the key file is in place.

    503 with the reason otherwise (full disk, read-only database, missing key file).
    """
    health = check_health(request.app.state.ctx)
    if not health.ok:
        # Anyone may call /healthz: the answer says what is wrong, the server log says where.
        _log.warning("health check failed: %s", health.reason)
        public = without_places(health.reason or "")
        return JSONResponse({"ok": False, "error": public, "problems": [], "status": 503}, status_code=503)
    return JSONResponse({"ok": True})
