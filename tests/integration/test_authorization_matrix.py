"""The authorization matrix: every route and API endpoint, for every kind of caller.

Rows are the routes of the app (HTML pages and the JSON API), found from the routers, so a new
route joins the matrix automatically and fails here until it declares an access policy
(``openapi_extra=access(...)``) and, for requests with a body, an example body below. Columns are
the callers the accounts issue names. Each cell's expected status follows from the policy
(see ``goalwise.web.api.access``). Allowed responses are also searched for other clients' data.

Runs on SQLite: authorization lives in the services, which the other suites run on both databases.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.support.matrix_world import A_MARKERS, B_MARKERS, World, build_world

from goalwise.config import Settings
from goalwise.storage.engine import Database
from goalwise.web.api import PREFIX, api_routers
from goalwise.web.api.access import POLICIES
from goalwise.web.app import create_app, page_routers

PERSONAS = (
    "anonymous",
    "client_a",
    "client_b",
    "therapist",
    "other_therapist",
    "supporter",
    "supporter_revoked",
    "supporter_expired",
    "admin",
)
SAFE = {"GET", "HEAD"}
ALLOWED = {200, 201, 204, 303}

# Example bodies for requests that need one: (method, path) -> ("json" | "form", body).
BODIES: dict[tuple[str, str], tuple[str, dict[str, object]]] = {
    ("POST", "/login"): ("form", {"email": "t1@example.org", "password": "x"}),
    ("POST", "/invite/{token}"): ("form", {"password": "a long enough password", "repeat": "x"}),
    ("POST", "/reset/{token}"): ("form", {"password": "a long enough password", "repeat": "x"}),
    ("POST", "/account/tokens"): ("form", {"name": "matrix", "scope": "read", "days": "5"}),
    ("POST", "/account/shares"): (
        "form",
        {"label": "Friend", "sections": "assessments", "expires_days": "10"},
    ),
    ("POST", "/settings"): ("form", {"timezone": "Europe/London", "crisis_region": "uk"}),
    ("POST", "/admin/users"): ("form", {"email": "new@example.org", "name": "New", "role": "therapist"}),
    ("POST", "/clients/{client_id}/delete"): ("form", {"confirm": "Client A"}),
    ("POST", "/register"): (
        "form",
        {"name": "N", "email": "n@example.org", "password": "x", "timezone": "UTC"},
    ),
    ("POST", "/alerts/{alert_id}/acknowledge"): ("form", {"note": "Called; safety plan reviewed."}),
    ("POST", "/clients/{client_id}/phases"): ("form", {"name": "Exposure practice"}),
    ("POST", "/clients/new"): ("form", {"name": "New", "timezone": "Europe/London", "consent": "yes"}),
    ("POST", "/clients/{client_id}/checkin"): ("form", {"mood": "6", "anxiety": "3", "sleep_hours": "7.5"}),
    ("POST", "/clients/{client_id}/assess/{code}"): ("form", {f"item{i}": "1" for i in range(1, 10)}),
    ("POST", f"{PREFIX}/me/tokens"): ("json", {"name": "matrix"}),
    ("POST", f"{PREFIX}/admin/users"): (
        "json",
        {"email": "new@example.org", "name": "New", "role": "therapist"},
    ),
    ("POST", f"{PREFIX}/clients"): ("json", {"name": "New", "email": "new@example.org"}),
    ("POST", f"{PREFIX}/clients/{{client_id}}/erase"): ("json", {"confirm": "Client A"}),
    ("POST", f"{PREFIX}/shares"): ("json", {"label": "Friend", "sections": ["assessments"]}),
}
_C = f"{PREFIX}/clients/{{client_id}}"
BODIES.update(
    {
        ("POST", f"{_C}/observations"): ("json", {"metric": "mood", "value": 5}),
        ("PUT", f"{_C}/observations/{{observation_id}}"): ("json", {"value": 6}),
        ("POST", f"{_C}/checkins"): ("json", {"mood": 5, "anxiety": 4, "sleep_hours": 7}),
        ("POST", f"{_C}/episodes"): ("json", {"situation": "queue", "intensity": 6}),
        ("POST", f"{_C}/abc"): ("json", {"antecedent": "a", "behaviour": "b", "consequence": "c"}),
        ("POST", f"{_C}/journal"): ("json", {"body": "a day"}),
        ("PATCH", f"{_C}/journal/{{entry_id}}"): ("json", {"private": False}),
        ("POST", f"{_C}/sessions"): ("json", {"held_on": "2024-01-08"}),
        ("PATCH", f"{_C}/sessions/{{number}}"): ("json", {"status": "attended"}),
        ("POST", f"{_C}/phases"): ("json", {"name": "CBT module 1"}),
        ("POST", f"{_C}/assessments"): ("json", {"instrument": "gad7", "answers": [0, 1, 0, 1, 0, 1, 0]}),
        ("PUT", f"{_C}/schedules/{{code}}"): ("json", {"every_days": 14}),
        ("POST", f"{PREFIX}/alerts/{{alert_id}}/acknowledge"): (
            "json",
            {"note": "Called; safety plan reviewed"},
        ),
    }
)
_TODAY = date.today()
FULL_VALID_DRAFT = {
    "title": "Walk more",
    "behaviour": "Walk outside for 20 minutes or more, counted once per walk, logged in the evening.",
    "metric": {"kind": "count", "unit": "walks", "period": "week"},
    "direction": "increase",
    "baseline": {"value": 1, "source": "entered"},
    "target": {"value": 3, "comparator": ">="},
    "start_on": _TODAY.isoformat(),
    "deadline_on": (_TODAY + timedelta(weeks=8)).isoformat(),
    "review_every_weeks": 4,
}
BODIES.update(
    {
        ("POST", f"{PREFIX}/goals/check"): ("json", {"title": "I want to feel better"}),
        ("POST", f"{PREFIX}/goals/check-text"): ("json", {"text": "I want to feel better"}),
        ("POST", f"{PREFIX}/goal-suggestions"): ("json", {"text": "fewer panic attacks"}),
        ("POST", f"{_C}/goals"): ("json", {"draft": {"title": "Walk more"}}),
        ("PATCH", f"{PREFIX}/goals/{{goal_id}}"): ("json", {"draft": FULL_VALID_DRAFT, "reason": "Review"}),
        ("POST", f"{PREFIX}/goals/{{goal_id}}/status"): ("json", {"status": "on_hold", "reason": "Holiday"}),
        ("POST", f"{PREFIX}/goals/{{goal_id}}/readiness"): ("json", {"importance": 8, "confidence": 7}),
        ("POST", f"{PREFIX}/goals/{{goal_id}}/plan-items"): ("json", {"title": "Walk to the corner"}),
        ("POST", f"{PREFIX}/plan-items/{{item_id}}/done"): ("json", {"done": True}),
        ("POST", f"{_C}/needs"): ("json", {"needs": {"safety": 3}}),
        ("POST", f"{PREFIX}/goals/{{goal_id}}/obstacles"): (
            "json",
            {"obstacle_id": "procrastination", "strategy_id": "time_bound"},
        ),
        ("POST", f"{PREFIX}/goal-obstacles/{{obstacle_id}}/outcome"): ("json", {"helped": True}),
        ("POST", f"{_C}/reset-link"): ("json", {}),
        ("POST", f"{_C}/reviews"): (
            "json",
            {
                "held_on": _TODAY.isoformat(),
                "notes": "A-review-note",
                "goals": [{"goal_id": "{goal_id}", "gas_level": 0, "decision": "continue"}],
            },
        ),
        ("PUT", f"{PREFIX}/goals/{{goal_id}}/gas"): ("json", {"weight": 2}),
    }
)
# File imports: a dry run of a one-line sheet (the upload page carries the file base64, as its preview does).
BODIES.update(
    {
        ("POST", "/import/{client_id}"): (
            "form",
            {"format": "csv", "content_b64": "ZGF0ZSxtb29kCjIwMjQtMDEtMDEsNQo="},
        ),
        ("POST", f"{PREFIX}/import/{{client_id}}"): (
            "json",
            {"format": "csv", "content": "date,mood\n2024-01-01,5\n", "dry_run": True},
        ),
    }
)
# The therapist's goal pages (issue 13): forms, named as the pages name their fields.
_G = "/clients/{client_id}/goals/{goal_id}"
_GAS_FORM: dict[str, object] = {f"level{lv}_description": f"Level {lv}" for lv in (-2, -1, 0, 1, 2)}
BODIES.update(
    {
        ("POST", "/clients/{client_id}/goals/new"): ("form", {"title": "Walk more", "action": "save"}),
        ("POST", f"{_G}/revise"): (
            "form",
            {
                "title": "Walk more",
                "behaviour": FULL_VALID_DRAFT["behaviour"],
                "metric_kind": "count",
                "metric_unit": "walks",
                "metric_period": "week",
                "direction": "increase",
                "baseline": "1",
                "target": "3",
                "target_comparator": ">=",
                "start_on": FULL_VALID_DRAFT["start_on"],
                "deadline_on": FULL_VALID_DRAFT["deadline_on"],
                "review_every_weeks": "4",
                "priority": "secondary",
                "reason": "Review",
            },
        ),
        ("POST", f"{_G}/status"): ("form", {"status": "on_hold", "reason": "Holiday"}),
        ("POST", f"{_G}/gas"): ("form", _GAS_FORM | {"weight": "2"}),
        ("POST", f"{_G}/plan"): ("form", {"title": "Walk to the corner", "kind": "step"}),
        ("POST", f"{_G}/plan/{{item_id}}/done"): ("form", {"done": "1"}),
        ("POST", "/clients/{client_id}/needs"): ("form", {"need_safety": "3"}),
        ("POST", "/clients/{client_id}/review"): (
            "form",
            {
                "held_on": _TODAY.isoformat(),
                "notes": "A-review-note",
                "goal0_id": "{goal_id}",
                "goal0_level": "0",
                "goal0_decision": "continue",
            },
        ),
    }
)
# The client's own pages (issue 14): ticking a step, a value on an earlier day, ABC, episode, journal.
BODIES.update(
    {
        ("POST", "/my/steps/{item_id}"): ("form", {"done": "1", "back": "goal"}),
        ("POST", "/my/log"): (
            "form",
            {"metric": "mood", "value": "6", "day": (_TODAY - timedelta(days=1)).isoformat()},
        ),
        ("POST", "/my/abc"): ("form", {"antecedent": "a", "behaviour": "b", "consequence": "c"}),
        ("POST", "/my/episodes"): ("form", {"situation": "queue", "intensity": "6"}),
        ("POST", "/my/journal"): ("form", {"body": "a day", "share": "yes"}),
        ("POST", "/my/propose"): ("form", {"text": "I want to walk more", "action": "send"}),
    }
)
NO_BODY: set[tuple[str, str]] = set()
# Daily report cards (issue 16): the therapist's card forms, the rater's link and the API.
_CARD_FORM: dict[str, object] = {
    "title": "Card",
    "rated_by": "teacher",
    "goal_percent": "80",
    "target1_text": "Sits",
}
_CARD_JSON: dict[str, object] = {
    "title": "Card",
    "rated_by": "teacher",
    "goal_percent": 80,
    "targets": [{"text": "Sits"}],
}
BODIES.update(
    {
        ("POST", "/clients/{client_id}/cards"): ("form", _CARD_FORM),
        ("POST", "/clients/{client_id}/cards/{card_id}/edit"): ("form", _CARD_FORM | {"reason": "Raised"}),
        ("POST", "/clients/{client_id}/cards/{card_id}/raters"): ("form", {"name": "Mr Other"}),
        ("POST", "/card-raters/{rater_id}/revoke"): ("form", {"back": "/dashboard"}),
        ("POST", "/rate/{rater_token}"): ("form", {"t1": "yes"}),
        ("POST", f"{_C}/cards"): ("json", _CARD_JSON),
        ("POST", f"{PREFIX}/cards/{{card_id}}/ratings"): (
            "json",
            {"on": (_TODAY - timedelta(days=1)).isoformat(), "ratings": "1=yes"},
        ),
        ("POST", f"{PREFIX}/cards/{{card_id}}/raters"): ("json", {"name": "Mr Other"}),
        ("POST", f"{PREFIX}/cards/{{card_id}}/raters/revoke"): ("json", {"name": "Ms Matrix"}),
        ("POST", f"{PREFIX}/rate/{{rater_token}}"): ("json", {"ratings": "1=yes"}),
    }
)


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    policy: str | None
    html: bool

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _rows() -> list[Row]:
    rows = []
    for router in page_routers():
        for route in router.routes:
            for method in sorted(route.methods - {"HEAD"}):  # type: ignore[attr-defined]
                policy = (route.openapi_extra or {}).get("x-access")  # type: ignore[attr-defined]
                rows.append(Row(method, route.path, policy, html=True))  # type: ignore[attr-defined]
    for router in api_routers():
        for route in router.routes:
            for method in sorted(route.methods - {"HEAD"}):  # type: ignore[attr-defined]
                policy = (route.openapi_extra or {}).get("x-access")  # type: ignore[attr-defined]
                rows.append(Row(method, PREFIX + route.path, policy, html=False))  # type: ignore[attr-defined]
    return rows


ROWS = _rows()
SAFE_ROWS = [r for r in ROWS if r.method in SAFE]
UNSAFE_CELLS = [(r, p) for r in ROWS if r.method not in SAFE for p in PERSONAS]


def expected(row: Row, persona: str) -> set[int]:
    """The statuses a cell may answer."""
    anonymous_denied = {303} if row.html else {401}
    policy = row.policy
    if policy == "public":
        # Nothing to protect; a form posted without its own token is refused alike for everyone.
        return ALLOWED if row.method in SAFE else ALLOWED | {400, 403, 422}
    if policy == "self-registration":
        return {404}  # off by default: the same answer for everyone
    if policy == "one-time-link":
        return {404}  # the matrix holds no valid link: everyone is told the same
    if policy == "rater-link":
        return ALLOWED  # the matrix holds a live rater link: the token is the credential, for anyone
    if policy == "calendar-feed":
        return {200}  # the matrix holds a live feed token: the token is the credential, for anyone
    if policy == "share-link":
        return {404} if persona in ("supporter_revoked", "supporter_expired") else {200}
    if persona == "anonymous":
        return anonymous_denied
    if policy == "authenticated":
        return ALLOWED
    if policy in ("client-record", "client-record-write"):
        return ALLOWED if persona in ("client_a", "therapist") else {404}
    if policy == "therapist":
        return ALLOWED if persona in ("therapist", "other_therapist") else {403}
    if policy == "client-self":
        if persona == "client_a" or (persona == "client_b" and "{" not in row.path):
            return ALLOWED
        return {404}
    if policy == "client-owner-or-admin":
        return ALLOWED if persona in ("client_a", "admin") else {404}
    if policy == "admin":
        return ALLOWED if persona == "admin" else {403}
    if policy == "linked-therapist":
        if persona == "therapist" and row.path.endswith("/reset-link"):
            return {409}  # client A has set a password: only they may change it
        return ALLOWED if persona == "therapist" else {404} if persona == "other_therapist" else {403}
    if policy == "supporter-share":
        return ALLOWED if persona == "supporter" else {404}
    if policy == "supporter":  # the account's own page: it lists only the shares still live
        return ALLOWED if persona.startswith("supporter") else {404}
    raise AssertionError(f"unknown policy {policy!r}")


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("matrix-world"))


@pytest.fixture
def client(world: World, tmp_path: Path) -> Iterator[TestClient]:
    folder = tmp_path / "data"
    shutil.copytree(world.folder, folder)
    db = Database.from_url(f"sqlite:///{folder / 'goalwise.db'}")
    with TestClient(create_app(Settings(data_dir=folder), db), follow_redirects=False) as test_client:
        yield test_client
    db.dispose()


def _headers(world: World, persona: str) -> dict[str, str]:
    if persona == "anonymous":
        return {}
    name = "supporter" if persona.startswith("supporter") else persona
    return world.cast.everyone()[name].headers


def _url(world: World, row: Row, persona: str) -> str:
    path = row.path
    if row.policy == "supporter-share":  # the share addressed to this supporter: live, revoked or expired
        path = path.replace("{share_id}", str(world.supporter_shares.get(persona, world.params["share_id"])))
    for name, value in world.params.items():
        path = path.replace("{" + name + "}", str(value))
    if "{token_id}" in path:
        path = path.replace("{token_id}", str(world.token_ids.get(persona, 999_999)))
    if "{token}" in path:
        token = world.share_tokens.get(persona, world.share_tokens["supporter"])
        path = path.replace("{token}", token if row.policy == "share-link" else "not-a-valid-link")
    assert "{" not in path, f"{row.id}: add its path parameter to tests/support/matrix_world.py"
    return path


def _fill(value: Any, params: dict[str, object]) -> Any:
    """A body with each string "{name}" replaced by the world's object id of that name."""
    if isinstance(value, dict):
        return {k: _fill(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in params:
        return params[value[1:-1]]
    return value


def _call(client: TestClient, world: World, row: Row, persona: str) -> tuple[int, str]:
    url = _url(world, row, persona)
    kwargs: dict[str, object] = {"headers": _headers(world, persona)}
    if row.method not in SAFE and (row.method, row.path) not in NO_BODY:
        kind_body = BODIES.get((row.method, row.path))
        if kind_body is not None:
            kind, body = kind_body
            kwargs["json" if kind == "json" else "data"] = _fill(body, world.params)
    response = client.request(row.method, url, **kwargs)  # type: ignore[arg-type]
    return response.status_code, response.text


def _check_body(row: Row, persona: str, status: int, body: str) -> None:
    if status not in ALLOWED or row.policy in ("public", "one-time-link"):
        return
    if persona in ("client_a", "therapist"):
        leaked = [m for m in B_MARKERS if m in body]
    elif row.policy in ("share-link", "supporter-share", "supporter"):
        leaked = [m for m in ("A-journal-marker", "A-private-goal", *B_MARKERS) if m in body]
    elif persona == "admin" or persona.startswith("supporter"):
        # An admin sees account names (and the name to type when erasing); the supporter account holds a
        # share from client A, so it may see who shared. Neither may see A's records.
        leaked = [m for m in A_MARKERS if m in body]
    else:
        leaked = [m for m in (*A_MARKERS, "Client A") if m in body]
    assert not leaked, f"{row.id} as {persona} shows another client's data: {leaked}"


def test_every_route_declares_a_known_policy() -> None:
    missing = [r.id for r in ROWS if r.policy not in POLICIES]
    assert missing == [], "declare openapi_extra=access(...) on these routes"


def test_every_api_endpoint_is_in_the_matrix(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    covered = {(r.method, r.path) for r in ROWS}
    assert documented - covered == set()


def test_unsafe_routes_with_bodies_have_examples() -> None:
    needs = [
        r.id
        for r in ROWS
        if r.method not in SAFE
        and (r.method, r.path) not in BODIES
        and (r.method, r.path) not in NO_BODY
        and _has_body(r)
    ]
    assert needs == [], "add an example body to BODIES (or the route to NO_BODY)"


def _has_body(row: Row) -> bool:
    for router in api_routers() + page_routers():
        for route in router.routes:
            path = (PREFIX if router in api_routers() else "") + route.path  # type: ignore[attr-defined]
            if path == row.path and row.method in route.methods:  # type: ignore[attr-defined]
                return route.body_field is not None or any(  # type: ignore[attr-defined]
                    getattr(p.field_info, "__class__", type).__name__ == "Form"
                    for p in route.dependant.body_params  # type: ignore[attr-defined]
                )
    return False


@pytest.mark.parametrize("row", SAFE_ROWS, ids=lambda r: r.id)
def test_safe_route(row: Row, client: TestClient, world: World) -> None:
    for persona in PERSONAS:
        status, body = _call(client, world, row, persona)
        assert status in expected(row, persona), (
            f"{row.id} as {persona}: {status}, expected {expected(row, persona)}"
        )
        _check_body(row, persona, status, body)


@pytest.mark.parametrize(("row", "persona"), UNSAFE_CELLS, ids=[f"{r.id}-{p}" for r, p in UNSAFE_CELLS])
def test_unsafe_route(row: Row, persona: str, client: TestClient, world: World) -> None:
    status, body = _call(client, world, row, persona)
    assert status in expected(row, persona), (
        f"{row.id} as {persona}: {status}, expected {expected(row, persona)}"
    )
    assert status < 500
    _check_body(row, persona, status, body)
