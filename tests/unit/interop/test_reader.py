"""Reading CSV records a block at a time, and a batch's refs made a column at a time, give exactly
what reading record by record and one row at a time give (the refs of files imported before
must never change)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.core.transfer.import_batch import MetricDef, Parsed
from goalwise.interop.imports.long_csv import iter_long_csv
from goalwise.interop.imports.reader import csv_blocks, csv_rows

# Cells with the characters that make CSV hard: quotes, separators, line breaks, blanks.
_CELL = st.sampled_from(["", " ", "a", "7", '"q"', '"a,b"', '"two\nlines"', '"x""y"', "'=1"])
_LINE = st.one_of(
    st.lists(_CELL, min_size=1, max_size=4).map(",".join),
    st.sampled_from(["", ",,", '"unclosed', 'bad"quote']),
)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _records(text: str, size: int) -> tuple[list[tuple[int, list[str]]], list[str], list[int]]:
    parsed = Parsed("csv")
    ticks: list[int] = []
    blocks = list(csv_blocks(_lines(text), parsed, ticks.append, size))
    return [record for block in blocks for record in block], [p.field for p in parsed.problems], ticks


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=12), size=st.integers(min_value=1, max_value=5))
def test_csv_blocks_give_the_records_and_problems_of_csv_rows(lines: list[str], size: int) -> None:
    text = "\n".join(lines) + "\n"
    by_record = Parsed("csv")
    expected = list(csv_rows(_lines(text), by_record))
    records, problems, ticks = _records(text, size)
    assert records == expected
    assert problems == [p.field for p in by_record.problems]
    assert ticks == sorted(ticks)


def test_csv_blocks_number_lines_after_blank_and_multi_line_records() -> None:
    text = 'a,b\n\n" ",\nc,"d\ne"\nf,g\n'
    records, problems, _ = _records(text, 2)
    assert records == [(1, ["a", "b"]), (4, ["c", "d\ne"]), (6, ["f", "g"])]
    assert problems == []


def test_csv_blocks_name_the_line_of_an_unclosed_quote_in_a_later_block() -> None:
    records, problems, _ = _records('a\nb\nc\n"d\n', 2)
    assert records == [(1, ["a"]), (2, ["b"]), (3, ["c"])]
    assert problems == ["line 4"]


_MOOD = MetricDef("mood", "Mood", "rating")
_ROW = st.tuples(
    st.sampled_from([_MOOD, MetricDef("sleep_hours", "Sleep hours", "duration")]),
    st.sampled_from([datetime(2024, 6, 1, 8), datetime(2024, 6, 1, 20), datetime(1850, 1, 1)]),
    st.sampled_from([1.0, 7.0, 7.5]),
    st.sampled_from(["", "calm"]),
)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(_ROW, max_size=12), split=st.integers(min_value=0, max_value=12))
def test_add_rows_gives_the_entries_refs_and_problems_of_add_row(
    rows: list[tuple[MetricDef, datetime, float, str]], split: int
) -> None:
    # Repeated rows get their occurrence number and dates before 1900 a problem, the same either
    # way, also when the file's rows come in two batches.
    numbered = [(line, *row) for line, row in enumerate(rows, start=2)]
    one, columns = Parsed("csv"), Parsed("csv")
    for line, metric, local, value, note in numbered:
        one.add_row(
            line, metric, local, value, (metric.key, local.isoformat(), repr(value), note, ""), note or None
        )
    for part in (numbered[:split], numbered[split:]):
        lines, metrics, locals_, values, notes = (
            (list(column) for column in zip(*part, strict=True)) if part else ([],) * 5
        )
        parts = (
            [m.key for m in metrics],
            [t.isoformat() for t in locals_],
            list(map(repr, values)),
            notes,
            [""] * len(part),
        )
        columns.add_rows(
            lines, metrics, locals_, values, parts, [n or None for n in notes], [None] * len(part)
        )
    assert columns.entries == one.entries
    assert columns.problems == one.problems
    assert list(columns.metrics.items()) == list(one.metrics.items())


def test_add_row_makes_the_ref_that_row_ref_and_add_make() -> None:
    parsed, again = Parsed("csv"), Parsed("csv")
    parts = ("mood", "2024-06-01T08:00:00", "7.0", "", "")
    for _ in range(2):  # the second time, the occurrence number
        parsed.add_row(2, _MOOD, datetime(2024, 6, 1, 8), 7.0, parts)
        again.add(2, _MOOD, datetime(2024, 6, 1, 8), 7.0, again.row_ref(*parts))
    assert parsed.entries == again.entries
    assert parsed.entries[0].ref != parsed.entries[1].ref


def test_a_header_after_more_blank_lines_than_a_block_is_still_found() -> None:
    data = b"\n\n\ndate,metric,value\n\n2024-06-01,mood,7\n"
    for batch_lines in (1, 2, 10_000):
        batches = list(iter_long_csv(data, batch_lines=batch_lines))
        assert [(e.line, e.metric, e.value) for b in batches for e in b.entries] == [(6, "mood", 7.0)]
        assert [p for b in batches for p in b.problems] == []
