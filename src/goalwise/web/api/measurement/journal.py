"""``/api/v1/clients/{client_id}/journal``: the client's journal, private by default.

Only the client writes their journal (``client-self``); linked therapists read the entries the
client shared (``client-record``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import journal
from goalwise.services.measurement.journal import JournalEntry
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["journal"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class JournalIn(BaseModel):
    """A journal entry; body and tags are stored encrypted."""

    body: str = Field(description="The entry.")
    triggers: list[str] = Field(default_factory=list, description="Triggers it mentions.")
    coping: list[str] = Field(default_factory=list, description="Coping strategies it mentions.")
    tags: list[str] = Field(default_factory=list, description="Other tags.")
    private: bool = Field(default=True, description="Private entries are not shown to the therapist.")
    at: datetime | None = Field(default=None, description="When (ISO 8601; no offset = client's local time).")
    client_ref: str | None = Field(default=None, description="Idempotency key for retries.")


class JournalOut(JournalIn):
    """A stored journal entry."""

    id: int = Field(description="Entry id.")
    at: datetime = Field(description="UTC instant.")
    local_on: date = Field(description="The client's local day.")

    @classmethod
    def of(cls, e: JournalEntry) -> JournalOut:
        return cls(
            id=e.id,
            at=e.at,
            local_on=e.local_on,
            body=e.body,
            triggers=list(e.triggers),
            coping=list(e.coping),
            tags=list(e.tags),
            private=e.private,
            client_ref=e.client_ref,
        )


class PrivacyIn(BaseModel):
    """Share an entry with the therapist, or make it private again."""

    private: bool = Field(description="True keeps the entry to the client.")


@router.get(
    "/clients/{client_id}/journal", response_model=list[JournalOut], openapi_extra=access("client-record")
)
def list_entries(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    start: Annotated[date | None, Query(alias="from", description="First local day (inclusive).")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last local day (inclusive).")] = None,
) -> list[JournalOut]:
    """The journal: all entries for the client, the shared ones for a therapist."""
    return [JournalOut.of(e) for e in journal.list_entries(ctx, actor, client_id, start=start, end=end)]


@router.post(
    "/clients/{client_id}/journal",
    response_model=JournalOut,
    status_code=201,
    openapi_extra=access("client-self"),
)
def add_entry(client_id: int, body: JournalIn, ctx: CtxDep, actor: ActorDep) -> JournalOut:
    """Write a journal entry (private unless ``private`` is false)."""
    stored = journal.add_entry(
        ctx,
        actor,
        client_id,
        body.body,
        triggers=body.triggers,
        coping=body.coping,
        tags=body.tags,
        private=body.private,
        at=body.at,
        client_ref=body.client_ref,
    )
    return JournalOut.of(stored)


@router.patch(
    "/clients/{client_id}/journal/{entry_id}", response_model=JournalOut, openapi_extra=access("client-self")
)
def set_private(client_id: int, entry_id: int, body: PrivacyIn, ctx: CtxDep, actor: ActorDep) -> JournalOut:
    """Share an entry with the therapist or make it private again."""
    return JournalOut.of(journal.set_private(ctx, actor, client_id, entry_id, body.private))
