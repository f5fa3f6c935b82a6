"""``/api/v1/clients/{client_id}/progress/{metric_key}`` and the matching SVG chart."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from goalwise.core.accounts.actor import Actor
from goalwise.reports.charts import line_chart
from goalwise.reports.progress_chart import chart_spec
from goalwise.services.context import Context
from goalwise.services.progress.outcomes import client_outcomes
from goalwise.services.progress.progress import analyse_metric
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["progress"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


def _estimate(e: Any) -> dict[str, Any]:
    return {"value": e.value, "se": e.se, "ci_low": e.ci_low, "ci_high": e.ci_high}


@router.get("/clients/{client_id}/progress/{metric_key}", openapi_extra=access("client-record"))
def progress(
    client_id: int, metric_key: str, ctx: CtxDep, actor: ActorDep, as_of: date | None = None
) -> dict[str, Any]:
    """Weekly values, baseline, effect sizes per intervention phase, forecast and small wins."""
    a = analyse_metric(ctx, actor, client_id, metric_key, as_of)
    s = a.summary
    return {
        "metric": a.key,
        "label": a.label,
        "kind": a.kind,
        "unit": a.unit,
        "as_of": s.as_of,
        "points": [{"on": on, "value": v, "label": label} for on, v, label in a.labelled],
        "weeks": [
            {"week": f"{w.week.year}-W{w.week.week:02d}", "value": w.value, "days_logged": w.days_logged}
            for w in s.weeks
        ],
        "baseline": None
        if s.baseline is None
        else {
            "n": s.baseline.n,
            "mean": s.baseline.mean,
            "median": s.baseline.median,
            "sd": s.baseline.sd,
            "rate_per_week": s.baseline.rate_per_week,
            "slope_per_week": s.baseline.slope_per_week,
            "verdict": s.baseline.verdict,
        },
        "effects": [
            {
                "phase": e.phase,
                "start_on": e.start_on,
                "n_days": e.n_days,
                "nap": _estimate(e.nap),
                "tau": _estimate(e.tau),
                "tau_u": e.tau_u.value,
                "tau_bc": None if e.tau_bc is None else _estimate(e.tau_bc),
                "pnd": e.pnd.value,
                "pem": e.pem.value,
                "pand": e.pand.value,
                "ird": e.ird.value,
                "level_change": e.level_change,
                "slope_per_week_before": e.slope_per_week_before,
                "slope_per_week_after": e.slope_per_week_after,
            }
            for e in s.effects
        ],
        "forecast": None
        if s.forecast is None
        else {
            "status": s.forecast.status,
            "reason": s.forecast.reason,
            "deadline_on": s.forecast.deadline_on,
            "projected": s.forecast.projected,
            "low": s.forecast.low,
            "high": s.forecast.high,
            "slope_per_week": s.forecast.slope_per_week,
        },
        "progress_fraction": s.progress_fraction,
        "change_percent": s.change_percent,
        "sudden_gains": [
            {"session_index": g.session_index, "session": g.session, "pre": g.pre, "post": g.post}
            for g in a.sudden_gains
        ],
        "wins": [{"kind": w.kind, "message": w.message, "on": w.on, "tone": w.tone} for w in s.wins],
        "note": "Goalwise supports care; it does not diagnose." if a.kind == "instrument" else None,
    }


@router.get(
    "/clients/{client_id}/charts/{metric_key}.svg",
    openapi_extra=access("client-record"),
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The chart as SVG."}},
)
def chart_svg(
    client_id: int, metric_key: str, ctx: CtxDep, actor: ActorDep, as_of: date | None = None
) -> Response:
    """The line chart (title, description and role="img" inside the SVG)."""
    analysis = analyse_metric(ctx, actor, client_id, metric_key, as_of)
    return Response(
        line_chart(chart_spec(analysis)),
        media_type="image/svg+xml",
        headers={"cache-control": "private, no-store"},
    )


@router.get("/clients/{client_id}/outcomes", openapi_extra=access("client-record"))
def outcomes(client_id: int, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """PHQ-9 and GAD-7 outcomes: so far (first versus latest: reliable change, response, remission),
    PHQ-9 response and remission at 6 and 12 months as CMS159v8 / NQF 1884-1885 define them
    (``phq9_windows``), and the NHS Talking Therapies pair outcome with each measure's category."""
    result = client_outcomes(ctx, actor, client_id)
    return {
        "phq9": None if result.phq9 is None else asdict(result.phq9),
        "gad7": None if result.gad7 is None else asdict(result.gad7),
        "phq9_response": result.phq9_response,
        "phq9_remission": result.phq9_remission,
        "pair": None if result.pair is None else asdict(result.pair),
        "phq9_windows": [asdict(w) for w in result.phq9_windows],
        "nhs_pair": None if result.nhs_pair is None else asdict(result.nhs_pair),
        "note": "Goalwise supports care; it does not diagnose.",
    }
