"""The supporter's family dashboard (``/family``): every goal shared with them, one section per client.

``/dashboard`` sends a supporter here. Each goal shows which way it should go, now and the target,
progress in words and a chart with its axis label and target line; then the milestones reached, the
client's message on how to help, and the banner saying what was shared until when; a share that
includes a daily report card's goal links the card's home report. Charts are images of their own
(``share_chart.py``), so the page itself answers at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import NotFound
from goalwise.reports.charts import ChartPoint, ChartSpec, data_table, default_description
from goalwise.reports.embed import EmbeddedChart
from goalwise.services.cards import home_report
from goalwise.services.context import Context
from goalwise.services.sharing import family
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["goal_chart", "goal_spec", "router"]

router = APIRouter(include_in_schema=False)


def goal_spec(goal: family.GoalSummary, chart_id: str) -> ChartSpec:
    """The goal's chart for a supporter: values with their unit on the y axis and the target line.

    No statistical trend line: it is for the therapist's page (and, drawn over a few weekly totals,
    it read as a line lying on zero). Points are labelled met / not met against the target, and a
    weekly goal's week in progress as such (``GoalSummary.point_label``).
    """
    unit = goal.unit or "value"
    return ChartSpec(
        title=goal.title,
        description=f"{len(goal.points)} values; now {goal.now_text}; target {goal.target_text}.",
        points=tuple(ChartPoint(on=d, value=v, label=goal.point_label(d, v)) for d, v in goal.points),
        y_label=unit[:1].upper() + unit[1:],
        target=goal.target,
        target_label="target" if goal.target is not None else "",
        trend=False,
        # From zero, so a week of 2 walks does not look like nothing; headroom above the target line.
        y_range=(0.0, max([*(v for _, v in goal.points), goal.target or 0.0]) * 1.15 or 1.0),
        chart_id=chart_id,
        layout="phone",  # legend below the plot: readable on a 360-pixel phone, and in a card on a desk
    )


def goal_chart(goal: family.GoalSummary, src: str) -> EmbeddedChart | None:
    """What the page shows of a goal's chart: the image's address, its text alternative and data table
    (None without values: the page says nothing was logged)."""
    if not goal.points:
        return None
    spec = goal_spec(goal, "share-goal")
    return EmbeddedChart(
        src, f"{spec.title}. {spec.description or default_description(spec)}", data_table(spec)
    )


@router.get("/family", response_class=HTMLResponse, openapi_extra=access("supporter"))
def family_dashboard(
    request: Request,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
) -> Response:
    """Every goal shared with this supporter account, one section per client."""
    if auth.actor.role != "supporter":
        raise NotFound("this page is a supporter's own page")
    sections = family.family_view(ctx, auth.actor)
    charts = {
        f"family-{c}-{s}-{g}": goal_chart(goal, f"/shared-with-me/{share.share_id}/chart.svg?goal={g}")
        for c, section in enumerate(sections)
        for s, share in enumerate(section.shares)
        for g, goal in enumerate(share.goals)
    }
    # A share that includes a daily report card's goal links the card's home report, as the share page does.
    card_urls = {
        share.share_id: f"/shared-with-me/{share.share_id}/card"
        for section in sections
        for share in section.shares
        if home_report.shares_a_card(ctx, share.view)
    }
    response = page(request, "family.html", sections=sections, charts=charts, card_urls=card_urls)
    response.headers["cache-control"] = "no-store"
    return response
