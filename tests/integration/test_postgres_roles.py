"""PostgreSQL as an operator meets it: two roles, concurrent migrations, rights and TLS, in one line each."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from goalwise.cli.main import main
from goalwise.config import Settings, get_settings
from goalwise.core.errors import GoalwiseError, StorageError
from goalwise.storage.engine import Database
from goalwise.storage.migrate import head_revision, running_role_owns_audit_log, schema_status, upgrade

pytestmark = pytest.mark.postgres

DOCS = Path(__file__).parents[2] / "docs" / "admin-guide.md"


def _admin(admin_url: str, *statements: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for sql in statements:
                conn.execute(text(sql))
    finally:
        engine.dispose()


def _url(admin_url: str, database: str, user: str = "postgres") -> str:
    return make_url(admin_url).set(database=database, username=user).render_as_string(hide_password=False)


@pytest.fixture
def empty_db(pg_admin_url: str) -> Iterator[str]:
    """The name of a new, empty database owned by a new role ``<name>_owner``; an app role ``<name>_app``."""
    name = f"gw_r_{uuid.uuid4().hex[:8]}"
    _admin(
        pg_admin_url,
        f"CREATE ROLE {name}_owner LOGIN",
        f"CREATE ROLE {name}_app LOGIN",
        f'CREATE DATABASE "{name}" OWNER {name}_owner',
    )
    yield name
    _admin(
        pg_admin_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f"DROP ROLE IF EXISTS {name}_owner",
        f"DROP ROLE IF EXISTS {name}_app",
    )


def test_two_upgrades_at_once_both_succeed(pg_admin_url: str, empty_db: str, tmp_path: Path) -> None:
    """Three `goalwise db upgrade` processes on one new database: one migrates, the others wait."""
    env = {
        **os.environ,
        "GOALWISE_DATABASE_URL": _url(pg_admin_url, empty_db),
        "GOALWISE_DATA_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "goalwise", "db", "upgrade"]
    runs = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors
    db = Database.from_url(_url(pg_admin_url, empty_db))
    assert schema_status(db).current == head_revision()
    db.dispose()


def test_a_role_without_create_on_the_schema_is_told_to_migrate_as_the_owner(
    pg_admin_url: str, empty_db: str
) -> None:
    # The app role may connect, but PostgreSQL 15+ gives nobody but the owner CREATE on public.
    _admin(_url(pg_admin_url, empty_db), f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {empty_db}_app")
    db = Database.from_url(_url(pg_admin_url, empty_db, f"{empty_db}_app"))
    with pytest.raises(StorageError) as caught:
        upgrade(db)
    db.dispose()
    message = caught.value.message
    assert "may not create tables in the schema" in message and "GOALWISE_MIGRATION_DATABASE_URL" in message
    assert "\n" not in message and "ProgrammingError" not in message


def test_a_tls_failure_names_sslmode_not_host_and_port(pg_admin_url: str) -> None:
    db = Database.from_url(pg_admin_url + "?sslmode=require")  # the test cluster has no TLS
    with pytest.raises(StorageError) as caught:
        schema_status(db)
    assert "TLS (SSL)" in caught.value.message and "sslmode" in caught.value.message
    assert "host and port" not in caught.value.message


def test_a_password_with_special_characters_is_never_shown(pg_admin_url: str) -> None:
    host = make_url(pg_admin_url).host
    for url in (
        f"postgresql+psycopg://goalwise:pa/ss#wo@rd-x9@{host}:1/goalwise",  # unencoded: refused
        f"postgresql+psycopg://goalwise:pa%2Fss%23wo%40rd-x9@{host}:1/goalwise",  # encoded: nobody listens
    ):
        with pytest.raises(GoalwiseError) as caught:
            schema_status(Database.from_url(url))
        for piece in ("pa/", "ss#", "wo@", "rd-x9", "%2Fss"):
            assert piece not in caught.value.message
    assert "percent-encode" not in caught.value.message and "cannot reach" in caught.value.message


def _grant_script(name: str) -> str:
    """The GRANT script from docs/admin-guide.md, for this test's roles and database."""
    section = DOCS.read_text().split("### Two database roles", 1)[1]
    script = re.search(r"```sql\n(.*?)```", section, re.S)
    assert script, "docs/admin-guide.md lost its GRANT script"
    body = script.group(1).replace("DATABASE goalwise ", f'DATABASE "{name}" ')
    return body.replace("goalwise_owner", f"{name}_owner").replace("goalwise_app", f"{name}_app")


def test_two_roles_as_documented_keep_the_audit_log_out_of_the_apps_reach(
    pg_admin_url: str, empty_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    owner_url = _url(pg_admin_url, empty_db, f"{empty_db}_owner")
    app_url = _url(pg_admin_url, empty_db, f"{empty_db}_app")
    _admin(_url(pg_admin_url, empty_db), f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {empty_db}_app")
    monkeypatch.setenv("GOALWISE_MIGRATION_DATABASE_URL", owner_url)
    monkeypatch.setenv("GOALWISE_DATABASE_URL", app_url)
    assert main(["db", "upgrade"]) == 0  # as the owner: the app role could not create a table
    owner = create_engine(owner_url)
    with owner.begin() as conn:
        for statement in filter(str.strip, _grant_script(empty_db).split(";")):
            conn.execute(text(statement))
    owner.dispose()
    capsys.readouterr()
    assert main(["db", "status"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["client", "add", "Robin", "--timezone", "UTC"]) == 0  # the app role writes rows
    app_engine = create_engine(app_url)
    for forbidden in ("ALTER TABLE audit_events DISABLE TRIGGER ALL", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError), app_engine.begin() as conn:
            conn.execute(text(forbidden))
    app_engine.dispose()
    monkeypatch.setenv("GOALWISE_DATABASE_URL", owner_url)
    get_settings.cache_clear()
    capsys.readouterr()
    assert main(["db", "status"]) == 0
    err = capsys.readouterr().err
    assert f"{empty_db}_owner owns audit_events" in err and "Two database roles" in err
    assert running_role_owns_audit_log(Database.from_url(app_url)) is None


def test_a_read_only_postgresql_database_is_reported_and_writes_say_so(
    pg_admin_url: str, pg_db: Database, settings: Settings
) -> None:
    from fastapi.testclient import TestClient
    from tests.support.cast import make_cast

    from goalwise.services.context import Context
    from goalwise.web.app import create_app

    ctx = Context.open(settings, pg_db)
    cast = make_cast(ctx)
    name = pg_db.engine.url.database
    _admin(pg_admin_url, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    pg_db.engine.dispose()  # new connections start read-only, as on a standby
    api = TestClient(create_app(settings, pg_db, check_schema=False))
    health = api.get("/healthz")
    assert health.status_code == 503 and "is read-only" in health.json()["error"]
    url = f"/api/v1/clients/{cast.client_a.client_id}/journal"
    answer = api.post(url, json={"body": "a note"}, headers=cast.client_a.headers)
    assert answer.status_code == 503 and "is read-only" in answer.json()["error"]
