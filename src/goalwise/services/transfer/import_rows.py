"""An import's rows written in batches: one prepared ``INSERT`` run over many rows.

SQLAlchemy's ``conn.execute(insert(table), dicts)`` spends more time per row turning each dict into
parameters, and each datetime into SQLite's text, than SQLite spends storing the row (profiled on
100,000 rows: 12 µs a row in SQLAlchemy, 9 µs in SQLite). On SQLite, :class:`RowWriter` sends
tuples to the driver with the statement SQLAlchemy compiles for the table, and a caller turns each
datetime and date into what the driver receives with :meth:`RowWriter.bind`, which calls the
column type's own bind processor, so what is stored is exactly what ``insert()`` would store; a
caller binds each distinct value once (three metrics share an instant, a day's rows share a date).
On PostgreSQL with psycopg the tuples go to psycopg's ``executemany`` with a positional ``INSERT``
(the column types have no bind processor there but the boolean's, which ``bind`` applies; psycopg
adapts the values itself). Other drivers get ``insert()`` with dicts.

:func:`roomy_cache` gives SQLite's page cache room for the indexes an import writes: each value's
``client_ref`` is a hash, so the unique index on it takes inserts at random places, and with
SQLite's default 2 MB cache most of them read a page back first (1,000,000 rows into
``observations``: 10.4 s of SQLite with the default cache, 6.9 s with 64 MB).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter, methodcaller
from typing import Any

from sqlalchemy import Connection, Table, insert

__all__ = ["IMPORT_CACHE_KIB", "RowWriter", "roomy_cache"]

#: SQLite's page cache during an import, in KiB (a million values' indexes fit; peak memory stays
#: well under 500 MB).
IMPORT_CACHE_KIB = 65_536


@contextmanager
def roomy_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, a page cache of :data:`IMPORT_CACHE_KIB` for the connection while the block runs;
    the connection's own size comes back after it (the connection returns to the pool)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        if not conn.invalidated:
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")


class RowWriter:
    """Inserts rows of ``columns`` (tuples in that order) into ``table`` on ``conn``."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        self.conn = conn
        self.table = table
        self.columns = tuple(columns)
        dialect = conn.dialect
        self._processors: dict[str, Callable[[Any], Any]] = {}
        self._iso_columns: set[str] = set()
        self._sql = ""
        if dialect.name == "sqlite":
            compiled = insert(table).compile(dialect=dialect, column_keys=list(self.columns))
            # The statement takes the values in the order of ``columns``; anything else (a dialect
            # that renders the statement another way) falls back to ``insert()``.
            if not compiled.positional or tuple(compiled.positiontup or ()) != self.columns:
                return
            self._sql = str(compiled)
        elif dialect.name == "postgresql" and dialect.driver == "psycopg":
            # psycopg's executemany (a pipeline of one prepared INSERT) adapts each value itself;
            # insert() with dicts built a multi-row INSERT a thousand rows at a time in Python
            # (an import of 1,000,000 rows: 50 s that way, 39 s this way).
            quote = dialect.identifier_preparer.quote
            names = ", ".join(quote(name) for name in self.columns)
            marks = ", ".join(["%s"] * len(self.columns))
            self._sql = (
                f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"
            )
        else:
            return
        for name in self.columns:
            process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self._processors[name] = process
                if _writes_iso_datetimes(process):
                    self._iso_columns.add(name)

    def bind(self, column: str, value: Any) -> Any:
        """``value`` of ``column`` as the rows given to :meth:`write` carry it."""
        process = self._processors.get(column)
        return value if process is None or value is None else process(value)

    def bind_all(self, column: str, values: Iterable[Any]) -> Iterator[Any]:
        """:meth:`bind` of each of ``values`` (none of them None). A datetime column whose bind
        processor writes ``isoformat``'s text (SQLite's default form, checked on sample values when
        the writer is made) is written by ``isoformat`` itself: one C call a value, not a Python
        function (a million values have a third of a million instants)."""
        process = self._processors.get(column)
        if process is None:
            return iter(values)
        if column in self._iso_columns:
            return map(_FIRST_26, map(_ISO_DATETIME, values))
        return map(process, values)

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values already passed through :meth:`bind` where a column needs it)."""
        if not rows:
            return
        if self._sql:
            self.conn.exec_driver_sql(self._sql, list(rows))
        else:
            self.conn.execute(insert(self.table), [dict(zip(self.columns, row, strict=True)) for row in rows])


#: A datetime as ``YYYY-MM-DD HH:MM:SS.ffffff``: ``isoformat`` with a space and microseconds, cut
#: before a time zone's offset (the date part has 10 characters for every year from 1 to 9999).
_ISO_DATETIME, _FIRST_26 = methodcaller("isoformat", " ", "microseconds"), itemgetter(slice(26))
#: Datetimes whose text shows a mistake in any field: small and large years, fields of one digit,
#: no microseconds, all microseconds, with and without a zone.
_SAMPLES = (
    datetime(1, 1, 1),
    datetime(987, 6, 5, 4, 3, 2, 1),
    datetime(2024, 3, 31, 1, 30),
    datetime(2024, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 123_450, tzinfo=timezone(timedelta(hours=-5))),
)


def _writes_iso_datetimes(process: Callable[[Any], Any]) -> bool:
    """Whether a bind processor writes each sample datetime as ``isoformat`` does (above)."""
    try:
        return all(process(sample) == _FIRST_26(_ISO_DATETIME(sample)) for sample in _SAMPLES)
    except (TypeError, ValueError):  # a processor of another type: not a datetime column
        return False
