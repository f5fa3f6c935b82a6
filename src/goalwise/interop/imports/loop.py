"""Loop Habit Tracker's CSV export: ``Habits.csv`` with the wide ``Checkmarks.csv`` beside it.

``Habits.csv`` names each habit and its type (yes/no or numerical, with a unit); ``Checkmarks.csv``
has ``Date`` and one column per habit. A yes/no habit becomes a checklist metric
(``habit_<name>``): ``2`` (or ``YES_MANUAL``) is done = 1, ``0`` (``NO``) is not done = 0; automatic
ticks (``1``, ``YES_AUTO``), skips (``3``, ``SKIP``) and unknown days (``-1``, blank) are not
stored, because the person did not record them. A numerical habit stores its number, with the
habit's unit. Values are stored at 12:00 local time. Either the export's zip or the two files
may be given. Format: FORMATS.md §5 (iSoron/uhabits ``HabitsCSVExporter``).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time

from goalwise.core.transfer.import_batch import MetricDef, Parsed, slug
from goalwise.interop.imports.fields import header_index, parse_iso_day, parse_number
from goalwise.interop.imports.reader import ZIP_ERRORS, Tick, csv_rows, decode_text, zip_member

__all__ = ["parse_loop", "parse_loop_zip"]

_DONE = {"2": 1.0, "yes_manual": 1.0, "0": 0.0, "no": 0.0}
_NOT_RECORDED = {"", "1", "yes_auto", "3", "skip", "-1", "unknown"}
_DAY = time(12, 0)


def _habits(data: bytes, parsed: Parsed) -> dict[str, MetricDef]:
    text = decode_text(data, parsed)
    if text is None:
        return {}
    rows = csv_rows(text, parsed)
    first = next(rows, None)
    columns = header_index(first[1]) if first else {}
    if "name" not in columns:
        parsed.problem(0, "loop-header", "Habits.csv has no Name column.", "Choose Loop's Habits.csv.")
        return {}
    found = {}
    for _line, row in rows:
        cells = {n: row[i].strip() if i < len(row) else "" for n, i in columns.items()}
        name = cells["name"]
        numerical = cells.get("type", "").lower() in ("1", "numerical", "numeric")
        unit = cells.get("unit") or None
        kind = "rating" if numerical else "checklist"
        found[name] = MetricDef(slug(name, "habit"), name[:120], kind, unit[:40] if unit else None)
    return found


def _cell(parsed: Parsed, line: int, metric: MetricDef, raw: str) -> float | None:
    value = raw.strip().lower()
    if metric.kind == "checklist":
        if value in _DONE:
            return _DONE[value]
        if value not in _NOT_RECORDED:
            parsed.problem(line, "loop-value", "A yes/no habit's value is not 2, 0, 1, 3 or -1.", "")
        return None
    if value in ("", "-1", "unknown", "skip"):
        return None
    number = parse_number(value)
    if number is None:
        parsed.problem(line, "loop-value", "A numerical habit's value is not a number.", "")
    return number


def parse_loop(habits: bytes, checkmarks: bytes, tick: Tick | None = None) -> Parsed:
    """Loop's ``Habits.csv`` and wide ``Checkmarks.csv`` as entries; every bad line is a problem."""
    parsed = Parsed("loop")
    parsed.rule = {
        "yes_no": "2 = done (1), 0 = not done (0); automatic ticks, skips and unknown days are not stored"
    }
    metrics = _habits(habits, parsed)
    text = decode_text(checkmarks, parsed)
    if text is None or not metrics:
        return parsed
    rows = csv_rows(text, parsed, tick)
    first = next(rows, None)
    header = [cell.strip() for cell in first[1]] if first else []
    if not header or header[0].lower() != "date":
        parsed.problem(1, "loop-header", "Checkmarks.csv does not start with a Date column.", "")
        return parsed
    unknown = [name for name in header[1:] if name and name not in metrics]
    if unknown:
        parsed.problem(
            1, "loop-habit", f"{len(unknown)} column(s) of Checkmarks.csv are not in Habits.csv.", ""
        )
    for line, row in rows:
        parsed.rows += 1
        day = parse_iso_day(row[0])
        if day is None:
            parsed.problem(line, "loop-date", "Date is not a date.", "Use YYYY-MM-DD.")
            continue
        ref = parsed.row_ref(*row)
        for position, name in enumerate(header[1:], start=1):
            metric = metrics.get(name)
            if metric is None or position >= len(row):
                continue
            value = _cell(parsed, line, metric, row[position])
            if value is not None:
                parsed.add(line, metric, datetime.combine(day, _DAY), value, ref)
    return parsed


def parse_loop_zip(data: bytes, tick: Tick | None = None) -> Parsed:
    """Loop's export zip: the top-level ``Habits.csv`` and ``Checkmarks.csv``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {
                name.rsplit("/", 1)[-1].lower(): name for name in archive.namelist() if name.count("/") <= 1
            }
            habits = zip_member(archive, names["habits.csv"])
            top = [
                n for n in archive.namelist() if n.lower().endswith("checkmarks.csv") and n.count("/") <= 1
            ]
            checkmarks = zip_member(archive, min(top, key=lambda n: n.count("/")))
    except ZIP_ERRORS:
        parsed = Parsed("loop")
        parsed.problem(
            0, "loop-zip", "The file is not Loop's CSV export (a zip with Habits.csv and Checkmarks.csv).",
            "Export from Loop: Settings, Export as CSV.",
        )  # fmt: skip
        return parsed
    return parse_loop(habits, checkmarks, tick)
