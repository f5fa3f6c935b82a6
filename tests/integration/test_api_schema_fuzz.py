"""Schemathesis against ``/openapi.json``: generated requests to every API operation never get a 5xx.

The calls carry client A's token, so they reach the services and their authorization checks; a
small number of examples per operation keeps the suite fast, and CI runs it on every change.
The app and its database are built when the module loads (schemathesis needs the schema then).

Dates and date-times are drawn with the calendar's edges mixed in (year 1, 9999, with and without
an offset, 1899), and every operation is also called with ids at the edges of 64 bits and with
query numbers past them (issue 10: these answered 500).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from tests.support.matrix_world import build_world

from goalwise.config import Settings
from goalwise.storage.engine import Database
from goalwise.web.app import create_app

_ROOT = Path(tempfile.mkdtemp(prefix="goalwise-fuzz-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)
_FOLDER = _ROOT / "data"
_FOLDER.mkdir(parents=True)
WORLD = build_world(_FOLDER)
APP = create_app(Settings(data_dir=_FOLDER), Database.from_url(f"sqlite:///{_FOLDER / 'goalwise.db'}"))
EDGE_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01"]
EDGE_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
]
schemathesis.openapi.format("date", st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(str)))
schemathesis.openapi.format(
    "date-time", st.one_of(st.sampled_from(EDGE_TIMES), st.datetimes().map(lambda d: d.isoformat()))
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
EDGE_IDS = [0, -1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1]


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: Any) -> None:
    response = case.call(headers=WORLD.cast.client_a.headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"


def _integer_parameters(operation: Any, location: str) -> list[str]:
    return [
        p.name
        for p in operation.iter_parameters()
        if p.location == location and (p.definition.get("schema") or {}).get("type") == "integer"
    ]


def test_boundary_ids_and_query_numbers_never_answer_5xx() -> None:
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        ids, numbers = _integer_parameters(operation, "path"), _integer_parameters(operation, "query")
        for edge in EDGE_IDS if ids or numbers else ():
            case = schema.make_case(
                operation=operation,
                path_parameters={name: edge for name in ids}
                | {
                    p.name: "phq9"
                    for p in operation.iter_parameters()
                    if p.location == "path" and p.name not in ids
                },
                query={name: edge for name in numbers},
                body={} if operation.body else schemathesis.core.NOT_SET,
            )
            response = case.call(headers=WORLD.cast.client_a.headers)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
            checked += 1
    assert checked > 40  # every operation with an id or a number was called
