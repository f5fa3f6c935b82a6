"""What the client's own pages (``/my/...``) share: who the client is, their local time, the charts.

These pages serve one person, the client, about their own records (access policy ``client-self``):
anyone else, a therapist included, is told the page does not exist. Their therapist has their own
pages about the same records.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from goalwise.analytics.summary import MetricAnalysis
from goalwise.core.errors import NotFound
from goalwise.reports.charts import data_table, default_description
from goalwise.reports.embed import EmbeddedChart
from goalwise.reports.progress_chart import chart_spec, layout_spec
from goalwise.web.deps import Auth
from goalwise.web.routes.progress.chart_image import chart_url

__all__ = ["goal_chart", "local_time", "own_client"]


def own_client(auth: Auth) -> int:
    """The logged-in client's id; ``NotFound`` for anyone who is not a client."""
    actor = auth.actor
    if actor.role != "client" or actor.client_id is None:
        raise NotFound("this page is a client's own page")
    return int(actor.client_id)


def local_time(at: datetime, timezone: str) -> str:
    """``at`` as the client reads it: their local date and time (24-hour), without a zone name."""
    return at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def goal_chart(client_id: int, analysis: MetricAnalysis, layout: str = "phone") -> EmbeddedChart:
    """The goal's chart for a phone (``phone``) or a card's thumbnail (``small``): the image is drawn
    and kept by the chart route (``chart_image``), so the page itself draws nothing; the text
    alternative and the data table come from the same values."""
    spec = layout_spec(chart_spec(analysis), layout)
    alt = f"{spec.title}. {spec.description or default_description(spec)}"
    return EmbeddedChart(chart_url(client_id, analysis.key, layout), alt, data_table(spec))
