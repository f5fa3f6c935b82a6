"""``/api/v1/clients/{client_id}/observations``, ``/checkins`` and ``/metrics``.

Observations are read by the client and their linked therapists (``client-record``) and written
by the same people (``client-record-write``); supporters never write. A ``client_ref`` makes a
POST idempotent: a retry returns what was stored and stores nothing new.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from pydantic_core import to_json

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import checkins, observations
from goalwise.services.measurement.observations import StoredObservation
from goalwise.services.measurement.record_store import MetricInfo
from goalwise.web.api.access import access
from goalwise.web.deps import authenticate, caller, context_of, current_actor, get_ctx
from goalwise.web.direct import answers_directly
from goalwise.web.write_slots import run_write

router = APIRouter(tags=["observations"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
CallerDep = Annotated[Request, Depends(caller)]

_AT = "When it happened (ISO 8601); without an offset it is the client's local time; default now."
_REF = "A client-chosen id (up to 64 characters) that makes a retried submission store once."


class ObservationIn(BaseModel):
    """One value of one metric."""

    metric: str = Field(
        max_length=64, description="Metric key: mood, anxiety, sleep_hours or a goal's metric."
    )
    value: float = Field(
        description="The value on the metric's scale (mood and anxiety 1-10, sleep in hours)."
    )
    denominator: float | None = Field(default=None, description="For a proportion: how many in all (x of n).")
    at: datetime | None = Field(default=None, description=_AT)
    note: str | None = Field(default=None, description="Optional note; stored encrypted.")
    client_ref: str | None = Field(default=None, description=_REF)


class ObservationEdit(BaseModel):
    """A correction: the old version is kept in the history and no longer read."""

    value: float = Field(description="The corrected value.")
    denominator: float | None = Field(default=None, description="For a proportion: how many in all.")
    at: datetime | None = Field(default=None, description="A corrected time; omitted keeps the old one.")
    note: str | None = Field(default=None, description="A new note; omitted keeps the old one.")


class ObservationOut(BaseModel):
    """A stored observation."""

    id: int = Field(description="Observation id.")
    metric: str = Field(description="Metric key.")
    at: datetime = Field(description="UTC instant.")
    local_on: date = Field(description="The client's local day.")
    value: float = Field(description="The value.")
    denominator: float | None = Field(description="For a proportion: how many in all.")
    note: str | None = Field(description="The note, decrypted.")
    client_ref: str | None = Field(description="The idempotency key it was sent with.")
    replaces_id: int | None = Field(description="The observation this one corrected, if any.")

    @classmethod
    def of(cls, o: StoredObservation) -> ObservationOut:
        return cls(**_observation_fields(o))


def _observation_fields(o: StoredObservation) -> dict[str, object]:
    """An observation's fields as ``ObservationOut`` names them."""
    return {
        "id": o.id,
        "metric": o.metric_key,
        "at": o.at,
        "local_on": o.local_on,
        "value": o.value,
        "denominator": o.denominator,
        "note": o.note,
        "client_ref": o.client_ref,
        "replaces_id": o.replaces_id,
    }


class CheckinIn(BaseModel):
    """The daily check-in; every value is optional but at least one is needed."""

    mood: float | None = Field(default=None, description="Mood 1-10 (higher is better).")
    anxiety: float | None = Field(default=None, description="Anxiety 1-10 (lower is better).")
    sleep_hours: float | None = Field(default=None, description="Hours slept, 0-24.")
    note: str | None = Field(default=None, description="Optional note; stored encrypted.")
    goal_values: dict[str, float | list[float]] = Field(
        default_factory=dict,
        description="Today's goal metrics: {metric_key: value}, or [x, n] for a proportion.",
    )
    at: datetime | None = Field(default=None, description=_AT)
    client_ref: str | None = Field(default=None, description=_REF)


class CheckinOut(BaseModel):
    """What the check-in stored."""

    at: datetime = Field(description="UTC instant of the check-in.")
    local_on: date = Field(description="The client's local day.")
    observations: list[ObservationOut] = Field(description="One observation per value.")
    replayed: bool = Field(description="True when a retry returned what was stored the first time.")


class MetricOut(BaseModel):
    """A metric of the client."""

    key: str = Field(description="Metric key.")
    label: str = Field(description="Display label.")
    kind: str = Field(description="count, duration, rating, proportion, checklist or instrument.")
    unit: str | None = Field(description="Unit, e.g. hours.")
    period: str | None = Field(description="day or week.")
    scale_min: float | None = Field(description="Lowest value on the scale.")
    scale_max: float | None = Field(description="Highest value on the scale.")
    higher_is_better: bool = Field(description="Which direction is improvement.")
    in_checkin: bool = Field(description="Asked in the daily check-in.")
    id: int | None = Field(description="Metric id; null for a standard metric not used yet.")

    @classmethod
    def of(cls, m: MetricInfo) -> MetricOut:
        return cls(
            key=m.key,
            label=m.label,
            kind=m.kind,
            unit=m.unit,
            period=m.period,
            scale_min=m.scale_min,
            scale_max=m.scale_max,
            higher_is_better=m.higher_is_better,
            in_checkin=m.in_checkin,
            id=m.id,
        )


@router.get(
    "/clients/{client_id}/observations",
    response_model=list[ObservationOut],
    openapi_extra=access("client-record"),
)
def list_observations(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    metric: Annotated[str | None, Query(description="Only this metric key.")] = None,
    start: Annotated[date | None, Query(alias="from", description="First local day (inclusive).")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last local day (inclusive).")] = None,
) -> list[ObservationOut]:
    """Current observations (corrections replace the old versions), by time."""
    found = observations.list_observations(ctx, actor, client_id, metric=metric, start=start, end=end)
    return [ObservationOut.of(o) for o in found]


@router.post(
    "/clients/{client_id}/observations",
    response_model=ObservationOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def log_observation(client_id: int, body: ObservationIn, ctx: CtxDep, actor: ActorDep) -> ObservationOut:
    """Log one value; a retry with the same ``client_ref`` returns the stored observation."""
    stored = observations.log(
        ctx,
        actor,
        client_id,
        body.metric,
        body.value,
        at=body.at,
        note=body.note,
        denominator=body.denominator,
        client_ref=body.client_ref,
    )
    return ObservationOut.of(stored)


@router.put(
    "/clients/{client_id}/observations/{observation_id}",
    response_model=ObservationOut,
    openapi_extra=access("client-record-write"),
)
def edit_observation(
    client_id: int, observation_id: int, body: ObservationEdit, ctx: CtxDep, actor: ActorDep
) -> ObservationOut:
    """Correct an observation; the old version is kept in the history."""
    stored = observations.edit(
        ctx,
        actor,
        client_id,
        observation_id,
        value=body.value,
        at=body.at,
        note=body.note,
        denominator=body.denominator,
    )
    return ObservationOut.of(stored)


async def _checkin(request: Request, ids: dict[str, int], body: CheckinIn) -> Response:
    """The check-in endpoint's work, for FastAPI's way in and the direct one (``web/direct.py``)."""
    ctx = context_of(request)  # not a dependency of its own: each one costs every check-in
    client_id = ids["client_id"]
    goal_values = {k: tuple(v) if isinstance(v, list) else v for k, v in body.goal_values.items()}

    def store() -> checkins.Checkin:
        # The caller is looked up in the same threadpool call, and on the same write transaction,
        # that stores the check-in: each hop to the threadpool and each connection taken costs a
        # waiting room of phones checking in at once.
        return checkins.checkin(
            ctx,
            lambda conn: authenticate(request, conn),
            client_id,
            mood=body.mood,
            anxiety=body.anxiety,
            sleep_hours=body.sleep_hours,
            note=body.note,
            goal_values=goal_values,
            at=body.at,
            client_ref=body.client_ref,
        )

    done = await run_write(ctx, store)
    return Response(checkin_json(done), status_code=201, media_type="application/json")


def checkin_json(done: checkins.Checkin) -> bytes:
    """``CheckinOut`` of a stored check-in as JSON, the same bytes as the model's (a test holds
    them to it), without validating the service's own values once more: building the models and
    validating them cost a phone's check-in more than writing the JSON."""
    return to_json(
        {
            "at": done.at,
            "local_on": done.local_on,
            "observations": [_observation_fields(o) for o in done.observations],
            "replayed": done.replayed,
        }
    )


@router.post(
    "/clients/{client_id}/checkins",
    response_model=CheckinOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
@answers_directly(CheckinIn, _checkin, before=caller)
async def checkin(client_id: int, body: CheckinIn, request: CallerDep) -> Response:
    """The daily check-in: all values are checked first, then stored together or not at all.

    A phone's most frequent request: its well-formed requests skip FastAPI's per-request work
    (``web/direct.py``); this is the way in for everything else, with FastAPI's error answers.
    """
    return await _checkin(request, {"client_id": client_id}, body)


@router.get(
    "/clients/{client_id}/metrics", response_model=list[MetricOut], openapi_extra=access("client-record")
)
def list_metrics(client_id: int, ctx: CtxDep, actor: ActorDep) -> list[MetricOut]:
    """The client's metrics; ``in_checkin`` marks what the daily check-in asks."""
    return [MetricOut.of(m) for m in observations.list_metrics(ctx, actor, client_id)]
