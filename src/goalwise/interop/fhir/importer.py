"""Reading PHQ-9 and GAD-7 answers out of FHIR: QuestionnaireResponses and Observations.

Accepted (a Bundle of them, or one resource):

* a ``QuestionnaireResponse`` whose ``questionnaire`` ends in the panel's LOINC code (44249-1
  PHQ-9, 69737-5 GAD-7), with items whose ``linkId`` (or first ``code``) is the item's LOINC code
  and whose answer is a LOINC answer (``valueCoding``, LA codes of LL358-3 / LL359-1) or an
  integer score;
* a panel ``Observation`` (code 44249-1 or 69737-5) with the items as ``component`` entries or as
  ``hasMember`` references to item Observations in the same bundle (``valueCodeableConcept`` with
  the LA code, or ``valueInteger``);
* a total-score ``Observation`` (44261-6, 70274-6) only alongside its answers (``derivedFrom``
  a QuestionnaireResponse of the file): Goalwise keeps every item, because PHQ-9 item 9 is a safety
  item that must never be lost, so a lone total is refused with a problem that says so.

Answers map by score, not by LA code alone (CLINICAL.md §2.1: an LHC-Forms GAD-7 binds item 2 to
LA18938-3 "More days than not" for the score 2, which is accepted here as that score). Problems
name the entry and never quote its content.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from goalwise.core import instruments
from goalwise.core.errors import Problem
from goalwise.interop.fhir.codes import LOINC, answer_codes, instrument_by_panel, instrument_by_total
from goalwise.services.transfer.fhir_import import Questionnaire

__all__ = ["read_fhir"]

# Answer codes other exports use for a score, accepted besides LL358-3 (CLINICAL.md §2.1).
_EXTRA_ANSWERS = {"LA18938-3": 2}
_SUPPORTED = ("phq9", "gad7")


def _problem(where: str, message: str, hint: str) -> Problem:
    return Problem("fhir-import", where, message, hint)


def _entries(data: Any) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        for n, entry in enumerate(data.get("entry") or []):
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                yield f"entry[{n}]", entry.get("fullUrl"), entry["resource"]
    elif isinstance(data, dict):
        yield "resource", None, data


def _loinc(concept: Any) -> str | None:
    if isinstance(concept, dict):
        for coding in concept.get("coding") or []:
            if isinstance(coding, dict) and coding.get("system") == LOINC:
                return str(coding.get("code"))
    return None


def _when(resource: dict[str, Any], *keys: str) -> datetime | None:
    for key in keys:
        value = resource.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return None
    return None


def _score(value: dict[str, Any], item_code: str, known: dict[str, dict[str, int]]) -> int | None:
    """An answer's score from ``valueCoding`` / ``valueCodeableConcept`` (LA code) or ``valueInteger``."""
    if isinstance(value.get("valueInteger"), int):
        return int(value["valueInteger"])
    coding = value.get("valueCoding") or {}
    code = coding.get("code") if isinstance(coding, dict) else None
    code = code or _loinc(value.get("valueCodeableConcept"))
    scores = {**_EXTRA_ANSWERS, **known.get(item_code, {})}
    return scores.get(str(code)) if code else None


def _answers(
    instrument: instruments.Instrument, found: dict[str, int | None], where: str
) -> tuple[tuple[int | None, ...], list[Problem]]:
    codes = [item.loinc for item in instrument.items]
    extra = [
        k
        for k in found
        if k not in codes and k != (instrument.extra_item.loinc if instrument.extra_item else None)
    ]
    problems = (
        [
            _problem(
                where,
                f"An item code of the {instrument.abbreviation} is unknown.",
                "Use the items' LOINC codes.",
            )
        ]
        if extra
        else []
    )
    answers = [found.get(str(code)) for code in codes]
    if instrument.extra_item and instrument.extra_item.loinc in found:
        answers.append(found[instrument.extra_item.loinc])
    return tuple(answers), problems


def _from_response(res: dict[str, Any], where: str) -> tuple[Questionnaire | None, list[Problem]]:
    panel = str(res.get("questionnaire") or "").rsplit("/", 1)[-1].split("|")[0]
    instrument = instrument_by_panel(panel)
    if instrument is None or instrument.code not in _SUPPORTED:
        return None, [
            _problem(
                where,
                "The questionnaire is not the PHQ-9 (44249-1) or GAD-7 (69737-5).",
                "Only these import.",
            )
        ]
    known = answer_codes(instrument)
    found: dict[str, int | None] = {}
    problems: list[Problem] = []
    for item in res.get("item") or []:
        code = str(item.get("linkId") or _loinc({"coding": item.get("code") or []}))
        answers = item.get("answer") or []
        score = _score(answers[0], code, known) if answers and isinstance(answers[0], dict) else None
        if answers and score is None:
            problems.append(
                _problem(
                    where,
                    f"An answer of the {instrument.abbreviation} has no known code or score.",
                    "LA6568-5 ... LA6571-9",
                )
            )
        found[code] = score
    answers_in_order, item_problems = _answers(instrument, found, where)
    at = _when(res, "authored")
    if at is None:
        problems.append(
            _problem(where, "The QuestionnaireResponse has no readable 'authored' time.", "Add authored.")
        )
    if problems or item_problems or at is None:
        return None, problems + item_problems
    return Questionnaire(instrument.code, answers_in_order, at, where), []


def _from_panel(
    res: dict[str, Any], where: str, instrument: instruments.Instrument, by_url: dict[str, dict[str, Any]]
) -> tuple[Questionnaire | None, list[Problem]]:
    known = answer_codes(instrument)
    parts = list(res.get("component") or [])
    for member in res.get("hasMember") or []:
        target = by_url.get(str(member.get("reference"))) if isinstance(member, dict) else None
        if target is None:
            return None, [
                _problem(
                    where, "A hasMember reference points outside the file.", "Include the item Observations."
                )
            ]
        parts.append(target)
    found: dict[str, int | None] = {}
    for part in parts:
        code = _loinc(part.get("code"))
        if code is not None:
            found[code] = _score(part, code, known)
    answers, problems = _answers(instrument, found, where)
    at = _when(res, "effectiveDateTime", "issued")
    if at is None:
        problems.append(_problem(where, "The Observation has no readable 'effectiveDateTime'.", "Add it."))
    if problems or at is None:
        return None, problems
    return Questionnaire(instrument.code, answers, at, where), []


def read_fhir(data: Any) -> tuple[list[Questionnaire], list[Problem]]:
    """Every PHQ-9 and GAD-7 in ``data`` (parsed JSON), and every problem; other resources are ignored."""
    entries = list(_entries(data))
    if not entries:
        return [], [
            _problem(
                "file", "The file is not a FHIR resource or Bundle.", "Export JSON from the record system."
            )
        ]
    by_url = {url: res for _, url, res in entries if url}
    responses = {url for _, url, res in entries if url and res.get("resourceType") == "QuestionnaireResponse"}
    found: list[Questionnaire] = []
    problems: list[Problem] = []
    for where, _url, res in entries:
        kind, code = res.get("resourceType"), _loinc(res.get("code"))
        result: tuple[Questionnaire | None, list[Problem]] = (None, [])
        if kind == "QuestionnaireResponse":
            result = _from_response(res, where)
        elif (
            kind == "Observation"
            and code
            and (panel := instrument_by_panel(code))
            and panel.code in _SUPPORTED
        ):
            result = _from_panel(res, where, panel, by_url)
        elif (
            kind == "Observation"
            and code
            and (total := instrument_by_total(code))
            and total.code in _SUPPORTED
        ):
            derived = [d.get("reference") for d in res.get("derivedFrom") or [] if isinstance(d, dict)]
            if not any(ref in responses for ref in derived):
                hint = "Include the QuestionnaireResponse (or the panel Observation) with the item answers."
                result = (
                    None,
                    [
                        _problem(
                            where,
                            f"A {total.abbreviation} total without its item answers cannot be stored.",
                            hint,
                        )
                    ],
                )
        if result[0] is not None:
            found.append(result[0])
        problems += result[1]
    return found, problems
