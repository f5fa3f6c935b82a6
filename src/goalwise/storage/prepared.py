"""Statements every request runs, compiled once per database kind and sent straight to the driver.

A phone's check-in runs a handful of short statements (its token and account, its care link, its
metrics, the insert, the audit row). SQLAlchemy's execution around each one (events, the compiled
cache's key, the result object) cost several times what SQLite spends on the statement itself.
``Prepared`` keeps the statement written once in SQLAlchemy Core, compiles it once for the
connection's dialect, and runs it on the driver's cursor inside the caller's transaction. What
SQLAlchemy would do to the values is kept: each bound value goes through its column type's bind
processor and each result column through its result processor (on SQLite a datetime is text, a
boolean an integer), and a driver error is raised as SQLAlchemy's error for it (``DBAPIError.instance``,
with the connection invalidated when the driver says it was lost), so callers and
``Database``'s error translation see exactly what ``Connection.execute`` would raise.

Only for statements without expanding (``IN``) parameters; the constructor refuses others.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ClauseElement

__all__ = ["Prepared", "run_on_driver"]

_Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # bound parameters, in the order a positional driver takes them
    positional: bool
    fixed: dict[str, Any]  # values written in the statement itself
    binds: tuple[tuple[str, _Processor], ...]
    types: tuple[Any, ...]  # each result column's type, for its result processor
    row: Any  # a named tuple type of the result's columns; None for a statement without rows

    def ordered(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The values in the order a positional driver takes them."""
        return tuple(map(values.__getitem__, self.names))


class Prepared:
    """One Core statement, run on the driver: ``rows(conn, params)`` and ``first(conn, params)``."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}
        # Result processors by dialect, made at the first run: a driver's processor may depend on
        # the column type the server reports (PostgreSQL's numeric against float).
        self._results: dict[str, tuple[tuple[int, _Processor], ...]] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return found

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every result row (a named tuple, columns by their keys); ``[]`` for a statement without rows."""
        compiled = self._for(conn.dialect)
        values = {**compiled.fixed, **params} if compiled.fixed else dict(params)
        for name, process in compiled.binds:
            value = values[name]
            if value is not None:
                values[name] = process(value)
        args: Sequence[Any] | Mapping[str, Any] = compiled.ordered(values) if compiled.positional else values
        results = self._results.get(conn.dialect.name)
        fetch = compiled.row is not None
        # The driver's description of the columns is read once, for the result processors: psycopg
        # builds it anew on every read.
        fetched, description = run_on_driver(
            conn, compiled.sql, args, fetch=fetch, describe=fetch and results is None
        )
        if not fetch:
            return []
        if results is None:
            results = self._results[conn.dialect.name] = _result_processors(
                compiled, description, conn.dialect
            )
        if not results:
            return [compiled.row._make(r) for r in fetched]
        out = []
        for raw in fetched:
            row = list(raw)
            for position, process in results:
                row[position] = process(row[position])
            out.append(compiled.row._make(row))
        return out

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        """The first result row, or None."""
        found = self.rows(conn, params)
        return found[0] if found else None


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled: Any = statement.compile(dialect=dialect)
    if compiled.post_compile_params or compiled.literal_execute_params:
        raise ValueError("Prepared statements take no expanding (IN) parameters")
    binds, fixed = [], {}
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            binds.append((name, process))
        if not bind.required:  # a value written in the statement ("status = 'active'")
            fixed[name] = bind.effective_value
    exported = getattr(statement, "exported_columns", None)
    keys = list(exported.keys()) if exported is not None else []
    return _Compiled(
        sql=compiled.string,
        names=tuple(compiled.positiontup or ()),
        positional=bool(compiled.positional),
        fixed=fixed,
        binds=tuple(binds),
        types=tuple(column.type for column in exported or ()),
        row=namedtuple("Row", keys, rename=True) if keys else None,
    )


def _result_processors(
    compiled: _Compiled, description: Sequence[Any] | None, dialect: Dialect
) -> tuple[tuple[int, _Processor], ...]:
    found = []
    for position, type_ in enumerate(compiled.types):
        code = description[position][1] if description else None
        process = type_.dialect_impl(dialect).result_processor(dialect, code)
        if process is not None:
            found.append((position, process))
    return tuple(found)


def run_on_driver(
    conn: Connection,
    sql: str,
    args: Sequence[Any] | Mapping[str, Any] = (),
    *,
    fetch: bool = False,
    describe: bool = True,
) -> tuple[list[Any], Sequence[Any] | None]:
    """Run ``sql`` on the driver's cursor of ``conn`` (in its transaction): the rows (when
    ``fetch``) and the cursor's description of them (when ``describe`` too).

    A driver error is raised as SQLAlchemy's error for it, and a lost connection is invalidated,
    as ``Connection.execute`` does.
    """
    fairy = conn.connection
    dbapi = conn.dialect.loaded_dbapi
    cursor = fairy.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, args)
        if not fetch:
            return [], None
        return list(cursor.fetchall()), (cursor.description if describe else None)
    except dbapi.Error as exc:
        if conn.dialect.is_disconnect(exc, fairy, cursor):
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, args, exc, dbapi.Error) from exc
    finally:
        cursor.close()
