"""Importing PHQ-9 and GAD-7 from FHIR: round trip from our export, once only, all or nothing,
panel Observations, lone totals refused, and item 9 raising its alert as if taken in Goalwise."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.interop.fhir.export import client_bundle
from goalwise.interop.fhir.importer import read_fhir
from goalwise.services.clinic import clients
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.services.transfer.fhir_import import import_questionnaires
from goalwise.storage.tables import alerts
from goalwise.storage.tables import assessments as assessments_table

SYSTEM = Actor.system()
LOINC = "http://loinc.org"
# PHQ-9 items 1-9 (CLINICAL.md §1.1) and the LA codes of the scores 0-3 (LL358-3).
PHQ9_ITEMS = [
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
]
LA = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def _new_client(ctx: Context) -> int:
    return clients.add_client(ctx, SYSTEM, "Imported (synthetic)", "UTC").id


def _response(scores: list[int], authored: str = "2026-03-02T10:30:00+00:00") -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "http://loinc.org/q/44249-1",
        "authored": authored,
        "item": [
            {"linkId": code, "answer": [{"valueCoding": {"system": LOINC, "code": LA[s]}}]}
            for code, s in zip(PHQ9_ITEMS, scores, strict=True)
        ],
    }


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{n:012d}", "resource": r}
            for n, r in enumerate(resources)
        ],
    }


def _rows(ctx: Context, client_id: int) -> list[tuple[str, float, tuple[int | None, ...]]]:
    return [(a.instrument, a.total, a.answers) for a in assessments.list_assessments(ctx, SYSTEM, client_id)]


def test_export_then_import_into_a_new_client_is_lossless_and_happens_once(sqlite_ctx: Context) -> None:
    ctx = sqlite_ctx
    load_demo(ctx, SYSTEM, n_clients=2, days=60, seed=5, end_on=date(2026, 6, 30))
    found, problems = read_fhir(json.loads(json.dumps(client_bundle(ctx, SYSTEM, 2))))
    assert problems == []
    target = _new_client(ctx)
    first = import_questionnaires(ctx, SYSTEM, target, found)
    assert first.imported == len(found) > 0 and first.skipped == 0
    assert _rows(ctx, target) == _rows(ctx, 2)
    again = import_questionnaires(ctx, SYSTEM, target, found)
    assert (again.imported, again.skipped) == (0, len(found))
    assert len(_rows(ctx, target)) == len(found)


def test_a_bad_questionnaire_stores_nothing_and_every_problem_is_named(sqlite_ctx: Context) -> None:
    target = _new_client(sqlite_ctx)
    good = _response([1] * 9)
    bad = _response([1] * 9, authored="2026-03-09T10:30:00+00:00")
    bad["item"][3]["answer"] = [{"valueInteger": 7}]  # PHQ-9 answers run from 0 to 3
    found, problems = read_fhir(_bundle(good, bad))
    assert problems == [] and len(found) == 2
    with pytest.raises(InvalidInput) as info:
        import_questionnaires(sqlite_ctx, SYSTEM, target, found)
    assert any("entry[1]" in p.field for p in info.value.problems)
    with sqlite_ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(assessments_table)).scalar_one() == 0


def test_unknown_answer_codes_and_lone_totals_are_problems() -> None:
    wrong = _response([0] * 9)
    wrong["item"][0]["answer"] = [{"valueCoding": {"system": LOINC, "code": "LA9999-9"}}]
    total = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "44261-6"}]},
        "valueQuantity": {"value": 12},
    }
    found, problems = read_fhir(_bundle(wrong, total))
    assert found == []
    messages = [p.message for p in problems]
    assert any("no known code" in m for m in messages)
    assert any("total without its item answers" in m for m in messages)
    assert read_fhir([1, 2])[1][0].field == "file"


def test_panel_observations_with_components_or_members_import(sqlite_ctx: Context) -> None:
    items = [
        {
            "code": {"coding": [{"system": LOINC, "code": code}]},
            "valueCodeableConcept": {"coding": [{"system": LOINC, "code": LA[2]}]},
        }
        for code in PHQ9_ITEMS
    ]
    panel = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "44249-1"}]},
        "effectiveDateTime": "2026-02-01T09:00:00Z",
        "component": items,
    }
    members = [{"resourceType": "Observation", "status": "final", **item} for item in items]
    with_members = {**panel, "effectiveDateTime": "2026-02-08T09:00:00Z", "component": []}
    bundle = _bundle(panel, *members)
    with_members["hasMember"] = [{"reference": e["fullUrl"]} for e in bundle["entry"][1:]]
    bundle["entry"].append(
        {"fullUrl": "urn:uuid:00000000-0000-4000-8000-999999999999", "resource": with_members}
    )
    found, problems = read_fhir(bundle)
    assert problems == [] and [q.answers for q in found] == [(2,) * 9, (2,) * 9]
    target = _new_client(sqlite_ctx)
    import_questionnaires(sqlite_ctx, SYSTEM, target, found)
    assert [total for _, total, _ in _rows(sqlite_ctx, target)] == [18.0, 18.0]  # 9 items x 2


def test_item_9_above_0_raises_the_risk_alert(sqlite_ctx: Context) -> None:
    target = _new_client(sqlite_ctx)
    found, _ = read_fhir(_response([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    import_questionnaires(sqlite_ctx, SYSTEM, target, found)
    with sqlite_ctx.db.read() as conn:
        kinds = conn.execute(select(alerts.c.kind).where(alerts.c.client_id == target)).scalars().all()
    assert kinds == ["item9_positive"]


def test_import_fhir_command_reports_imported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--clients", "2", "--days", "30", "--end-on", "2026-06-30"]) == 0
    bundle = tmp_path / "bundle.json"
    assert main(["export", "fhir", "--client", "1", "-o", str(bundle)]) == 0
    assert main(["client", "add", "Imported (synthetic)"]) == 0
    capsys.readouterr()
    assert main(["import", "fhir", str(bundle), "--client", "3", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["imported"] > 0 and summary["skipped"] == 0
    assert main(["import", "fhir", str(bundle), "--client", "3"]) == 0
    assert "Nothing new" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{not json")
    assert main(["import", "fhir", str(tmp_path / "bad.json"), "--client", "3"]) == 1
