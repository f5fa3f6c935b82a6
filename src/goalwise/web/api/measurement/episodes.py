"""``/api/v1/clients/{client_id}/episodes``: the episode (trigger) log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import episodes
from goalwise.services.measurement.episodes import Episode
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["episodes"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class EpisodeIn(BaseModel):
    """An episode; narrative fields are stored encrypted."""

    situation: str | None = Field(default=None, description="Where and what was happening.")
    environment: str | None = Field(default=None, description="Surroundings: people, noise, place.")
    preceding_event: str | None = Field(default=None, description="What happened just before.")
    physiological: str | None = Field(default=None, description="Body responses, e.g. racing heart.")
    emotion: str | None = Field(default=None, description="The emotion felt, in the client's words.")
    intensity: int | None = Field(default=None, description="Intensity of the emotion, 1-10.")
    duration_minutes: float | None = Field(default=None, description="How long it lasted, in minutes.")
    behaviour: str | None = Field(default=None, description="What was done, including avoidance.")
    coping_strategy: str | None = Field(default=None, description="The coping strategy used.")
    coping_rating: int | None = Field(default=None, description="How well the coping worked, 1-5.")
    at: datetime | None = Field(default=None, description="When (ISO 8601; no offset = client's local time).")
    client_ref: str | None = Field(default=None, description="Idempotency key for retries.")


class EpisodeOut(EpisodeIn):
    """A stored episode."""

    id: int = Field(description="Episode id.")
    at: datetime = Field(description="UTC instant.")
    local_on: date = Field(description="The client's local day.")
    emotion_category: str | None = Field(description="The emotion's category (or 'other').")

    @classmethod
    def of(cls, e: Episode) -> EpisodeOut:
        return cls(
            id=e.id,
            at=e.at,
            local_on=e.local_on,
            emotion_category=e.emotion_category,
            situation=e.situation,
            environment=e.environment,
            preceding_event=e.preceding_event,
            physiological=e.physiological,
            emotion=e.emotion,
            intensity=e.intensity,
            duration_minutes=e.duration_minutes,
            behaviour=e.behaviour,
            coping_strategy=e.coping_strategy,
            coping_rating=e.coping_rating,
            client_ref=e.client_ref,
        )


@router.get(
    "/clients/{client_id}/episodes", response_model=list[EpisodeOut], openapi_extra=access("client-record")
)
def list_episodes(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    start: Annotated[date | None, Query(alias="from", description="First local day (inclusive).")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last local day (inclusive).")] = None,
) -> list[EpisodeOut]:
    """The client's episodes by time."""
    return [EpisodeOut.of(e) for e in episodes.list_episodes(ctx, actor, client_id, start=start, end=end)]


@router.post(
    "/clients/{client_id}/episodes",
    response_model=EpisodeOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def add_episode(client_id: int, body: EpisodeIn, ctx: CtxDep, actor: ActorDep) -> EpisodeOut:
    """Log an episode."""
    narrative = body.model_dump(include=set(episodes.NARRATIVE_FIELDS))
    stored = episodes.add_episode(
        ctx,
        actor,
        client_id,
        at=body.at,
        intensity=body.intensity,
        duration_minutes=body.duration_minutes,
        coping_rating=body.coping_rating,
        client_ref=body.client_ref,
        **narrative,
    )
    return EpisodeOut.of(stored)
