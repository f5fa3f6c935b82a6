"""The import upload page (dry run first), the import API and the CSV export download."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.storage.tables import observations

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def _stored(ctx: Context) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(observations)).scalar_one())


def test_upload_shows_the_dry_run_then_stores_on_confirmation(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    client = cast.client_a.client_id
    data = (DATA / "daylio_2020.csv").read_bytes()
    shown = api.post(
        f"/import/{client}",
        headers=cast.therapist.headers,
        data={"format": "daylio"},
        files={"file": ("daylio_export.csv", data, "text/csv")},
    )
    assert shown.status_code == 200
    assert "What would be stored" in shown.text and "7 values and 2 notes from 2 rows" in shown.text
    assert "activity_programming" in shown.text
    assert _stored(ctx) == 0
    stored = api.post(f"/import/{client}", headers=cast.therapist.headers, data=_confirmation(shown.text))
    assert stored.status_code == 200 and "Stored 7 values and 2 notes" in stored.text
    assert _stored(ctx) == 7


def _confirmation(page: str) -> dict[str, object]:
    """The hidden fields of the page's "Store these values" form, as a browser would post them."""
    form = page[page.index('name="action" value="store"') :]
    form = form[: form.index("</form>")]
    parts = re.findall(r'name="content_b64" value="([^"]*)"', form)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return {**fields, "action": "store", "content_b64": parts}


def test_a_file_over_a_megabyte_goes_through_the_confirmation(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    data = ("date,mood\n" + "".join(f"2024-01-01,{1 + i % 10}\n" for i in range(64_000))).encode()
    assert len(base64.b64encode(data)) > 1024 * 1024  # over the form parser's limit for one field
    url = f"/import/{cast.client_a.client_id}"
    shown = api.post(
        url, headers=cast.therapist.headers, data={"format": "csv"}, files={"file": ("a.csv", data)}
    )
    assert shown.status_code == 200 and _stored(ctx) == 0
    stored = api.post(url, headers=cast.therapist.headers, data=_confirmation(shown.text))
    assert stored.status_code == 200 and "Stored 64000 values" in stored.text


def test_upload_of_a_bad_file_names_each_line(api: TestClient, ctx: Context, cast: Cast) -> None:
    response = api.post(
        f"/import/{cast.client_a.client_id}",
        headers=cast.therapist.headers,
        data={"format": "daylio"},
        files={"file": ("x.csv", (DATA / "daylio_malformed.csv").read_bytes(), "text/csv")},
    )
    assert response.status_code == 422
    assert "line 3" in response.text and "line 5" in response.text and "grumpy" in response.text
    assert _stored(ctx) == 0


def test_api_import_dry_run_import_and_repeat(api: TestClient, ctx: Context, cast: Cast) -> None:
    url = f"/api/v1/import/{cast.client_a.client_id}"
    body = {"format": "csv", "content": "date,mood,anxiety\n2024-06-01,7,3\n2024-06-02,6,4\n"}
    dry = api.post(url, headers=cast.client_a.headers, json={**body, "dry_run": True}).json()
    assert (dry["imported"], dry["skipped"], dry["dry_run"]) == (4, 0, True)
    assert _stored(ctx) == 0
    assert api.post(url, headers=cast.client_a.headers, json=body).json()["imported"] == 4
    again = api.post(url, headers=cast.client_a.headers, json=body).json()
    assert (again["imported"], again["skipped"]) == (0, 4)


def test_api_import_of_a_zip_as_base64(api: TestClient, cast: Cast) -> None:
    content = base64.b64encode((DATA / "loop_export.zip").read_bytes()).decode()
    response = api.post(
        f"/api/v1/import/{cast.client_a.client_id}",
        headers=cast.therapist.headers,
        json={"format": "loop", "content_base64": content},
    )
    assert response.status_code == 200 and response.json()["values"] == 4


def test_api_import_refuses_a_bad_line_with_its_number(api: TestClient, cast: Cast) -> None:
    response = api.post(
        f"/api/v1/import/{cast.client_a.client_id}",
        headers=cast.therapist.headers,
        json={"format": "csv", "content": "date,mood\n2024-06-01,7\n2024-06-02,11\n"},
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["line 3"]


def test_an_import_may_be_larger_than_other_requests(api: TestClient, cast: Cast) -> None:
    rows = "".join(f"2024-01-01,{1 + i % 10}\n" for i in range(80_000))  # about 1.1 MB
    response = api.post(
        f"/api/v1/import/{cast.client_a.client_id}",
        headers=cast.therapist.headers,
        json={"format": "csv", "content": "date,mood\n" + rows, "dry_run": True},
    )
    assert response.status_code == 200 and response.json()["values"] == 80_000
    too_big = api.post(
        f"/api/v1/clients/{cast.client_a.client_id}/journal",
        headers=cast.client_a.headers,
        json={"body": "x" * 2_000_000},
    )
    assert too_big.status_code == 413


def test_csv_export_download(api: TestClient, cast: Cast) -> None:
    client = cast.client_a.client_id
    api.post(
        f"/api/v1/import/{client}",
        headers=cast.therapist.headers,
        json={"format": "csv", "content": "date,mood\n2024-06-01,7\n"},
    )
    response = api.get(f"/api/v1/clients/{client}/export.csv?bom=true", headers=cast.therapist.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbfclient,metric,local_date,time,value,unit,note")
    assert f"{client},mood,2024-06-01,12:00:00,7,,,,rating" in response.text


def test_a_fhir_bundle_of_questionnaires_imports_from_the_upload_page(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    """The same dry run, then store, for PHQ-9 answers from a health record (``goalwise import fhir``)."""
    from tests.integration.test_fhir_import import _bundle, _response

    from goalwise.storage.tables import assessments

    def count() -> int:
        with ctx.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(assessments)).scalar_one())

    client = cast.client_a.client_id
    before = count()
    bundle = json.dumps(_bundle(_response([1, 1, 0, 2, 0, 1, 0, 0, 0]))).encode()
    shown = api.post(
        f"/import/{client}",
        headers=cast.therapist.headers,
        data={"format": "fhir"},
        files={"file": ("bundle.json", bundle, "application/fhir+json")},
    )
    assert shown.status_code == 200 and "1 questionnaire (PHQ-9: 1)" in shown.text
    assert count() == before
    stored = api.post(f"/import/{client}", headers=cast.therapist.headers, data=_confirmation(shown.text))
    assert stored.status_code == 200 and "Stored 1 questionnaire" in stored.text
    assert count() == before + 1
    bad = api.post(
        f"/import/{client}",
        headers=cast.therapist.headers,
        data={"format": "fhir"},
        files={"file": ("bundle.json", b"not json", "application/json")},
    )
    assert bad.status_code == 422 and "The file is not JSON." in bad.text
