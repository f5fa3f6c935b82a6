"""The long CSV export: columns, formulas neutralised, BOM, and a lossless round trip (both databases)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from tests.support.cast import Cast

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.transfer.cells import neutralise, restore_text
from goalwise.interop.imports.files import ImportOptions, import_bytes
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement import observations
from goalwise.services.transfer.csv_export import COLUMNS, export_csv

NOTES = [
    '=HYPERLINK("http://x")',
    "'=already quoted",
    "-3",
    "+ plus",
    "@home",
    "line one\nline two",
    "ünïcode ✓",
]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _log_values(ctx: Context, client: int) -> None:
    system = Actor.system()
    zone = ZoneInfo("Europe/London")
    for day, note in enumerate(NOTES, start=1):
        at = datetime(2024, 3, day, 8, 15, 30, 123456 * (day % 2), tzinfo=zone)
        observations.log(ctx, system, client, "mood", 1 + day, at=at, note=note)
    observations.log(ctx, system, client, "sleep_hours", 7.3, at=datetime(2024, 3, 31, 1, 30, tzinfo=zone))


def _comparable(ctx: Context, client: int) -> list[tuple[object, ...]]:
    found = observations.list_observations(ctx, Actor.system(), client)
    return [(o.metric_key, o.at, o.local_on, o.value, o.denominator, o.note) for o in found]


@pytest.mark.parametrize("text", [*NOTES, "''=twice", "plain", ""])
def test_neutralised_text_reads_back_unchanged(text: str) -> None:
    assert restore_text(neutralise(text)) == text


def test_export_has_the_long_columns_and_neutralises_formulas(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    _log_values(ctx, client)
    rows = _rows(export_csv(ctx, cast.therapist.actor, client))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1] == [
        str(client),
        "mood",
        "2024-03-01",
        "08:15:30.123456",
        "2",
        "",
        '\'=HYPERLINK("http://x")',
        "",
        "rating",
    ]
    assert [row[6] for row in rows[1:8]] == [
        '\'=HYPERLINK("http://x")',
        "''=already quoted",
        "-3",
        "'+ plus",
        "'@home",
        "line one\nline two",
        "ünïcode ✓",
    ]
    # 01:30 on 31 March 2024 does not exist in London (clocks go forward at 01:00): it is 01:30 UTC,
    # which is 02:30 British Summer Time.
    assert rows[-1][1:6] == ["sleep_hours", "2024-03-31", "02:30:00", "7.3", "hours"]


def test_bom_only_when_asked(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    assert export_csv(ctx, cast.therapist.actor, client, bom=True).startswith("\ufeffclient,")
    assert export_csv(ctx, cast.therapist.actor, client).startswith("client,")


def test_another_therapist_cannot_export(ctx: Context, cast: Cast) -> None:
    client = cast.client_a.client_id
    assert client is not None
    with pytest.raises(NotFound):
        export_csv(ctx, cast.other_therapist.actor, client)


def test_export_then_import_into_a_new_client_is_lossless(ctx: Context, cast: Cast) -> None:
    source = cast.client_a.client_id
    assert source is not None
    _log_values(ctx, source)
    text = export_csv(ctx, Actor.system(), source, bom=True)
    target = clients.add_client(ctx, Actor.system(), "Round trip", "Europe/London").id
    summary = import_bytes(ctx, Actor.system(), target, "csv", text.encode(), ImportOptions())
    assert summary.values == len(NOTES) + 1
    assert _comparable(ctx, target) == _comparable(ctx, source)
    again = import_bytes(ctx, Actor.system(), target, "csv", text.encode(), ImportOptions())
    assert (again.imported, again.skipped) == (0, len(NOTES) + 1)
    # The target's own export is the source's, row for row (but for the client column).
    assert [r[1:] for r in _rows(export_csv(ctx, Actor.system(), target))] == [r[1:] for r in _rows(text)]
