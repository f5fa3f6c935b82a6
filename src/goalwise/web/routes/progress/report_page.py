"""``/clients/{client_id}/report.pdf``: the progress report (or session summary) as a download.

For the client's therapist on the client overview and for the client on their own pages; the
service checks access (``NotFound`` for anyone else) and audits the export.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from goalwise.reports.pdf import report_pdf
from goalwise.services.context import Context
from goalwise.services.progress.report import progress_report
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


@router.get("/clients/{client_id}/report.pdf", openapi_extra=access("client-record"))
def report_download(
    client_id: int,
    ctx: CtxDep,
    auth: AuthDep,
    start: Annotated[date | None, Query(alias="from", description="First day (YYYY-MM-DD).")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day (YYYY-MM-DD).")] = None,
    summary: Annotated[bool, Query(description="The one-page session summary.")] = False,
) -> Response:
    """The client's progress report as a PDF attachment (never cached: it holds health data)."""
    found = progress_report(ctx, auth.actor, client_id, start=start, end=end, summary=summary)
    name = f"goalwise-{'summary' if summary else 'report'}-{client_id}-{found.period_to.isoformat()}.pdf"
    return Response(
        report_pdf(found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
