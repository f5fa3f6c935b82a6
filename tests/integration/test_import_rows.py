"""An import's rows as the database driver receives them: ``RowWriter.bind_all`` writes each value
as ``RowWriter.bind`` (the column type's own bind processor) does, so what an import stores is
what ``insert()`` would store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalwise.services.context import Context
from goalwise.services.transfer.import_rows import RowWriter
from goalwise.storage.tables import observations

_ZONES = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=13, minutes=45))]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    instants=st.lists(st.datetimes(timezones=_ZONES), max_size=20),
    days=st.lists(st.dates(min_value=date(1, 1, 1)), max_size=5),
)
def test_bind_all_writes_each_value_as_bind_does(
    ctx: Context, instants: list[datetime], days: list[date]
) -> None:
    with ctx.db.read() as conn:
        writer = RowWriter(conn, observations, ("at", "local_on", "created_at", "value"))
        assert list(writer.bind_all("at", instants)) == [writer.bind("at", at) for at in instants]
        assert list(writer.bind_all("created_at", instants)) == [
            writer.bind("created_at", at) for at in instants
        ]
        assert list(writer.bind_all("local_on", days)) == [writer.bind("local_on", day) for day in days]
        assert list(writer.bind_all("value", [1.5, 7.0])) == [1.5, 7.0]


def test_an_instant_is_stored_as_sqlalchemy_stores_it(ctx: Context) -> None:
    with ctx.db.read() as conn:
        writer = RowWriter(conn, observations, ("at",))
        at = datetime(2024, 3, 31, 1, 30, 5, tzinfo=UTC)
        expected = "2024-03-31 01:30:05.000000" if conn.dialect.name == "sqlite" else at
        assert list(writer.bind_all("at", [at])) == [expected]
