"""Spreadsheets: Goalwise's own long CSV, and the one-row-per-day sheet (the Google Sheets template).

*Long*: one row per value, the columns of ``goalwise export csv``: ``client, metric, local_date,
time, value, unit, note, denominator, kind`` (``client`` is ignored: the import names the client;
``date`` may stand for ``local_date``; ``time`` may be blank).
*Wide* (the sheet template): ``date`` and one column per metric (its key, e.g. ``mood``,
``anxiety``, ``sleep_hours``), optionally ``time`` and ``note``; a blank cell is no value.

``mapping`` renames the sheet's columns first (``{"Sleep (h)": "sleep_hours", "Day": "date"}``), so
a spreadsheet with its own headings imports without editing it. A metric the client lacks is
created (a rating without a fixed scale, unless the ``kind`` column says otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time
from functools import lru_cache

from goalwise.core.transfer.cells import restore_text
from goalwise.core.transfer.import_batch import MetricDef, Parsed
from goalwise.interop.imports.fields import parse_iso_day, parse_number, parse_time
from goalwise.interop.imports.reader import Tick, csv_rows, decode_text

__all__ = ["DAY_TIME", "KINDS", "metric_key", "parse_long_csv"]

DAY_TIME = time(12, 0)
KINDS = ("count", "duration", "rating", "proportion", "checklist", "instrument")
_LONG_ALIASES = {"local_date": "date", "local date": "date", "day": "date"}


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


def _long_row(parsed: Parsed, line: int, cells: dict[str, str], date_format: str | None) -> None:
    when = _when(parsed, line, cells, date_format)
    unit = restore_text(cells.get("unit", "").strip())
    metric = _metric(parsed, line, metric_key(cells.get("metric", "")), unit,
                     cells.get("kind", "").strip().lower())  # fmt: skip
    value = parse_number(cells.get("value", ""))
    if value is None:
        parsed.problem(line, "csv-value", "The value is not a number.", "Enter a number, e.g. 7 or 7.5.")
    raw_den = cells.get("denominator", "").strip()
    denominator = parse_number(raw_den) if raw_den else None
    if raw_den and denominator is None:
        parsed.problem(line, "csv-denominator", "The denominator is not a number.", "")
    if when is None or metric is None or value is None or (raw_den and denominator is None):
        return
    ref = parsed.row_ref(metric.key, when.isoformat(), repr(value), cells.get("note", ""), raw_den)
    note = restore_text(cells.get("note", "")) or None
    parsed.add(line, metric, when, value, ref, note=note, denominator=denominator)


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
    """A long CSV or a one-row-per-day sheet (chosen by its header) as entries."""
    parsed = Parsed("csv")
    parsed.rule = {"mapping": dict(mapping or {}), "date_format": date_format or "YYYY-MM-DD"}
    text = decode_text(data, parsed)
    if text is None:
        return parsed
    rows = csv_rows(text, parsed, tick)
    first = next(rows, None)
    columns = _columns(first[1], mapping or {}) if first else {}
    long = {"metric", "value"} <= columns.keys()
    parsed.rule["layout"] = "long" if long else "wide"
    if "date" not in columns or (not long and len(columns.keys() - {"date", "time", "note"}) == 0):
        parsed.problem(
            1, "csv-header",
            "The first line needs a date column, and metric and value columns or one column per metric.",
            "Use the headings of `goalwise export csv`, the sheet template (date, mood, ...) or --map.",
        )  # fmt: skip
        return parsed
    if not long:
        columns = {
            metric_key(name) if name not in ("date", "time", "note") else name: i
            for name, i in columns.items()
        }
    for line, row in rows:
        parsed.rows += 1
        cells = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
        (_long_row if long else _wide_row)(parsed, line, cells, date_format)
    return parsed
