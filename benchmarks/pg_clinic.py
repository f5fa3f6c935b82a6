"""The benchmark clinic on PostgreSQL, for ``make bench DB=postgres``.

A throwaway cluster is started from the server binaries (as the test suite does, see
``tests/support/postgres.py``), migrated with Goalwise's own migrations, and filled with a copy of the
cached SQLite clinic table by table with ``COPY``: the same rows on both databases, so the two columns
of the table compare like with like. Building the clinic again with the demo generator on PostgreSQL
would take many minutes; the copy takes about a minute for 2,000 clients.

Sequences are moved past the copied ids, so rows written by the benchmarks get new ids.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import JSON, select, text
from tests.support.postgres import Cluster, start_cluster

from benchmarks.clinic import Clinic
from goalwise.storage.engine import Database
from goalwise.storage.migrate import upgrade
from goalwise.storage.tables import metadata

__all__ = ["new_database", "postgres_clinic", "postgres_cluster"]

#: Rows read from SQLite and written with COPY per batch (bounded memory for millions of rows).
BATCH = 50_000


@contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    """A running throwaway cluster, stopped and removed afterwards."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


def new_database(cluster: Cluster, name: str, template: str | None = None) -> str:
    """Create database ``name`` on the cluster, empty or a copy of ``template``; its SQLAlchemy URL."""
    admin = Database.from_url(cluster.url)
    try:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        admin.dispose()
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


def postgres_clinic(clinic: Clinic, cluster: Cluster) -> Clinic:
    """The SQLite ``clinic`` copied into a new database on ``cluster``: the same clinic on PostgreSQL."""
    url = new_database(cluster, "clinic")
    started = time.perf_counter()
    source = Database.from_url(clinic.url)
    target = Database.from_url(url)
    try:
        upgrade(target)
        rows = _copy_tables(source, target)
    finally:
        source.dispose()
        target.dispose()
    print(f"copied the clinic to PostgreSQL: {rows:,} rows in {time.perf_counter() - started:.0f} s")
    return replace(clinic, database_url=url)


def _copy_tables(source: Database, target: Database) -> int:
    copied = 0
    skip = {"alembic_version"}
    with target.engine.connect() as out:
        raw = out.connection.driver_connection
        assert raw is not None
        # SQLite holds UTC instants without a zone; read into PostgreSQL as UTC.
        raw.execute("SET TIME ZONE 'UTC'")
        # The app's statement timeout guards requests; copying millions of rows is one long statement.
        raw.execute("SET statement_timeout = 0")
        for table in metadata.sorted_tables:
            if table.name in skip:
                continue
            names = [c.name for c in table.columns]
            columns = ", ".join(f'"{n}"' for n in names)
            as_json = [isinstance(c.type, JSON) for c in table.columns]
            with source.read() as conn, raw.cursor() as cursor:
                result = conn.execution_options(yield_per=BATCH).execute(select(table))
                with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                    for row in result:
                        copy.write_row([json.dumps(v) if j else v for v, j in zip(row, as_json, strict=True)])
                        copied += 1
                if "id" in table.c:
                    # Past the copied ids, so the benchmarks' own rows get fresh ones (a table
                    # without a sequence gets NULL from pg_get_serial_sequence, and setval skips it).
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                    )
        raw.commit()
        out.exec_driver_sql("ANALYZE")
    return copied
