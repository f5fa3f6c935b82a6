"""The database's files, its failures and its locks, as an operator and a user meet them."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from tests.support.cast import Cast

from goalwise.config import Settings
from goalwise.core.errors import ConfigError, StorageError
from goalwise.services.accounts.crypto import load_keyring
from goalwise.services.context import Context
from goalwise.storage.engine import Database, describe_connection_error
from goalwise.storage.migrate import upgrade
from goalwise.storage.urls import mask_password
from goalwise.web.app import create_app


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_is_0700_and_the_database_its_wal_and_shm_0600(tmp_path: Path) -> None:
    folder = tmp_path / "fresh" / "data"
    db = Database.from_url(f"sqlite:///{folder / 'goalwise.db'}")
    upgrade(db)
    with db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
        files = {p.name: _mode(p) for p in folder.iterdir()}
    db.dispose()
    assert _mode(folder) == 0o700
    assert files == {"goalwise.db": 0o600, "goalwise.db-wal": 0o600, "goalwise.db-shm": 0o600}
    (folder / "goalwise.db").chmod(0o644)  # as an older Goalwise left it
    Database.from_url(f"sqlite:///{folder / 'goalwise.db'}").dispose()
    assert _mode(folder / "goalwise.db") == 0o600
    keyring = load_keyring(tmp_path / "keys" / "secret.key", create=True)
    assert _mode(tmp_path / "keys") == 0o700 and _mode(keyring.path) == 0o600  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("driver_text", "says"),
    [
        ("(sqlite3.OperationalError) database or disk is full", "is full; free space"),
        ("(psycopg.errors.DiskFull) could not extend file: No space left on device", "is full; free space"),
        ("(sqlite3.OperationalError) attempt to write a readonly database", "is read-only"),
        (
            "(psycopg.errors.ReadOnlySqlTransaction) cannot execute INSERT in a read-only transaction",
            "read-only",
        ),
        ("(sqlite3.OperationalError) database is locked", "is locked by another program"),
        ("connection failed: server does not support SSL, but SSL was required", "TLS (SSL) connection"),
        ("permission denied for schema public", "may not create tables in the schema"),
        ("(psycopg.errors.DeadlockDetected) deadlock detected", "collided and this one was undone"),
        ("(sqlite3.OperationalError) disk I/O error", "could not be written (disk I/O error)"),
    ],
)
def test_a_database_failure_is_one_line_naming_the_cause_and_never_debug(driver_text: str, says: str) -> None:
    message = describe_connection_error(Exception(driver_text), "sqlite:////srv/goalwise.db")
    assert says in message
    assert "--debug" not in message and "\n" not in message


def _full_after_setup(db: Database) -> None:
    """From now on the database file cannot grow: SQLite answers as it does on a full disk."""

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    db.dispose()  # every connection, the kept writer too, reconnects with the cap


def test_a_full_disk_tells_web_and_api_users_so_in_one_line(
    sqlite_ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support.cast import make_cast

    cast: Cast = make_cast(sqlite_ctx)
    _full_after_setup(sqlite_ctx.db)
    api = TestClient(create_app(sqlite_ctx.settings, sqlite_ctx.db, check_schema=False))
    url = f"/api/v1/clients/{cast.client_a.client_id}/journal"
    for _ in range(400):  # until the file would have to grow
        answer = api.post(url, json={"body": "a long day " * 90}, headers=cast.client_a.headers)
        if answer.status_code != 201:
            break
    assert answer.status_code == 503
    assert "is full; free space" in answer.json()["error"]
    assert "--debug" not in answer.text and "OperationalError" not in answer.text
    # Where the database lives is for the operator: in the server log, not in the answer.
    where = str(sqlite_ctx.db.engine.url.database)
    assert where not in answer.text and "sqlite:" not in answer.text
    assert "(see the server log)" in answer.json()["error"]
    assert any(where in r.getMessage() and "is full" in r.getMessage() for r in caplog.records)


def test_a_full_disk_is_one_line_on_the_command_line(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from goalwise.cli import runtime
    from goalwise.cli.main import main

    real_from_url = Database.from_url

    def capped(url: str, **kwargs: Any) -> Database:
        db = real_from_url(url, **kwargs)
        _full_after_setup(db)
        return db

    monkeypatch.setenv("GOALWISE_DATABASE_URL", sqlite_db.url)
    monkeypatch.setattr(runtime.Database, "from_url", staticmethod(capped))
    for number in range(400):  # until the file would have to grow
        capsys.readouterr()
        if main(["client", "add", f"Robin {number:03} " + "R" * 100, "--timezone", "UTC"]) != 0:
            break
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "is full; free space" in lines[0] and "--debug" not in lines[0]


def test_healthz_reports_a_database_that_cannot_be_written(sqlite_db: Database, settings: Settings) -> None:
    read_only = Database.from_url(f"sqlite:///file:{sqlite_db.engine.url.database}?mode=ro&uri=true")
    answer = TestClient(create_app(settings, read_only, check_schema=False)).get("/healthz")
    read_only.dispose()
    assert answer.status_code == 503
    assert "is read-only" in answer.json()["error"]
    # Anyone may ask /healthz: where the database lives stays in the server log.
    assert str(sqlite_db.engine.url.database) not in answer.text and "sqlite:" not in answer.text


def test_healthz_reports_a_deleted_key_file_and_start_refuses_it(
    sqlite_db: Database, settings: Settings
) -> None:
    app = create_app(settings, sqlite_db)
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"ok": True}
        settings.resolved_secret_key_file.unlink()
        answer = client.get("/healthz")
    assert answer.status_code == 503 and "key file" in answer.json()["error"]
    assert "missing" in answer.json()["error"]
    assert str(settings.resolved_secret_key_file) not in answer.text
    with pytest.raises(ConfigError, match="cannot read the stored data"):
        create_app(settings, sqlite_db)  # a fresh key was made, and it cannot read the canary


def _hold_write_lock(db: Database, seconds: float, holding: threading.Event) -> None:
    with db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
        holding.set()
        time.sleep(seconds)


def test_a_write_that_meets_the_lock_waits_and_retries_within_the_bound(sqlite_db: Database) -> None:
    """A writer holding the lock longer than SQLite's busy timeout (5 s) no longer fails the other."""
    url = sqlite_db.url
    patient = Database.from_url(url, write_retry_seconds=20)
    impatient = Database.from_url(url, write_retry_seconds=0)
    holding = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(sqlite_db, 6.0, holding))
    holder.start()
    holding.wait(5)
    outcomes: dict[str, object] = {}

    def write(name: str, db: Database) -> None:
        try:
            with db.write() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
            outcomes[name] = "ok"
        except StorageError as exc:
            outcomes[name] = exc.message

    writers = [
        threading.Thread(target=write, args=(n, d))
        for n, d in (("patient", patient), ("impatient", impatient))
    ]
    for thread in writers:
        thread.start()
    for thread in (*writers, holder):
        thread.join(40)
    patient.dispose()
    impatient.dispose()
    assert outcomes["patient"] == "ok"
    assert "is locked by another program" in str(outcomes["impatient"])


def test_write_retry_seconds_is_a_setting_the_database_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOALWISE_WRITE_RETRY_SECONDS", "2.5")
    from goalwise.cli.runtime import open_db
    from goalwise.config import get_settings

    get_settings.cache_clear()
    assert open_db(migrated=False).write_retry_seconds == 2.5


@pytest.mark.parametrize("password", ["pa/ss#wo@rd-secret", "hunter2secret", "a@b@c/d#e", "p%40ss-secret"])
def test_a_database_password_is_masked_however_the_url_is_written(password: str) -> None:
    url = f"postgresql+psycopg://goalwise:{password}@db.example:5432/goalwise?sslmode=require"
    for shown in (
        mask_password(url),
        Settings(database_url=url).safe_dict()["database_url"],
        describe_connection_error(Exception("connection refused"), url),
    ):
        for piece in {password[i : i + 3] for i in range(len(password) - 2)}:
            assert piece not in shown, shown
        assert "db.example:5432/goalwise" in shown
    assert "secret" not in mask_password("postgresql://db.example/goalwise?user=app&password=secret")


def test_a_client_export_written_by_the_cli_is_readable_by_its_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["client", "add", "Robin", "--timezone", "UTC", "--json"]) == 0
    client_id = json.loads(capsys.readouterr().out)["id"]
    target = tmp_path / "robin.zip"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)  # an older export left readable by everyone is tightened as well
    assert main(["client", "export", str(client_id), "--out", str(target)]) == 0
    assert _mode(target) == 0o600 and target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("password", ["pa/ss", "pa#ss", "p@ss", "what?"])
def test_an_unencoded_password_is_refused_with_the_fix_and_not_shown(password: str) -> None:
    from goalwise.storage.engine import make_engine

    with pytest.raises(ConfigError) as caught:
        make_engine(f"postgresql+psycopg://goalwise:{password}-secret@db.example/goalwise")
    assert "percent-encoded" in caught.value.message and "secret" not in caught.value.message
    make_engine("postgresql+psycopg://goalwise:pa%2Fss%23%40x@db.example/goalwise").dispose()


def test_a_backup_is_readable_by_its_owner_only(ctx: Context, tmp_path: Path) -> None:
    from goalwise.services.transfer.backup import backup

    file = tmp_path / "goalwise.backup"
    backup(ctx.db, file)
    assert _mode(file) == 0o600 and file.stat().st_size > 0


def test_healthz_does_not_wait_out_the_write_retry_on_a_locked_database(
    sqlite_db: Database, settings: Settings
) -> None:
    sqlite_db.write_retry_seconds = 60  # a patient writer; the health check still answers at once
    api = TestClient(create_app(settings, sqlite_db))
    holding = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(sqlite_db, 7.0, holding))
    holder.start()
    holding.wait(5)
    answer = api.get("/healthz")
    holder.join(20)
    # Had the check waited out the 60 s write retry, it would have met the freed database and said ok.
    assert answer.status_code == 503 and "is locked by another program" in answer.json()["error"]


def test_two_upgrades_at_once_on_a_new_sqlite_file_both_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from goalwise.storage.migrate import head_revision, schema_status

    env = {**os.environ, "GOALWISE_DATA_DIR": str(tmp_path / "data")}
    env.pop("GOALWISE_DATABASE_URL", None)
    command = [sys.executable, "-m", "goalwise", "db", "upgrade"]
    runs = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    db = Database.from_url(f"sqlite:///{tmp_path / 'data' / 'goalwise.db'}")
    assert schema_status(db).current == head_revision()
    db.dispose()
