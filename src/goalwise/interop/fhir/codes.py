"""FHIR R4 code systems and our own checks of a bundle: the value sets and invariants that the
``fhir.resources`` models accept unchecked (CLINICAL.md §6.2: code enums and gol-1 are not enforced).

Value sets: hl7.org/fhir/R4 (goal-status, goal-achievement, observation-status,
questionnaire-answers-status, care-plan-status, care-plan-intent, care-plan-activity-status,
care-plan-activity-kind, quantity-comparator). LOINC codes come from the instruments as data
(``core.instruments``; CLINICAL.md §1.1, §2.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from goalwise.core import instruments
from goalwise.core.errors import Problem
from goalwise.core.lifecycle import ACHIEVEMENT_CODES, ACHIEVEMENT_SYSTEM

__all__ = [
    "LOINC",
    "UCUM",
    "answer_codes",
    "bundle_problems",
    "instrument_by_panel",
    "instrument_by_total",
]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"

_GOAL_STATUS = {
    "proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error",
    "rejected",
}  # fmt: skip
_OBSERVATION_STATUS = {
    "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown",
}  # fmt: skip
_QR_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
_CAREPLAN_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
_CAREPLAN_INTENT = {"proposal", "plan", "order", "option"}
_ACTIVITY_STATUS = {
    "not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped", "unknown",
    "entered-in-error",
}  # fmt: skip
_ACTIVITY_KIND = {
    "Appointment", "CommunicationRequest", "DeviceRequest", "MedicationRequest", "NutritionOrder", "Task",
    "ServiceRequest", "VisionPrescription",
}  # fmt: skip
_COMPARATORS = {"<", "<=", ">=", ">"}


def instrument_by_total(code: str) -> instruments.Instrument | None:
    """The instrument whose total-score LOINC code is ``code`` (44261-6 PHQ-9, 70274-6 GAD-7, ...)."""
    return next((i for i in map(instruments.get, instruments.codes()) if i.loinc_total == code), None)


def instrument_by_panel(code: str) -> instruments.Instrument | None:
    """The instrument whose panel LOINC code is ``code`` (44249-1 PHQ-9, 69737-5 GAD-7, ...)."""
    return next((i for i in map(instruments.get, instruments.codes()) if i.loinc_panel == code), None)


def answer_codes(instrument: instruments.Instrument) -> dict[str, dict[str, int]]:
    """For each item's LOINC code, its answers' LA codes and their scores (LL358-3, LL359-1)."""
    items = [*instrument.items, *([instrument.extra_item] if instrument.extra_item else [])]
    return {
        item.loinc: {o.loinc: o.score for o in item.scale.options if o.loinc}
        for item in items
        if item.loinc is not None
    }


def _codings(concept: Any) -> Iterator[dict[str, Any]]:
    if isinstance(concept, dict):
        yield from (c for c in concept.get("coding", []) if isinstance(c, dict))


def _problem(where: str, message: str, hint: str) -> Problem:
    return Problem("fhir-code", where, message, hint)


def _in(value: Any, allowed: set[str], where: str) -> list[Problem]:
    if value in allowed:
        return []
    return [
        _problem(
            where, f"{where} is {value!r}, not a code of its value set.", "Use one of the FHIR R4 codes."
        )
    ]


def _goal(res: dict[str, Any], where: str) -> list[Problem]:
    found = _in(res.get("lifecycleStatus"), _GOAL_STATUS, f"{where}.lifecycleStatus")
    for c in _codings(res.get("achievementStatus")):
        if c.get("system") != ACHIEVEMENT_SYSTEM or c.get("code") not in ACHIEVEMENT_CODES:
            found.append(
                _problem(f"{where}.achievementStatus", "The achievement code is unknown.", ACHIEVEMENT_SYSTEM)
            )
    for n, target in enumerate(res.get("target", [])):
        has_detail = any(key.startswith("detail") for key in target)
        if has_detail and not target.get("measure"):  # invariant gol-1
            found.append(
                _problem(
                    f"{where}.target[{n}]", "A target with a detail has no measure (gol-1).", "Add measure."
                )
            )
        comparator = target.get("detailQuantity", {}).get("comparator")
        if comparator is not None:
            found += _in(comparator, _COMPARATORS, f"{where}.target[{n}].detailQuantity.comparator")
    return found


def _observation(res: dict[str, Any], where: str) -> list[Problem]:
    found = _in(res.get("status"), _OBSERVATION_STATUS, f"{where}.status")
    for c in _codings(res.get("code")):
        if c.get("system") == LOINC and instrument_by_total(str(c.get("code"))) is None:
            found.append(
                _problem(f"{where}.code", "The LOINC code is not an instrument total we know.", "44261-6")
            )
    return found


def _questionnaire_response(res: dict[str, Any], where: str) -> list[Problem]:
    found = _in(res.get("status"), _QR_STATUS, f"{where}.status")
    panel = str(res.get("questionnaire", "")).rsplit("/", 1)[-1]
    instrument = instrument_by_panel(panel)
    known = answer_codes(instrument) if instrument else {}
    for n, item in enumerate(res.get("item", [])):
        for answer in item.get("answer", []):
            coding = answer.get("valueCoding")
            if coding is None:
                continue
            allowed = known.get(item.get("linkId"), {})
            if coding.get("system") != LOINC or coding.get("code") not in allowed:
                found.append(
                    _problem(
                        f"{where}.item[{n}]", "The answer's LA code is not one of the item's.", "LL358-3"
                    )
                )
    return found


def _care_plan(res: dict[str, Any], where: str) -> list[Problem]:
    found = _in(res.get("status"), _CAREPLAN_STATUS, f"{where}.status")
    found += _in(res.get("intent"), _CAREPLAN_INTENT, f"{where}.intent")
    for n, activity in enumerate(res.get("activity", [])):
        detail = activity.get("detail", {})
        found += _in(detail.get("status"), _ACTIVITY_STATUS, f"{where}.activity[{n}].detail.status")
        if "kind" in detail:
            found += _in(detail["kind"], _ACTIVITY_KIND, f"{where}.activity[{n}].detail.kind")
    return found


_CHECKS = {
    "Goal": _goal,
    "Observation": _observation,
    "QuestionnaireResponse": _questionnaire_response,
    "CarePlan": _care_plan,
}


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def bundle_problems(bundle: dict[str, Any]) -> list[Problem]:
    """Every code outside its value set, every broken gol-1 and every reference that no entry's
    ``fullUrl`` answers, in one list (empty for a good bundle)."""
    entries = bundle.get("entry", [])
    urls = {e.get("fullUrl") for e in entries}
    found: list[Problem] = []
    for n, entry in enumerate(entries):
        resource = entry.get("resource", {})
        where = f"entry[{n}]"
        check = _CHECKS.get(resource.get("resourceType"))
        if check is not None:
            found += check(resource, f"{where}.{resource['resourceType']}")
        for ref in _references(resource):
            if ref not in urls:
                found.append(Problem("fhir-reference", where, "A reference points outside the bundle.", ref))
    return found
