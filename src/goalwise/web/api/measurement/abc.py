"""``/api/v1/clients/{client_id}/abc``: ABC chart entries and their summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import abc
from goalwise.services.measurement.abc import AbcEntry, Frequency
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["abc"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
FromQ = Annotated[date | None, Query(alias="from", description="First local day (inclusive).")]
ToQ = Annotated[date | None, Query(alias="to", description="Last local day (inclusive).")]


class AbcIn(BaseModel):
    """An ABC entry; the four narrative fields are stored encrypted."""

    antecedent: str = Field(description="What came before the behaviour.")
    behaviour: str = Field(description="What was done.")
    consequence: str = Field(description="What followed.")
    setting: str | None = Field(default=None, description="Where, with whom.")
    intensity: int | None = Field(default=None, description="Intensity 1-10.")
    duration_minutes: float | None = Field(default=None, description="How long, in minutes.")
    at: datetime | None = Field(default=None, description="When (ISO 8601; no offset = client's local time).")
    client_ref: str | None = Field(default=None, description="Idempotency key for retries.")


class AbcOut(AbcIn):
    """A stored ABC entry."""

    id: int = Field(description="Entry id.")
    at: datetime = Field(description="UTC instant.")
    local_on: date = Field(description="The client's local day.")

    @classmethod
    def of(cls, e: AbcEntry) -> AbcOut:
        return cls(
            id=e.id,
            at=e.at,
            local_on=e.local_on,
            antecedent=e.antecedent,
            behaviour=e.behaviour,
            consequence=e.consequence,
            setting=e.setting,
            intensity=e.intensity,
            duration_minutes=e.duration_minutes,
            client_ref=e.client_ref,
        )


class FrequencyOut(BaseModel):
    """A text and how many entries had it."""

    text: str = Field(description="The text as first written.")
    count: int = Field(description="Entries with it.")

    @classmethod
    def many(cls, items: tuple[Frequency, ...]) -> list[FrequencyOut]:
        return [cls(text=f.text, count=f.count) for f in items]


class BehaviourOut(BaseModel):
    """A behaviour with its most frequent antecedents and consequences."""

    behaviour: str = Field(description="The behaviour.")
    count: int = Field(description="Entries with it.")
    antecedents: list[FrequencyOut] = Field(description="Most frequent antecedents.")
    consequences: list[FrequencyOut] = Field(description="Most frequent consequences.")


class AbcSummaryOut(BaseModel):
    """Behaviours by frequency and the time-of-day profile in the client's local time."""

    entries: int = Field(description="Entries summarised.")
    behaviours: list[BehaviourOut] = Field(description="Behaviours, most frequent first.")
    by_hour: list[int] = Field(description="Entries per local hour 0-23.")
    by_band: dict[str, int] = Field(
        description="Entries per part of the day: night, morning, afternoon, evening."
    )


@router.get("/clients/{client_id}/abc", response_model=list[AbcOut], openapi_extra=access("client-record"))
def list_entries(
    client_id: int, ctx: CtxDep, actor: ActorDep, start: FromQ = None, end: ToQ = None
) -> list[AbcOut]:
    """The client's ABC entries by time."""
    return [AbcOut.of(e) for e in abc.list_entries(ctx, actor, client_id, start=start, end=end)]


@router.post(
    "/clients/{client_id}/abc",
    response_model=AbcOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def add_entry(client_id: int, body: AbcIn, ctx: CtxDep, actor: ActorDep) -> AbcOut:
    """Add an ABC entry."""
    stored = abc.add_entry(
        ctx,
        actor,
        client_id,
        antecedent=body.antecedent,
        behaviour=body.behaviour,
        consequence=body.consequence,
        setting=body.setting,
        at=body.at,
        intensity=body.intensity,
        duration_minutes=body.duration_minutes,
        client_ref=body.client_ref,
    )
    return AbcOut.of(stored)


@router.get(
    "/clients/{client_id}/abc/summary", response_model=AbcSummaryOut, openapi_extra=access("client-record")
)
def summary(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    start: FromQ = None,
    end: ToQ = None,
    top: Annotated[
        int, Query(ge=1, le=20, description="How many antecedents and consequences per behaviour.")
    ] = 3,
) -> AbcSummaryOut:
    """Most frequent antecedents and consequences per behaviour, and a time-of-day profile."""
    result = abc.summary(ctx, actor, client_id, start=start, end=end, top=top)
    return AbcSummaryOut(
        entries=result.entries,
        behaviours=[
            BehaviourOut(
                behaviour=b.behaviour,
                count=b.count,
                antecedents=FrequencyOut.many(b.antecedents),
                consequences=FrequencyOut.many(b.consequences),
            )
            for b in result.behaviours
        ],
        by_hour=list(result.by_hour),
        by_band=dict(result.by_band),
    )
