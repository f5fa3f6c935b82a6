"""Imports stored: atomic, idempotent, line-numbered, dry run, skip-bad, authorization (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.interop.imports.files import ImportOptions, import_bytes
from goalwise.interop.imports.long_csv import iter_long_csv, parse_long_csv
from goalwise.services.context import Context
from goalwise.services.measurement import journal, observations
from goalwise.services.transfer.imports import run_import
from goalwise.storage.tables import imports, journal_entries, metrics
from goalwise.storage.tables import observations as observation_rows

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def _count(ctx: Context, table: object) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_daylio_import_stores_moods_activities_and_notes_once(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "daylio_2021_bom.csv").read_bytes()
    summary = import_bytes(ctx, cast.therapist.actor, client, "daylio", data, ImportOptions())
    assert (summary.values, summary.notes, summary.skipped) == (8, 1, 0)  # 5 + 1 + 2 values
    moods = observations.list_observations(ctx, cast.therapist.actor, client, metric="mood")
    assert [(o.local_on.isoformat(), o.value) for o in moods] == [
        ("2021-03-27", 1.0),
        ("2021-09-28", 7.75),
        ("2021-09-28", 3.25),
    ]
    # A therapist's import of a file the client gave them is shared with the therapist.
    notes = journal.list_entries(ctx, cast.therapist.actor, client)
    assert [n.body for n in notes] == ["Morning\n\nSlept well.\nWalked the dog & read."]
    with ctx.db.read() as conn:
        body = conn.execute(select(journal_entries.c.body_enc)).scalar_one()
        record = conn.execute(select(imports)).one()
    assert b"Slept" not in body
    assert record.format == "daylio" and record.imported == 9 and "mood_rule" in record.options

    again = import_bytes(ctx, cast.therapist.actor, client, "daylio", data, ImportOptions())
    assert (again.imported, again.skipped) == (0, 9)
    assert _count(ctx, observation_rows) == 8 and _count(ctx, journal_entries) == 1
    assert _count(ctx, imports) == 2


def test_a_file_with_bad_lines_is_refused_whole(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "daylio_malformed.csv").read_bytes()
    with pytest.raises(InvalidInput) as caught:
        import_bytes(ctx, cast.therapist.actor, client, "daylio", data, ImportOptions())
    assert [p.field for p in caught.value.problems] == ["line 3", "line 4", "line 5"]
    assert "grumpy" in caught.value.problems[2].message
    assert _count(ctx, observation_rows) == 0 and _count(ctx, metrics) == 0 and _count(ctx, imports) == 0


def test_skip_bad_stores_the_good_lines_and_lists_the_bad(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "daylio_malformed.csv").read_bytes()
    summary = import_bytes(ctx, cast.therapist.actor, client, "daylio", data, ImportOptions(), skip_bad=True)
    assert summary.rejected_lines == [3, 4, 5]
    assert summary.values == 2  # line 2: the mood and one activity
    assert summary.to_dict()["imported"] == 2 and summary.to_dict()["skipped"] == 0


def test_values_off_the_metric_scale_name_their_line_and_store_nothing(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = b"date,mood,sleep_hours\n2024-06-01,7,8\n2024-06-02,11,30\n"
    with pytest.raises(InvalidInput) as caught:
        import_bytes(ctx, cast.therapist.actor, client, "csv", data, ImportOptions())
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("line 3", "observation-scale"),
        ("line 3", "observation-scale"),
    ]
    assert _count(ctx, observation_rows) == 0 and _count(ctx, metrics) == 0


def test_a_dry_run_reports_what_would_be_stored_and_stores_nothing(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "sheet.csv").read_bytes()
    options = ImportOptions(mapping={"Day": "date", "Sleep (h)": "sleep_hours"})
    dry = import_bytes(ctx, cast.therapist.actor, client, "csv", data, options, dry_run=True)
    assert (dry.values, dry.notes, dry.import_id) == (5, 1, None)
    assert [row["metric"] for row in dry.preview][:3] == ["mood", "anxiety", "sleep_hours"]
    assert _count(ctx, observation_rows) == 0 and _count(ctx, metrics) == 0 and _count(ctx, imports) == 0
    real = import_bytes(ctx, cast.therapist.actor, client, "csv", data, options)
    assert real.values == 5 and real.import_id is not None


def test_a_client_imports_their_own_file_with_private_notes(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "daylio_2020.csv").read_bytes()
    import_bytes(ctx, cast.client_a.actor, client, "daylio", data, ImportOptions())
    assert [n.private for n in journal.list_entries(ctx, cast.client_a.actor, client)] == [True, True]
    assert journal.list_entries(ctx, cast.therapist.actor, client) == []


@pytest.mark.parametrize("who", ["other_therapist", "client_b", "supporter"])
def test_nobody_else_imports_into_a_client(ctx: Context, cast: Cast, who: str) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "daylio_2020.csv").read_bytes()
    with pytest.raises(NotFound):
        import_bytes(ctx, cast.everyone()[who].actor, client, "daylio", data, ImportOptions())
    assert _count(ctx, observation_rows) == 0


def test_a_file_read_in_batches_stores_local_times_as_their_utc_instants(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id  # Europe/London
    assert client is not None
    data = (
        b"date,time,metric,value,note\n"
        b"2024-01-15,00:30,mood,6,\n2024-06-01,00:30,mood,7,slept well\n2024-06-01,00:30,anxiety,3,\n"
    )
    batches = iter_long_csv(data, batch_lines=2)
    summary = run_import(ctx, cast.therapist.actor, client, batches, file_sha256="a" * 64)
    assert (summary.rows, summary.values, summary.skipped) == (3, 3, 0)
    stored = observations.list_observations(ctx, cast.therapist.actor, client)
    assert sorted(
        (o.metric_key, o.at.isoformat(), o.local_on.isoformat(), o.value, o.note) for o in stored
    ) == [
        # 1 June in London is British Summer Time (UTC+1): 00:30 there is 23:30 UTC the day before.
        ("anxiety", "2024-05-31T23:30:00+00:00", "2024-06-01", 3.0, None),
        # 15 January is Greenwich Mean Time (UTC+0).
        ("mood", "2024-01-15T00:30:00+00:00", "2024-01-15", 6.0, None),
        ("mood", "2024-05-31T23:30:00+00:00", "2024-06-01", 7.0, "slept well"),
    ]
    again = run_import(
        ctx, cast.therapist.actor, client, iter_long_csv(data, batch_lines=2), file_sha256="a" * 64
    )
    assert (again.imported, again.skipped) == (0, 3)
    assert _count(ctx, observation_rows) == 3


def test_a_bad_line_in_the_last_batch_stores_none_of_the_earlier_batches(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    good = b"".join(b"2024-06-%02d,mood,7\n" % day for day in range(1, 6))  # lines 2-6
    data = b"date,metric,value\n" + good + b"2024-06-06,mood,11\n"  # line 7: off the 1-10 scale
    with pytest.raises(InvalidInput) as caught:
        run_import(
            ctx, cast.therapist.actor, client, iter_long_csv(data, batch_lines=2), file_sha256="b" * 64
        )
    assert [(p.field, p.code) for p in caught.value.problems] == [("line 7", "observation-scale")]
    assert _count(ctx, observation_rows) == 0 and _count(ctx, metrics) == 0 and _count(ctx, imports) == 0


def test_a_refusal_names_fifty_problems_and_counts_the_rest(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    # Line 2 has one problem (the value); lines 3-61 have two (the date, the value): 1 + 59 * 2 = 119.
    # Named: line 2's, lines 3-26's two each (48) and line 27's first = 50. The rest: 119 - 50 = 69
    # problems on lines 27-61 = 35 lines.
    data = b"date,metric,value\n2024-06-01,mood,x\n" + b"2024-13-01,mood,x\n" * 59
    expected = ["line 2", *[f"line {n}" for n in range(3, 27) for _ in (1, 2)], "line 27", "file"]
    for parsed in (iter_long_csv(data, batch_lines=7), parse_long_csv(data)):
        with pytest.raises(InvalidInput) as caught:
            run_import(ctx, cast.therapist.actor, client, parsed, file_sha256="c" * 64)
        assert [p.field for p in caught.value.problems] == expected
        assert caught.value.problems[-1].message == "69 more problems on 35 more lines."
    assert _count(ctx, observation_rows) == 0


def test_a_dry_run_in_batches_previews_what_one_batch_would(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    data = (DATA / "sheet.csv").read_bytes()
    mapping = {"Day": "date", "Sleep (h)": "sleep_hours"}
    whole = run_import(
        ctx, cast.therapist.actor, client, parse_long_csv(data, mapping), file_sha256="d" * 64, dry_run=True
    )
    batched = run_import(
        ctx, cast.therapist.actor, client, iter_long_csv(data, mapping, batch_lines=1), file_sha256="d" * 64,
        dry_run=True,
    )  # fmt: skip
    assert (batched.values, batched.notes, batched.import_id) == (5, 1, None)
    assert batched.preview == whole.preview and len(batched.preview) == 6  # 5 values and 1 note
    assert _count(ctx, observation_rows) == 0 and _count(ctx, imports) == 0


def test_a_value_checked_once_is_still_refused_on_a_line_in_the_future(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    # The same value (7) on both lines: good on line 2, in the future (2199) on line 3.
    data = b"date,metric,value\n2024-06-01,mood,7\n2199-06-01,mood,7\n"
    with pytest.raises(InvalidInput) as caught:
        import_bytes(ctx, cast.therapist.actor, client, "csv", data, ImportOptions())
    assert [(p.field, p.code) for p in caught.value.problems] == [("line 3", "observation-future")]
    assert _count(ctx, observation_rows) == 0
