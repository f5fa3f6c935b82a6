"""The client's Today, shown at ``/dashboard`` after log-in: the check-in, questionnaires due, the
next step of each active goal with a tick, small wins, and crisis resources one tap away."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from goalwise.core import instruments
from goalwise.services.clinic import client_settings
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.progress import overview, today
from goalwise.web.deps import Auth
from goalwise.web.render import page
from goalwise.web.routes.client_self import goal_chart, own_client

__all__ = ["SELF_REPORT", "client_today"]

#: Questionnaires a client may take on their own at any time.
SELF_REPORT = ("phq9", "gad7", "who5")


def client_today(request: Request, ctx: Context, auth: Auth) -> Response:
    """Render the client's Today page."""
    client_id = own_client(auth)
    view = today.today(ctx, auth.actor, client_id)
    charts = {
        card.goal.id: goal_chart(client_id, card.analysis, "small")
        for card in view.cards
        if card.analysis is not None and card.analysis.labelled
    }
    return page(
        request,
        "client_home.html",
        view=view,
        charts=charts,
        client_id=client_id,
        risk=overview.has_open_risk(ctx, auth.actor, client_id),
        crisis_text=client_settings.client_crisis_text(ctx, auth.actor, client_id),
        questionnaires=[instruments.get(code) for code in SELF_REPORT],
        names={code: instruments.get(code).name for code in instruments.codes()},
        achieved=len(goals.list_goals(ctx, auth.actor, client_id, status="achieved")),
    )
