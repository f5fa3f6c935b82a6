"""Schemathesis against ``/openapi.json``: generated requests to every API operation never get a 5xx.

The calls carry client A's token, so they reach the services and their authorization checks; a
small number of examples per operation keeps the suite fast, and CI runs it on every change.
The app and its database are built when the module loads (schemathesis needs the schema then).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
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
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: Any) -> None:
    response = case.call(headers=WORLD.cast.client_a.headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
