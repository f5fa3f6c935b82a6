"""Fixtures shared by the whole suite.

- ``sqlite_db``: a fresh, migrated SQLite database per test (copied from a template made once).
- ``pg_db``: a fresh, migrated PostgreSQL database per test (``CREATE DATABASE ... TEMPLATE``),
  on ``GOALWISE_TEST_DATABASE_URL`` or on a throwaway cluster the suite starts itself.
- ``db``: both of them, so storage and service tests run on each database.

A suite that cannot run is skipped with a reason that says what to install;
``GOALWISE_REQUIRE_ALL=1`` turns those skips into failures (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.support.cast import Cast, make_cast
from tests.support.postgres import Cluster, start_cluster

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.storage.migrate import upgrade

REQUIRE_ALL = os.environ.get("GOALWISE_REQUIRE_ALL") == "1"

# Property tests explore new random examples on every local run, where a failure is found and
# fixed; CI (CI=true) replays a fixed set per test, so its verdict on one commit does not change
# from run to run.
hypothesis.settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason``, or fail when every suite is required."""
    if REQUIRE_ALL:
        pytest.fail(f"GOALWISE_REQUIRE_ALL=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's environment or writes to ./data."""
    for key in list(os.environ):
        if key.startswith("GOALWISE_") and key not in (
            "GOALWISE_REQUIRE_ALL",
            "GOALWISE_TEST_DATABASE_URL",
            "GOALWISE_REGEN_GOLDEN",
        ):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GOALWISE_DATA_DIR", str(tmp_path / "data"))
    from goalwise.config import get_settings

    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the smallest cost: the same algorithm and format, a thousand times faster.

    Production parameters are argon2-cffi's defaults (RFC 9106); tests only need correctness.
    """
    from argon2 import PasswordHasher

    from goalwise.services.accounts import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database.from_url(f"sqlite:///{path}")
    upgrade(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "goalwise.db"
    shutil.copy(sqlite_template, path)
    db = Database.from_url(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    url = os.environ.get("GOALWISE_TEST_DATABASE_URL")
    if url:
        yield url
        return
    cluster: Cluster | None = None
    try:
        cluster = start_cluster()
    except FileNotFoundError:
        skip_or_fail(
            "PostgreSQL tests need the server: apt-get install postgresql, or set GOALWISE_TEST_DATABASE_URL"
        )
    except Exception as exc:  # initdb or pg_ctl failed: say why
        skip_or_fail(f"could not start a PostgreSQL cluster: {exc}")
    assert cluster is not None
    try:
        yield cluster.url
    finally:
        cluster.stop()


def _admin_execute(admin_url: str, sql: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    name = f"goalwise_tpl_{uuid.uuid4().hex[:8]}"
    _admin_execute(pg_admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    db = Database.from_url(url)
    upgrade(db)
    db.dispose()
    return name


@pytest.fixture
def pg_db(pg_admin_url: str, pg_template: str) -> Iterator[Database]:
    name = f"goalwise_t_{uuid.uuid4().hex[:10]}"
    _admin_execute(pg_admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    db = Database.from_url(url)
    yield db
    db.dispose()
    _admin_execute(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """A fresh migrated database; every test using it runs on SQLite and on PostgreSQL."""
    name = "sqlite_db" if request.param == "sqlite" else "pg_db"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def ctx(db: Database, settings: Settings) -> Context:
    """The service context on ``db`` (both databases) with a fresh key file."""
    return Context.open(settings, db)


@pytest.fixture
def sqlite_ctx(sqlite_db: Database, settings: Settings) -> Context:
    """The service context on SQLite only."""
    return Context.open(settings, sqlite_db)


@pytest.fixture
def cast(ctx: Context) -> Cast:
    """Admin, two therapists, two clients (A linked to the first therapist), a supporter."""
    return make_cast(ctx)


@pytest.fixture
def api(ctx: Context) -> Iterator[TestClient]:
    """A test client for the app on ``ctx`` (both databases)."""
    from goalwise.web.app import create_app

    with TestClient(create_app(ctx.settings, ctx.db)) as client:
        yield client
