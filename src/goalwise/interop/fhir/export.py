"""A client's record as a FHIR R4 Bundle (``fhir.resources.R4B`` models, wire-compatible with R4).

Resources (CLINICAL.md §6): a pseudonymous Patient (the display name only, as an anonymous name);
a Goal per goal (lifecycleStatus and achievementStatus from ``core.lifecycle``, the target's
measure as LOINC where the goal tracks an instrument); an Observation per questionnaire total
(LOINC 44261-6 PHQ-9, 70274-6 GAD-7) derived from its QuestionnaireResponse (answers as LA codes);
an Observation per value of a goal's metric; a CarePlan linking the goals, their plan steps and
the assessment schedules. Entries are addressed by ``urn:uuid`` made from the client and the
resource (UUID 5), so the same records give the same bundle and every reference resolves inside it.
"""

from __future__ import annotations

import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.core.lifecycle import FHIR_LIFECYCLE, FHIR_STATUS_REASON, fhir_achievement, parse_status
from goalwise.interop.fhir.codes import LOINC, UCUM, bundle_problems
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals
from goalwise.services.measurement import assessments, observations
from goalwise.services.measurement.assessments import Assessment
from goalwise.services.progress.progress import analyse_metric

__all__ = ["client_bundle"]

_NAMESPACE = uuid.UUID("6f0b8d1e-51c5-4c0e-9a7e-2f1d3c4b5a69")
_SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
_BEHAVIORAL = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/goal-category",
            "code": "behavioral",
            "display": "Behavioral",
        }
    ]
}


class _Urls:
    """The fullUrl of each resource of one client's bundle."""

    def __init__(self, client_id: int) -> None:
        self.client_id = client_id

    def __call__(self, kind: str, key: object) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'goalwise/{self.client_id}/{kind}/{key}')}"


def _score(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def _total_code(instrument: instruments.Instrument) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": f"{instrument.name} total score"}
    if instrument.loinc_total:
        concept["coding"] = [{"system": LOINC, "code": instrument.loinc_total, "display": concept["text"]}]
    return concept


def _response(a: Assessment, url: _Urls, patient: str) -> dict[str, Any]:
    instrument = instruments.get(a.instrument)
    items = [*instrument.items, *([instrument.extra_item] if instrument.extra_item else [])]
    answered = []
    for item, answer in zip(items, a.answers, strict=False):
        if answer is None:
            continue
        option = item.scale.option(answer)
        value = (
            {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.text}}
            if option.loinc
            else {"valueInteger": answer}
        )
        answered.append({"linkId": item.loinc or str(item.number), "text": item.text, "answer": [value]})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"qr-{a.id}",
        "status": "completed",
        "subject": {"reference": patient},
        "authored": a.at.isoformat(),
        "item": answered,
    }
    if instrument.loinc_panel:
        resource["questionnaire"] = f"http://loinc.org/q/{instrument.loinc_panel}"
    return resource


def _total(a: Assessment, url: _Urls, patient: str) -> dict[str, Any]:
    instrument = instruments.get(a.instrument)
    return {
        "resourceType": "Observation",
        "id": f"total-{a.id}",
        "status": "final",
        "category": [_SURVEY],
        "code": _total_code(instrument),
        "subject": {"reference": patient},
        "effectiveDateTime": a.at.isoformat(),
        "valueQuantity": _score(a.total),
        "derivedFrom": [{"reference": url("QuestionnaireResponse", a.id)}],
    }


def _target(goal: goals.Goal) -> list[dict[str, Any]]:
    spec = goal.spec
    target = spec.get("target")
    value = target.get("value") if isinstance(target, dict) else target
    metric: dict[str, Any] = spec["metric"] if isinstance(spec.get("metric"), dict) else {}
    instrument_code = metric.get("instrument")
    if isinstance(instrument_code, str) and instrument_code in instruments.codes():
        measure = _total_code(instruments.get(instrument_code))
        quantity = _score(float(value)) if isinstance(value, int | float) else None
    else:
        unit = metric.get("unit") or metric.get("kind") or "value"
        measure = {"text": f"{unit} per {metric.get('period', 'day')}"}
        quantity = {"value": float(value), "unit": str(unit)} if isinstance(value, int | float) else None
    found: dict[str, Any] = {"measure": measure}
    comparator = target.get("comparator") if isinstance(target, dict) else None
    if quantity is not None:
        if comparator in ("<", "<=", ">=", ">"):
            quantity["comparator"] = comparator
        found["detailQuantity"] = quantity
    if goal.deadline_on:
        found["dueDate"] = goal.deadline_on.isoformat()
    return [found]


# The forecast of an active goal's data (clinician guide section 7) as a goal-achievement code.
_PROGRESS = {
    "on_track": "improving",
    "achieved": "sustaining",
    "at_risk": "no-change",
    "off_track": "no-progress",
}


def _progress(ctx: Context, actor: Actor, goal: goals.Goal) -> str | None:
    if goal.metric_key is None or goal.status != "active":
        return None
    try:
        forecast = analyse_metric(ctx, actor, goal.client_id, goal.metric_key).summary.forecast
    except NotFound:
        return None  # nothing logged yet
    return _PROGRESS.get(forecast.status) if forecast else None


def _goal(goal: goals.Goal, patient: str, progress: str | None) -> dict[str, Any]:
    status = parse_status(goal.status)
    assert status is not None  # stored statuses are valid
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": f"goal-{goal.id}",
        "lifecycleStatus": FHIR_LIFECYCLE[status],
        "category": [_BEHAVIORAL],
        "description": {"text": goal.title},
        "subject": {"reference": patient},
        "target": _target(goal),
    }
    achievement = fhir_achievement(status, progress)
    if achievement is not None:
        resource["achievementStatus"] = achievement
    if status in FHIR_STATUS_REASON:
        resource["statusReason"] = FHIR_STATUS_REASON[status]
    if goal.start_on:
        resource["startDate"] = goal.start_on.isoformat()
    return resource


def _metric_values(
    ctx: Context, actor: Actor, client_id: int, on_metric: list[goals.Goal], url: _Urls, patient: str
) -> list[dict[str, Any]]:
    """Each stored value of one metric once, with every goal measured by it as its focus.

    A metric outlives its goals (a goal achieved at a review is followed by the next step on the same
    metric), so values are not repeated per goal: a bundle's entries must be unique.
    """
    latest = on_metric[-1]
    metric: dict[str, Any] = latest.spec["metric"] if isinstance(latest.spec.get("metric"), dict) else {}
    unit = str(metric.get("unit") or metric.get("kind") or "value")
    focus = [{"reference": url("Goal", goal.id)} for goal in on_metric]
    return [
        {
            "resourceType": "Observation",
            "id": f"value-{o.id}",
            "status": "final",
            "code": {"text": latest.title},
            "subject": {"reference": patient},
            "focus": focus,
            "effectiveDateTime": o.at.isoformat(),
            "valueQuantity": {"value": o.value, "unit": unit},
        }
        for o in observations.list_observations(ctx, actor, client_id, metric=latest.metric_key)
    ]


def _care_plan(
    ctx: Context, actor: Actor, client_id: int, found: list[goals.Goal], url: _Urls, patient: str
) -> dict[str, Any]:
    activities = []
    for goal in found:
        for item in goal_plans.get_plan(ctx, actor, goal.id).items:
            detail: dict[str, Any] = {
                "kind": "Task",
                "status": "completed" if item.done_at else "not-started",
                "description": item.title,
                "goal": [{"reference": url("Goal", goal.id)}],
            }
            if item.due_on:
                detail["scheduledString"] = f"by {item.due_on.isoformat()}"
            activities.append({"detail": detail})
    for s in assessments.schedules(ctx, actor, client_id):
        instrument = instruments.get(s.schedule.instrument)
        code: dict[str, Any] = {"text": instrument.name}
        if instrument.loinc_panel:
            code["coding"] = [{"system": LOINC, "code": instrument.loinc_panel, "display": instrument.name}]
        timing = {"repeat": {"boundsPeriod": {"start": s.schedule.start_on.isoformat()}, "frequency": 1,
                             "period": s.schedule.every_days, "periodUnit": "d"}}  # fmt: skip
        activities.append({"detail": {"kind": "ServiceRequest", "code": code, "status": "scheduled",
                                      "scheduledTiming": timing}})  # fmt: skip
    return {
        "resourceType": "CarePlan",
        "id": f"careplan-{client_id}",
        "status": "active",
        "intent": "plan",
        "title": "Goalwise goals and plan",
        "subject": {"reference": patient},
        "goal": [{"reference": url("Goal", g.id)} for g in found],
        "activity": activities,
    }


def client_bundle(ctx: Context, actor: Actor, client_id: int) -> dict[str, Any]:
    """The client's FHIR R4 collection Bundle as JSON-ready data, checked by the ``fhir.resources``
    models and by :func:`goalwise.interop.fhir.codes.bundle_problems`; ``NotFound`` when the actor
    may not read the client's records."""
    client = clients.get_client(ctx, actor, client_id)
    url = _Urls(client_id)
    patient = url("Patient", client_id)
    resources: list[tuple[str, object, dict[str, Any]]] = [
        ("Patient", client_id, {"resourceType": "Patient", "id": f"client-{client_id}",
                                "name": [{"use": "anonymous", "text": client.name}]}),
    ]  # fmt: skip
    found = [g for g in goals.list_goals(ctx, actor, client_id)]
    by_metric: dict[str, list[goals.Goal]] = {}
    for goal in found:
        resources.append(("Goal", goal.id, _goal(goal, patient, _progress(ctx, actor, goal))))
        if goal.metric_key is not None:
            by_metric.setdefault(goal.metric_key, []).append(goal)
    for on_metric in by_metric.values():
        resources += [
            ("Observation", r["id"], r)
            for r in _metric_values(ctx, actor, client_id, on_metric, url, patient)
        ]
    for a in assessments.list_assessments(ctx, actor, client_id):
        resources.append(("QuestionnaireResponse", a.id, _response(a, url, patient)))
        resources.append(("Observation", f"total-{a.id}", _total(a, url, patient)))
    resources.append(("CarePlan", client_id, _care_plan(ctx, actor, client_id, found, url, patient)))
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": url(kind, key), "resource": resource} for kind, key, resource in resources],
    }
    problems = bundle_problems(data)
    if problems:
        raise InvalidInput(problems)
    bundle = Bundle.model_validate(data)
    out: dict[str, Any] = bundle.model_dump(mode="json", exclude_none=True)
    return out
