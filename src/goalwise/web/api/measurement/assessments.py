"""``/api/v1/clients/{client_id}/assessments``, ``/schedules`` and the public ``/instruments``.

Recording an assessment whose risk item fires (PHQ-9 item 9 of 1 or more, the HAM-D-17 suicide
item) returns the crisis resources in ``crisis`` in the same response, and leaves an alert on the
therapist's caseload until it is acknowledged with a note (DESIGN.md, "Safety").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.core.instruments import Instrument
from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.services.measurement.assessments import DISCLAIMER, Assessment, ScheduleStatus
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["assessments"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class AssessmentIn(BaseModel):
    """One administration of an instrument."""

    instrument: str = Field(max_length=16, description="Code: phq9, gad7, phq2, gad2, hamd17 or who5.")
    answers: list[int | None] = Field(description="Answers in item order; null for an item left blank.")
    at: datetime | None = Field(default=None, description="When (ISO 8601); default now.")
    session_no: int | None = Field(default=None, description="The therapy session it was given at.")


class AssessmentOut(BaseModel):
    """A stored assessment."""

    id: int = Field(description="Assessment id.")
    instrument: str = Field(description="Instrument code.")
    answers: list[int | None] = Field(description="Answers as given (null: blank, never imputed).")
    total: float = Field(description="Total; prorated totals keep their fraction.")
    counted_total: int = Field(
        description="The total the band and every cut-off read: a prorated total rounded half up (4.5 -> 5)."
    )
    total_text: str = Field(description='The total as shown, e.g. "4.5, prorated; counted as 5".')
    severity: str = Field(description="Severity band, lower case.")
    flags: list[str] = Field(description="Risk flags and prompts, e.g. item9_positive.")
    prorated: bool = Field(description="True when blanks were prorated (PHQ-9, NHS rule).")
    at: datetime = Field(description="UTC instant.")
    local_on: date = Field(description="The client's local day.")
    session_no: int | None = Field(description="Therapy session number.")

    @classmethod
    def of(cls, a: Assessment) -> AssessmentOut:
        return cls(
            id=a.id,
            instrument=a.instrument,
            answers=list(a.answers),
            total=a.total,
            counted_total=instruments.counted_total(a.total),
            total_text=instruments.total_text(a.total, a.prorated),
            severity=a.severity,
            flags=list(a.flags),
            prorated=a.prorated,
            at=a.at,
            local_on=a.local_on,
            session_no=a.session_no,
        )


class RecordedOut(AssessmentOut):
    """The stored assessment, its score, and what must be shown at once."""

    syndrome: str | None = Field(description="PHQ-9 algorithm's suggestion; null when any item is blank.")
    percentage: float | None = Field(description="WHO-5 percentage score.")
    crisis: str | None = Field(description="Crisis resources to show now when a risk item fired; else null.")
    alert_ids: list[int] = Field(description="Alerts created for the therapist.")
    notices: list[str] = Field(description="What else to do, e.g. ask a blank risk item.")
    disclaimer: str = Field(default=DISCLAIMER, description="Goalwise supports care; it does not diagnose.")


class OptionOut(BaseModel):
    """An answer option."""

    score: int = Field(description="Its score.")
    text: str = Field(description="Its exact wording.")


class ItemOut(BaseModel):
    """An item with its exact wording and answer options."""

    number: int = Field(description="Item number, from 1.")
    text: str = Field(description="Exact wording.")
    options: list[OptionOut] = Field(description="Answer options in score order.")
    loinc: str | None = Field(description="LOINC code of the item.")


class InstrumentOut(BaseModel):
    """An instrument as data."""

    code: str = Field(description="Code for the API and CLI.")
    name: str = Field(description="Full name.")
    abbreviation: str = Field(description="Abbreviation.")
    recall_period: str = Field(description="The period the items ask about.")
    stem: str = Field(description="The question stem.")
    items: list[ItemOut] = Field(description="Items in order.")
    risk_items: list[int] = Field(
        description="Items that raise an alert when answered above their threshold."
    )
    min_total: int = Field(description="Lowest total.")
    max_total: int = Field(description="Highest total.")
    licence: str = Field(description="Licence note.")
    loinc_panel: str | None = Field(description="LOINC panel code.")

    @classmethod
    def of(cls, i: Instrument) -> InstrumentOut:
        return cls(
            code=i.code,
            name=i.name,
            abbreviation=i.abbreviation,
            recall_period=i.recall_period,
            stem=i.stem,
            items=[
                ItemOut(
                    number=item.number,
                    text=item.text,
                    loinc=item.loinc,
                    options=[OptionOut(score=o.score, text=o.text) for o in item.scale.options],
                )
                for item in i.items
            ],
            risk_items=[r.item for r in i.risk_items],
            min_total=i.min_total,
            max_total=i.max_total,
            licence=i.licence,
            loinc_panel=i.loinc_panel,
        )


class ScheduleIn(BaseModel):
    """Give an instrument every N days."""

    every_days: int = Field(description="Days between administrations, 1-365 (e.g. 14).")
    start_on: date | None = Field(default=None, description="First due day; default today.")


class ScheduleDefOut(BaseModel):
    """A schedule."""

    instrument: str = Field(description="Instrument code.")
    every_days: int = Field(description="Days between administrations.")
    start_on: date = Field(description="First due day.")


class ScheduleOut(ScheduleDefOut):
    """A schedule and its status on ``as_of``."""

    last_on: date | None = Field(description="Last given (on or before as_of).")
    due_on: date = Field(description="Next due day.")
    status: str = Field(description="upcoming, due or overdue.")

    @classmethod
    def of(cls, s: ScheduleStatus) -> ScheduleOut:
        return cls(
            instrument=s.schedule.instrument,
            every_days=s.schedule.every_days,
            start_on=s.schedule.start_on,
            last_on=s.last_on,
            due_on=s.due_on,
            status=s.status,
        )


@router.post(
    "/clients/{client_id}/assessments",
    response_model=RecordedOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def record(client_id: int, body: AssessmentIn, ctx: CtxDep, actor: ActorDep) -> RecordedOut:
    """Score and store an assessment; ``crisis`` holds the crisis resources when a risk item fired."""
    done = assessments.record(
        ctx, actor, client_id, body.instrument, body.answers, at=body.at, session_no=body.session_no
    )
    base = AssessmentOut.of(done.assessment).model_dump()
    return RecordedOut(
        **base,
        syndrome=done.score.syndrome,
        percentage=done.score.percentage,
        crisis=done.crisis,
        alert_ids=list(done.alert_ids),
        notices=list(done.notices),
    )


@router.get(
    "/clients/{client_id}/assessments",
    response_model=list[AssessmentOut],
    openapi_extra=access("client-record"),
)
def list_assessments(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    instrument: Annotated[str | None, Query(description="Only this instrument code.")] = None,
) -> list[AssessmentOut]:
    """The client's assessments by time."""
    return [AssessmentOut.of(a) for a in assessments.list_assessments(ctx, actor, client_id, code=instrument)]


@router.get(
    "/clients/{client_id}/schedules", response_model=list[ScheduleOut], openapi_extra=access("client-record")
)
def list_schedules(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    as_of: Annotated[
        date | None, Query(description="The day to judge on; default today (client's zone).")
    ] = None,
) -> list[ScheduleOut]:
    """The client's instrument schedules, most pressing first."""
    return [ScheduleOut.of(s) for s in assessments.schedules(ctx, actor, client_id, as_of=as_of)]


@router.put(
    "/clients/{client_id}/schedules/{code}",
    response_model=ScheduleDefOut,
    openapi_extra=access("client-record-write"),
)
def set_schedule(client_id: int, code: str, body: ScheduleIn, ctx: CtxDep, actor: ActorDep) -> ScheduleDefOut:
    """Give instrument ``code`` every N days (replaces an earlier schedule for it)."""
    s = assessments.set_schedule(ctx, actor, client_id, code, body.every_days, start_on=body.start_on)
    return ScheduleDefOut(instrument=s.instrument, every_days=s.every_days, start_on=s.start_on)


@router.get("/instruments", response_model=list[InstrumentOut], openapi_extra=access("public"))
def list_instruments() -> list[InstrumentOut]:
    """Every instrument with its items, exact wording and answer options."""
    return [InstrumentOut.of(i) for i in instruments.all_instruments()]


@router.get("/instruments/{code}", response_model=InstrumentOut, openapi_extra=access("public"))
def get_instrument(code: str) -> InstrumentOut:
    """One instrument by code (``PHQ-9`` and ``phq9`` both work); 404 names the valid codes."""
    try:
        return InstrumentOut.of(instruments.get(code))
    except InvalidInput as exc:
        raise NotFound(exc.message) from exc
