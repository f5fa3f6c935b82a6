"""Writes that stay correct when two requests make the same row at the same moment.

A "look, then insert" is safe on SQLite, where a write transaction holds the database's only write
lock, but not on PostgreSQL: two transactions both find nothing, both insert, and the second one
fails on the unique constraint (a 500 to whoever sent it). Every get-or-create and idempotent write
goes through here instead: the insert itself says what to do on a conflict (``ON CONFLICT DO
NOTHING`` or ``DO UPDATE``, in both dialects), and the caller then reads the row that won.

PostgreSQL makes a conflicting insert wait for the other transaction: when it commits, the insert
does nothing and the next statement (a new snapshot under READ COMMITTED) sees the winner's row;
when it rolls back, the insert goes ahead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import clients

__all__ = ["insert_many_once", "insert_once", "lock_client", "upsert"]


def _insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@cache
def _insert_once_statement(dialect: str, table: Table, unique: tuple[str, ...]) -> Any:
    # Built once and given its values at execution: SQLAlchemy then reuses the compiled SQL from
    # its cache without rebuilding and hashing a new statement for every row (a check-in's
    # three inserts spent most of their time there).
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    index = [table.c[name] for name in unique]
    return insert.on_conflict_do_nothing(index_elements=index).returning(table.c.id)


def insert_once(
    conn: Connection, table: Table, values: Mapping[str, Any], unique: Sequence[str]
) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists (or is being committed).

    Returns the new row's id, or None when another row already holds those values; the caller
    then reads that row.
    """
    statement = _insert_once_statement(conn.dialect.name, table, tuple(unique))
    new_id = conn.execute(statement, dict(values)).scalar_one_or_none()
    return None if new_id is None else int(new_id)


@lru_cache(maxsize=64)
def _insert_many_once_statement(
    dialect: str, table: Table, unique: tuple[str, ...], key: str, columns: tuple[str, ...], count: int
) -> Prepared:
    # One multi-row INSERT per row count, compiled once and run on the driver (a check-in's values
    # go in with one statement; see ``storage.prepared``).
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    index = [table.c[name] for name in unique]
    values = [{c: bindparam(f"{c}_{n}", type_=table.c[c].type) for c in columns} for n in range(count)]
    return Prepared(
        insert.values(values).on_conflict_do_nothing(index_elements=index).returning(table.c.id, table.c[key])
    )


def insert_many_once(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str], key: str
) -> dict[Any, int]:
    """``insert_once`` for several rows in one statement: the new ids by each row's ``key`` column.

    A row whose ``unique`` columns are already held is left out of the answer, like ``insert_once``'s
    None; ``key`` must tell the rows apart. Every row gives the same columns.
    """
    if not rows:
        return {}
    columns = tuple(rows[0])
    if any(tuple(row) != columns for row in rows):
        raise ValueError("insert_many_once: every row must give the same columns, in the same order")
    statement = _insert_many_once_statement(conn.dialect.name, table, tuple(unique), key, columns, len(rows))
    params = {f"{c}_{n}": row[c] for n, row in enumerate(rows) for c in columns}
    return {found[1]: int(found[0]) for found in statement.rows(conn, params)}


def upsert(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    unique: Sequence[str],
    changes: Mapping[str, Any],
) -> int:
    """Insert a row, or apply ``changes`` to the row that has the same ``unique`` columns; its id."""
    statement = (
        _insert(conn, table)
        .values(**values)
        .on_conflict_do_update(index_elements=[table.c[name] for name in unique], set_=dict(changes))
        .returning(table.c.id)
    )
    return int(conn.execute(statement).scalar_one())


def lock_client(conn: Connection, client_id: int) -> None:
    """Hold the client's row until the transaction ends, so that a rule with no unique constraint
    behind it ("one phase per day") is checked and written by one request at a time.

    On SQLite the write transaction already holds the only write lock (``FOR UPDATE`` is not
    emitted there).
    """
    conn.execute(select(clients.c.id).where(clients.c.id == client_id).with_for_update())
