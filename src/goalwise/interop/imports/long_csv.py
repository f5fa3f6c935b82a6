"""Spreadsheets: Goalwise's own long CSV, and the one-row-per-day sheet (the Google Sheets template).

*Long*: one row per value, the columns of ``goalwise export csv``: ``client, metric, local_date,
time, value, unit, note, denominator, kind`` (``client`` is ignored: the import names the client;
``date`` may stand for ``local_date``; ``time`` may be blank).
*Wide* (the sheet template): ``date`` and one column per metric (its key, e.g. ``mood``,
``anxiety``, ``sleep_hours``), optionally ``time`` and ``note``; a blank cell is no value.

``mapping`` renames the sheet's columns first (``{"Sleep (h)": "sleep_hours", "Day": "date"}``), so
a spreadsheet with its own headings imports without editing it. A metric the client lacks is
created (a rating without a fixed scale, unless the ``kind`` column says otherwise).

:func:`iter_long_csv` reads the file in batches of :data:`BATCH_LINES` lines, so that a file of a
million values is stored as it is read, never held whole; :func:`parse_long_csv` is the same
reading gathered into one batch. Rows of a long file share their dates, times, values and metrics
(three metrics a reading, one reading an hour), so the cells are parsed once each and remembered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from functools import lru_cache
from itertools import chain
from operator import attrgetter, itemgetter
from typing import TypeVar

from goalwise.core.errors import Problem
from goalwise.core.transfer.cells import restore_text
from goalwise.core.transfer.import_batch import MetricDef, Parsed
from goalwise.interop.imports.fields import parse_iso_day, parse_number, parse_time
from goalwise.interop.imports.reader import Tick, csv_blocks, text_lines

__all__ = ["BATCH_LINES", "DAY_TIME", "KINDS", "iter_long_csv", "metric_key", "parse_long_csv"]

#: Lines in one batch of :func:`iter_long_csv` (a few megabytes of values at a time).
BATCH_LINES = 10_000
#: Distinct cells remembered per kind of cell; past this the memory starts again.
_REMEMBERED = 4_096

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

DAY_TIME = time(12, 0)
KINDS = ("count", "duration", "rating", "proportion", "checklist", "instrument")
_LONG_ALIASES = {"local_date": "date", "local date": "date", "day": "date"}
_KEY = attrgetter("key")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


@lru_cache(maxsize=4096)
def metric_key(heading: str) -> str:
    """A column heading as a metric key: ``Sleep hours`` -> ``sleep_hours``."""
    return re.sub(r"[^a-z0-9]+", "_", heading.strip().lower()).strip("_")[:60]


def _columns(header: list[str], mapping: Mapping[str, str]) -> dict[str, int]:
    lowered = {source.strip().lower(): target.strip() for source, target in mapping.items()}
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        plain = name.strip().lower()
        target = lowered.get(plain) or _LONG_ALIASES.get(plain, plain)
        found.setdefault(target, position)
    return found


def _when(parsed: Parsed, line: int, cells: dict[str, str], date_format: str | None) -> datetime | None:
    day = parse_iso_day(cells.get("date", ""), date_format)
    raw_time = cells.get("time", "").strip()
    clock = parse_time(raw_time) if raw_time else DAY_TIME
    return _moment(parsed, line, day, clock, date_format)


def _moment(
    parsed: Parsed, line: int, day: date | None, clock: time | None, date_format: str | None
) -> datetime | None:
    """The local date and time of a line, or None and a problem for the part that is missing."""
    if day is None:
        hint = f"Use the format {date_format}." if date_format else "Use YYYY-MM-DD, or give --date-format."
        parsed.problem(line, "csv-date", "The date is not a date.", hint)
    if clock is None:
        parsed.problem(
            line, "csv-time", "The time is not a time.", "Use HH:MM, e.g. 08:30, or leave it blank."
        )
    return None if day is None or clock is None else datetime.combine(day, clock)


@lru_cache(maxsize=4096)
def _metric_def(key: str, unit: str, kind: str) -> MetricDef:
    return MetricDef(key, key.replace("_", " ").capitalize(), kind or "rating", unit[:40] or None)


def _metric(parsed: Parsed, line: int, key: str, unit: str, kind: str) -> MetricDef | None:
    if not key:
        parsed.problem(line, "csv-metric", "The metric is empty.", "Name a metric key, e.g. mood.")
        return None
    if kind and kind not in KINDS:
        parsed.problem(line, "csv-kind", "The kind is not a metric kind.", f"Use one of {', '.join(KINDS)}.")
        return None
    return _metric_def(key, unit, kind)


def _remember(found: dict[_K, _V], key: _K, value: _V | None) -> _V | None:
    """``value`` (a good reading of the cell ``key``) remembered in ``found``; a cell with a
    problem is read again on each line, so that every line names its own problem."""
    if value is not None:
        if len(found) >= _REMEMBERED:
            found.clear()
        found[key] = value
    return value


class _LongReader:
    """The rows of a long CSV, read with the cells they share remembered."""

    _NAMES = ("date", "time", "metric", "unit", "kind", "value", "denominator", "note")

    def __init__(self, parsed: Parsed, columns: dict[str, int], date_format: str | None) -> None:
        self.parsed = parsed
        self.date_format = date_format
        # A column the file lacks reads the "" appended to every row (position -1).
        self.positions = [columns.get(name, -1) for name in self._NAMES]
        self.width = max(self.positions) + 1
        self.cells = itemgetter(*self.positions)
        self.whens: dict[tuple[str, str], tuple[datetime, str]] = {}
        self.days: dict[str, date] = {}
        self.clocks: dict[str, time] = {}
        self.metrics: dict[tuple[str, str, str], MetricDef] = {}
        self.numbers: dict[str, tuple[float, str]] = {}

    def row(self, line: int, row: list[str]) -> None:
        """Add the value of one line (or its problems) to the batch."""
        if len(row) < self.width:
            row += [""] * (self.width - len(row))
        row.append("")
        day, clock, name, unit, kind, raw_value, raw_den, raw_note = self.cells(row)
        parsed = self.parsed
        when = self.whens.get((day, clock)) or self._when(line, day, clock)
        metric = self.metrics.get((name, unit, kind)) or self._metric(line, name, unit, kind)
        number = self.numbers.get(raw_value) or _remember(self.numbers, raw_value, _number(raw_value))
        if number is None:
            parsed.problem(line, "csv-value", "The value is not a number.", "Enter a number, e.g. 7 or 7.5.")
        raw_den = raw_den.strip()
        denominator = parse_number(raw_den) if raw_den else None
        if raw_den and denominator is None:
            parsed.problem(line, "csv-denominator", "The denominator is not a number.", "")
        if when is None or metric is None or number is None or (raw_den and denominator is None):
            return
        (local, iso), (value, shown) = when, number
        note = (restore_text(raw_note) or None) if raw_note else None
        parts = (metric.key, iso, shown, raw_note, raw_den)
        parsed.add_row(line, metric, local, value, parts, note, denominator)

    def rows(self, chunk: list[tuple[int, list[str]]]) -> None:
        """Add the values of many lines, in order: column by column when no cell of theirs has a
        problem (see ``Parsed.add_rows``), else line by line (:meth:`row`), naming each problem."""
        if chunk and not self._columns(chunk):
            for line, row in chunk:
                self.row(line, row)

    def _columns(self, chunk: list[tuple[int, list[str]]]) -> bool:
        """Add the chunk's values column by column; False (and nothing added) when a cell has a problem."""
        lines, rows = zip(*chunk, strict=True)
        if min(map(len, rows)) < self.width:
            return False
        columns = list(zip(*rows, strict=False))  # the first self.width cells of every row
        blank = ("",) * len(rows)
        days, clocks, names, units, kinds, raw_values, raw_dens, raw_notes = (
            columns[position] if position >= 0 else blank for position in self.positions
        )
        whens = _look_up(self.whens, list(zip(days, clocks, strict=True)), self._known_when)
        metrics = _look_up(self.metrics, list(zip(names, units, kinds, strict=True)), self._known_metric)
        numbers = _look_up(self.numbers, raw_values, _remembered_number(self.numbers))
        if whens is None or metrics is None or numbers is None:
            return False
        nothing: tuple[None, ...] = (None,) * len(rows)
        dens: Sequence[float | None] = nothing
        if any(raw_dens):
            raw_dens = tuple(raw.strip() for raw in raw_dens)
            dens = [parse_number(raw) if raw else None for raw in raw_dens]
            if any(raw and den is None for raw, den in zip(raw_dens, dens, strict=True)):
                return False
        notes: Sequence[str | None] = nothing
        if any(raw_notes):
            notes = [(restore_text(raw) or None) if raw else None for raw in raw_notes]
        keys = list(map(_KEY, metrics))
        isos, values, shown = map(_SECOND, whens), map(_FIRST, numbers), map(_SECOND, numbers)
        parts = (keys, list(isos), list(shown), raw_notes, raw_dens)
        self.parsed.add_rows(lines, metrics, list(map(_FIRST, whens)), list(values), parts, notes, dens)
        return True

    def _cells_when(self, day_text: str, clock_text: str) -> tuple[date | None, time | None]:
        day = self.days.get(day_text) or _remember(
            self.days, day_text, parse_iso_day(day_text, self.date_format)
        )
        raw_time = clock_text.strip()
        clock = (
            (self.clocks.get(raw_time) or _remember(self.clocks, raw_time, parse_time(raw_time)))
            if raw_time
            else DAY_TIME
        )
        return day, clock

    def _when(self, line: int, day_text: str, clock_text: str) -> tuple[datetime, str] | None:
        day, clock = self._cells_when(day_text, clock_text)
        when = _moment(self.parsed, line, day, clock, self.date_format)
        if when is None:
            return None
        return _remember(self.whens, (day_text, clock_text), (when, when.isoformat()))

    def _known_when(self, cells: tuple[str, str]) -> tuple[datetime, str] | None:
        """A date and time cell's reading (as :meth:`_when`), or None when one has a problem."""
        day, clock = self._cells_when(*cells)
        if day is None or clock is None:
            return None
        when = datetime.combine(day, clock)
        return _remember(self.whens, cells, (when, when.isoformat()))

    def _metric(self, line: int, name: str, unit: str, kind: str) -> MetricDef | None:
        found = _metric(self.parsed, line, metric_key(name), restore_text(unit.strip()), kind.strip().lower())
        return _remember(self.metrics, (name, unit, kind), found)

    def _known_metric(self, cells: tuple[str, str, str]) -> MetricDef | None:
        """A metric, unit and kind cell's metric (as :meth:`_metric`), or None when one has a problem."""
        name, unit, kind = cells
        key, kind = metric_key(name), kind.strip().lower()
        if not key or (kind and kind not in KINDS):
            return None
        return _remember(self.metrics, cells, _metric_def(key, restore_text(unit.strip()), kind))


def _look_up(found: dict[_K, _V], cells: Sequence[_K], read: Callable[[_K], _V | None]) -> list[_V] | None:
    """Each cell's reading, worked out once per distinct cell (remembered in ``found``, else
    ``read``, which remembers it); None when a cell has none (a problem)."""
    readings: dict[_K, _V] = {}
    for cell in dict.fromkeys(cells):
        reading = found.get(cell) or read(cell)
        if reading is None:
            return None
        readings[cell] = reading
    return list(map(readings.__getitem__, cells))


def _remembered_number(found: dict[str, tuple[float, str]]) -> Callable[[str], tuple[float, str] | None]:
    return lambda text: _remember(found, text, _number(text))


def _number(text: str) -> tuple[float, str] | None:
    """A value cell's number and its ``repr`` (part of the row's ref)."""
    value = parse_number(text)
    return None if value is None else (value, repr(value))


def _wide_row(parsed: Parsed, line: int, cells: dict[str, str], date_format: str | None) -> None:
    when = _when(parsed, line, cells, date_format)
    values = {}
    for name, raw in cells.items():
        if name in ("date", "time", "note") or not name or not raw.strip():
            continue
        number = parse_number(raw)
        if number is None:
            parsed.problem(
                line, "csv-value", f"Column {name[:40]} is not a number.", "Enter a number or leave it blank."
            )
        else:
            values[name] = number
    if when is None:
        return
    ref = parsed.row_ref(when.isoformat(), *(f"{k}={cells[k]}" for k in sorted(cells)))
    for name, number in values.items():
        parsed.add(line, MetricDef(name, name.replace("_", " ").capitalize(), "rating"), when, number, ref)
    note = cells.get("note", "").strip()
    if note:
        parsed.add_note(line, when, note, ref)


def parse_long_csv(
    data: bytes,
    mapping: Mapping[str, str] | None = None,
    *,
    date_format: str | None = None,
    tick: Tick | None = None,
) -> Parsed:
    """A long CSV or a one-row-per-day sheet (chosen by its header) as entries, in one batch."""
    batches = list(iter_long_csv(data, mapping, date_format=date_format, tick=tick))
    whole = batches[0]
    for batch in batches[1:]:
        whole.rows += batch.rows
        whole.entries += batch.entries
        whole.notes += batch.notes
        whole.problems += batch.problems
    return whole


def iter_long_csv(
    data: bytes,
    mapping: Mapping[str, str] | None = None,
    *,
    date_format: str | None = None,
    tick: Tick | None = None,
    batch_lines: int = BATCH_LINES,
) -> Iterator[Parsed]:
    """A long CSV or a one-row-per-day sheet as batches of up to ``batch_lines`` lines each.

    There is always a first batch (with the header's problem, when it has one); every batch
    shares the format, rule and metrics of the file.
    """
    parsed = Parsed("csv")
    parsed.rule = {"mapping": dict(mapping or {}), "date_format": date_format or "YYYY-MM-DD"}
    lines = text_lines(data, parsed)
    if lines is None:
        yield parsed
        return
    blocks = csv_blocks(lines, parsed, tick, batch_lines)
    first_block = next((block for block in blocks if block), [])  # blank lines may come before the header
    first = first_block[0] if first_block else None
    rows = chain([first_block[1:]], blocks)
    columns = _columns(first[1], mapping or {}) if first else {}
    long = {"metric", "value"} <= columns.keys()
    parsed.rule["layout"] = "long" if long else "wide"
    if "date" not in columns or (not long and len(columns.keys() - {"date", "time", "note"}) == 0):
        parsed.problem(
            1, "csv-header",
            "The first line needs a date column, and metric and value columns or one column per metric.",
            "Use the headings of `goalwise export csv`, the sheet template (date, mood, ...) or --map.",
        )  # fmt: skip
        yield parsed
        return
    if long:
        yield from _long_batches(_LongReader(parsed, columns, date_format), rows, batch_lines)
    else:
        yield from _wide_batches(parsed, columns, rows, date_format, batch_lines)


def _long_batches(
    reader: _LongReader, blocks: Iterable[list[tuple[int, list[str]]]], batch_lines: int
) -> Iterator[Parsed]:
    """The long file's batches of ``batch_lines`` lines, each read at once (:meth:`_LongReader.rows`)."""
    parsed = reader.parsed
    waiting: list[tuple[int, list[str]]] = []
    # A problem met while reading the blocks (a malformed record) is after the last record read:
    # it goes to the last batch, after the lines' own problems, as when lines are read one by one.
    late: list[Problem] = []
    for block in blocks:
        late += parsed.problems
        parsed.problems.clear()
        waiting += block
        while len(waiting) >= batch_lines:
            chunk, waiting = waiting[:batch_lines], waiting[batch_lines:]
            parsed.rows += len(chunk)
            reader.rows(chunk)
            yield parsed.take()
    late += parsed.problems
    parsed.problems.clear()
    parsed.rows += len(waiting)
    reader.rows(waiting)
    parsed.problems += late
    yield parsed.take()


def _wide_batches(
    parsed: Parsed,
    columns: dict[str, int],
    blocks: Iterable[list[tuple[int, list[str]]]],
    date_format: str | None,
    batch_lines: int,
) -> Iterator[Parsed]:
    """The one-row-per-day sheet's batches, read line by line."""
    special = ("date", "time", "note")
    wide = {metric_key(name) if name not in special else name: i for name, i in columns.items()}
    for line, row in chain.from_iterable(blocks):
        parsed.rows += 1
        cells = {name: row[i] if i < len(row) else "" for name, i in wide.items()}
        _wide_row(parsed, line, cells, date_format)
        if parsed.rows >= batch_lines:
            yield parsed.take()
    # The last batch also carries a problem found after the last line (an unclosed quote).
    yield parsed.take()
