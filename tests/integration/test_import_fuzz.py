"""Arbitrary bytes and mangled files to every importer: clean problems only, no crash, no partial write."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.interop.imports.files import FORMATS, ImportOptions, import_bytes, parse_bytes
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.storage.tables import imports, journal_entries, metrics, observations

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SAMPLES = {
    "daylio": ["daylio_2018.csv", "daylio_2021_bom.csv", "daylio_2026_scales.csv", "backup.daylio"],
    "emoods": ["emoods_entry.csv"],
    "bearable": ["bearable_2020.csv", "bearable_2024.csv"],
    "loop": ["loop_export.zip"],
    "csv": ["long.csv", "sheet.csv"],
}
OPTIONS = ImportOptions(mood_map={"rested": 4, "vaguely bad": 2})


@st.composite
def mangled(draw: st.DrawFn, fmt: str) -> bytes:
    """A sample file of ``fmt`` with bytes replaced, inserted, deleted, lines shuffled or cut short."""
    data = bytearray((DATA / draw(st.sampled_from(SAMPLES[fmt]))).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut", "swap"]))
        piece = draw(st.sampled_from([b'"', b",", b"\n", b"|", b" | ", b"\x00", b"\xff", b"99", b"-1", b":"]))
        if action == "replace" and data:
            data[where : where + len(piece)] = piece
        elif action == "insert":
            data[where:where] = piece
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 20))]
        elif action == "cut":
            del data[where:]
        else:
            lines = bytes(data).split(b"\n")
            draw(st.randoms()).shuffle(lines)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@st.composite
def well_formed(draw: st.DrawFn, fmt: str) -> bytes:
    """Rows with arbitrary dates, times, numbers and labels in each format's own header."""
    day = draw(st.dates()).isoformat()
    clock = draw(st.times()).isoformat()
    number = str(draw(st.one_of(st.floats(), st.integers(-(10**20), 10**20))))
    label = draw(st.text(max_size=12))
    rows = {
        "daylio": "full_date,date,weekday,time,mood,activities,note\n"
        f"{day},x,y,{clock[:5]},{label},a | b,{label}\n",
        "emoods": f"ID,DATE,DEPRESSED,SLEEP,NOTE\n1,{day},{number},{number},{label}\n",
        "bearable": "date,weekday,time of day,category,rating/amount,detail,notes\n"
        f"{day},x,{clock[:5]},{label},{number},{label},\n",
        "loop": "",
        "csv": "client,metric,local_date,time,value,unit,note,denominator,kind\n"
        f"1,{label},{day},{clock},{number},,{label},{number},{label}\n",
    }
    return rows[fmt].encode()


def _inputs(fmt: str) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=400), mangled(fmt), well_formed(fmt))


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_parsers_never_crash(fmt: str, data: st.DataObject) -> None:
    raw = data.draw(_inputs(fmt))
    parsed = parse_bytes(fmt, raw, OPTIONS)
    assert all(p.field == "file" or p.field.startswith("line ") for p in parsed.problems)


def _counts(ctx: Context) -> tuple[int, ...]:
    with ctx.db.read() as conn:
        return tuple(
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (observations, journal_entries, metrics, imports)
        )


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_imports_store_all_or_nothing(sqlite_ctx: Context, fmt: str, data: st.DataObject) -> None:
    raw = data.draw(_inputs(fmt))
    client = clients.add_client(sqlite_ctx, Actor.system(), "Fuzz", "Pacific/Kiritimati").id
    before = _counts(sqlite_ctx)
    try:
        summary = import_bytes(sqlite_ctx, Actor.system(), client, fmt, raw, OPTIONS)
    except InvalidInput as exc:
        assert exc.problems
        assert _counts(sqlite_ctx) == before
        return
    after = _counts(sqlite_ctx)
    assert after[0] - before[0] == summary.values and after[1] - before[1] == summary.notes
    assert after[3] == before[3] + 1


def test_every_format_has_samples() -> None:
    assert set(SAMPLES) == set(FORMATS)
