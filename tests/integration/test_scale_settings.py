"""Settings for running at scale: the pool and timeouts, a shared key from the environment,
``goalwise serve --workers`` and the request timeout."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from goalwise.cli.serve import check_workers
from goalwise.config import Settings
from goalwise.core.errors import ConfigError
from goalwise.services.accounts.crypto import new_key
from goalwise.services.context import Context, open_database, open_keyring
from goalwise.storage.engine import Database, EngineOptions, make_engine
from goalwise.web.timeout import RequestTimeoutMiddleware


def test_pool_parameters_in_a_postgres_url_size_the_pool_instead_of_reaching_the_driver() -> None:
    engine = make_engine(
        "postgresql+psycopg://app:pw@db.example/goalwise?pool_size=20&max_overflow=3&sslmode=require"
    )
    assert engine.pool.size() == 20  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 3  # type: ignore[attr-defined]
    assert "pool_size" not in engine.url.query and engine.url.query["sslmode"] == "require"


def test_a_pool_parameter_that_is_not_a_number_names_itself() -> None:
    with pytest.raises(ConfigError, match="pool_size='many'"):
        make_engine("postgresql+psycopg://app:pw@db.example/goalwise?pool_size=many")


def test_pool_settings_reach_the_engine(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, db_pool_size=7, db_max_overflow=2, db_pool_recycle_seconds=60)
    db = open_database(settings)
    try:
        assert db.engine.pool.size() == 7  # type: ignore[attr-defined]
        assert db.engine.pool._max_overflow == 2  # type: ignore[attr-defined]
        assert db.engine.pool._recycle == 60
    finally:
        db.dispose()


@pytest.mark.postgres
def test_postgres_statements_stop_at_the_statement_timeout(pg_db: Database) -> None:
    db = Database.from_url(
        pg_db.url + "?options=-c%20application_name%3Dgoalwise",
        options=EngineOptions(statement_timeout=0.2),
    )
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "200ms"
            assert conn.exec_driver_sql("SHOW application_name").scalar() == "goalwise"
        with pytest.raises(Exception, match="statement timeout"), db.engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(2)"))
    finally:
        db.dispose()


def test_hosts_share_the_key_from_an_environment_variable(sqlite_db: Database, tmp_path: Path) -> None:
    current, older = new_key(), new_key()
    value = ",".join(base64.b64encode(k).decode() for k in (current, older))
    first = Context.open(Settings(data_dir=tmp_path / "a", secret_key=value), sqlite_db)  # type: ignore[arg-type]
    second = Context.open(Settings(data_dir=tmp_path / "b", secret_key=value), sqlite_db)  # type: ignore[arg-type]
    sealed = first.keys.encrypt("note", context=b"t.c")
    assert second.keys.decrypt(sealed, context=b"t.c") == "note"
    assert first.keys.keys == [current, older]
    assert not (tmp_path / "a" / "secret.key").exists()  # the key never lands on the host's disk
    assert first.settings.safe_dict()["secret_key"] == "***"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("not base64!", "key 1 in GOALWISE_SECRET_KEY is not base64"),
        (base64.b64encode(b"x" * 16).decode(), "256-bit"),
    ],
)
def test_a_bad_key_in_the_environment_is_named(tmp_path: Path, value: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        open_keyring(Settings(data_dir=tmp_path, secret_key=value))  # type: ignore[arg-type]


def test_key_from_both_a_file_and_the_environment_is_refused(tmp_path: Path) -> None:
    value = base64.b64encode(new_key()).decode()
    with pytest.raises(ConfigError, match="keep one of them"):
        open_keyring(Settings(data_dir=tmp_path, secret_key=value, secret_key_file=tmp_path / "k"))  # type: ignore[arg-type]


def test_several_workers_need_postgres(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--workers needs PostgreSQL"):
        check_workers(Settings(data_dir=tmp_path), 4, reload=False)
    check_workers(Settings(data_dir=tmp_path), 1, reload=False)
    postgres = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://app:pw@db/goalwise")
    check_workers(postgres, 4, reload=False)
    with pytest.raises(ConfigError, match="--reload"):
        check_workers(postgres, 4, reload=True)


def test_a_request_that_takes_too_long_answers_503_and_others_do_not_wait() -> None:
    app = FastAPI()

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(5)
        return {"done": "yes"}

    @app.get("/quick")
    async def quick() -> dict[str, str]:
        return {"done": "yes"}

    app.add_middleware(RequestTimeoutMiddleware, seconds=0.3)
    with TestClient(app) as client:
        answer = client.get("/slow")
        assert answer.status_code == 503 and "try again" in answer.text
        assert client.get("/quick").json() == {"done": "yes"}
        # The watch goes idle when nothing runs, and wakes for the next request.
        time.sleep(0.2)
        assert client.get("/slow").status_code == 503
        assert [client.get("/quick").status_code for _ in range(20)] == [200] * 20
