"""``/clients/{client_id}/charts/{code}.svg``: one measure's chart as an image of its own.

Pages show a chart with ``<img src=...>`` so the page itself stays light and quick; the image is
drawn once (matplotlib takes most of a second for a year of daily values) and kept until the data
it shows changes (``services.progress.chart_state``), so a page opened again, or the same chart on
another page, costs nothing. Like every page of client data it is sent ``no-store`` (the security
headers), so the browser keeps no copy on disk. Authorization is checked on every request, kept or not.

A year of daily values makes an SVG of about 80 KB that compresses about tenfold, so it is sent
gzip-compressed to browsers that accept it (all do). Only these images are compressed: they hold no
secret beside text a caller chose, which is what a compression side channel (BREACH) would need.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from threading import Lock
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from goalwise.core.errors import NotFound
from goalwise.reports.charts import line_chart
from goalwise.reports.progress_chart import LAYOUTS, chart_spec, layout_spec
from goalwise.services.context import Context
from goalwise.services.progress.chart_state import chart_state
from goalwise.services.progress.progress import analyse_metric
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth

__all__ = ["chart_url", "router"]

router = APIRouter(include_in_schema=False)
_KEPT: OrderedDict[tuple[int, int, str, str], bytes] = OrderedDict()
_KEPT_MAX = 500  # about 8 KB each when compressed: 4 MB at most
_LOCK = Lock()


def chart_url(client_id: int, code: str, layout: str = "page") -> str:
    """Where the chart of ``code`` (a metric key or questionnaire code) is served, drawn for ``layout``
    (``reports.progress_chart.LAYOUTS``: a phone's or a card's chart)."""
    return f"/clients/{client_id}/charts/{code}.svg" + ("" if layout == "page" else f"?layout={layout}")


def _kept(key: tuple[int, int, str, str]) -> bytes | None:
    with _LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
        return found


def _keep(key: tuple[int, int, str, str], svg: bytes) -> None:
    with _LOCK:
        _KEPT[key] = svg
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)


@router.get("/clients/{client_id}/charts/{code}.svg", openapi_extra=access("client-record"))
def chart_image(
    request: Request,
    client_id: int,
    code: str,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
    layout: str = "page",
) -> Response:
    """The chart of one measure (values, phases, trend, goal and forecast) as SVG, for ``layout``."""
    layout = layout if layout in LAYOUTS else "page"
    state = chart_state(ctx, auth.actor, client_id, [code])
    if not state.measures:
        raise NotFound(f"no values of {code!r:.40} to chart for this client")
    etag = f'"{state.version}-{code[:40]}-{layout}"'
    headers = {"ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    key = (id(ctx.db), client_id, f"{code}/{layout}", state.version)
    svg = _kept(key)
    if svg is None:
        spec = chart_spec(analyse_metric(ctx, auth.actor, client_id, code, state.today))
        # Kept compressed: a tenth of the memory, and most requests want it so.
        svg = gzip.compress(line_chart(layout_spec(spec, layout)).encode(), mtime=0)
        _keep(key, svg)
    headers["Vary"] = "Accept-Encoding"
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(svg, media_type="image/svg+xml", headers=headers)
    return Response(gzip.decompress(svg), media_type="image/svg+xml", headers=headers)
