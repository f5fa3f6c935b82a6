"""``/api/v1/clients/{client_id}/baseline``: each metric's baseline summary and stability verdict."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import baseline
from goalwise.services.measurement.baseline import MetricBaseline
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["baseline"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class MetricBaselineOut(BaseModel):
    """One metric's baseline (CLINICAL.md §5.1: Theil-Sen slope)."""

    metric: str = Field(description="Metric key.")
    label: str = Field(description="Metric label.")
    n: int = Field(description="Entries in the baseline.")
    span_days: int = Field(description="Days from the first to the last entry, inclusive.")
    mean: float | None = Field(description="Mean.")
    median: float | None = Field(description="Median.")
    sd: float | None = Field(description="Sample SD.")
    rate_per_week: float | None = Field(description="For counts: total per week.")
    slope_per_week: float | None = Field(description="Theil-Sen slope per week.")
    enough_data: bool = Field(description="At least 5 entries over at least 7 days.")
    improving_steeply: bool = Field(description="Already improving steeply during the baseline.")
    stable: bool = Field(description="Enough data and not improving steeply.")
    more_days_needed: int = Field(description="Days still needed.")
    verdict: str = Field(description="The verdict in plain words.")

    @classmethod
    def of(cls, m: MetricBaseline) -> MetricBaselineOut:
        s = m.summary
        return cls(
            metric=m.metric.key,
            label=m.metric.label,
            n=s.n,
            span_days=s.span_days,
            mean=s.mean,
            median=s.median,
            sd=s.sd,
            rate_per_week=s.rate_per_week,
            slope_per_week=s.slope_per_week,
            enough_data=s.enough_data,
            improving_steeply=s.improving_steeply,
            stable=s.stable,
            more_days_needed=s.more_days_needed,
            verdict=s.verdict,
        )


class BaselineOut(BaseModel):
    """The baseline phase and each metric's summary."""

    phase_id: int | None = Field(description="The baseline phase; null when there is none yet.")
    start_on: date | None = Field(description="First day summarised.")
    end_on: date | None = Field(description="Last day summarised.")
    days_so_far: int = Field(description="Days in the window.")
    planned_days: int | None = Field(description="The phase's planned length.")
    metrics: list[MetricBaselineOut] = Field(description="One summary per metric.")
    message: str = Field(description="Without a baseline phase: how to start one; else empty.")


@router.get(
    "/clients/{client_id}/baseline", response_model=BaselineOut, openapi_extra=access("client-record")
)
def show_baseline(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    metric: Annotated[str | None, Query(description="Only this metric key.")] = None,
    as_of: Annotated[date | None, Query(description="Summarise as of this day; default today.")] = None,
) -> BaselineOut:
    """Baseline summary per metric; without a baseline phase, ``message`` says how to start one."""
    report = baseline.show(ctx, actor, client_id, metric=metric, as_of=as_of)
    return BaselineOut(
        phase_id=report.phase.id if report.phase else None,
        start_on=report.start_on,
        end_on=report.end_on,
        days_so_far=report.days_so_far,
        planned_days=report.planned_days,
        metrics=[MetricBaselineOut.of(m) for m in report.metrics],
        message=report.message,
    )
