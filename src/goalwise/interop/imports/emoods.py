"""eMoods' ``entry.csv`` (inside the ``.emoods`` backup): one row per day.

Mood columns hold 0-4 where 0 means not recorded and 1-4 mean none, mild, moderate, severe; they
are stored as severities 0-3 (higher is worse). ``SLEEP`` is hours (0 = not recorded), ``WEIGHT``
0.0 means absent. ``THERAPY``, ``PSYCHOTIC SYMPTOMS`` and ``MENSTRUAL CYCLE`` are checklists: 1 is
stored, 0 is not (eMoods writes 0 both for "no" and for "not entered").
A day has no time, so its values are stored at 12:00 local time. ``NOTE`` goes to the journal.
Columns not listed here are ignored. Format: /work/shared/FORMATS.md §4.
"""

from __future__ import annotations

from datetime import datetime, time

from goalwise.core.transfer.import_batch import MetricDef, Parsed
from goalwise.interop.imports.fields import header_index, parse_iso_day, parse_number
from goalwise.interop.imports.reader import Tick, csv_rows, decode_text

__all__ = ["DAY_TIME", "parse_emoods"]

#: The local time given to values of a day recorded without a time.
DAY_TIME = time(12, 0)

_SEVERITY = {
    "irritability": "Irritability",
    "anxiety": "Anxiety (eMoods)",
    "depressed": "Depressed mood",
    "elevated": "Elevated mood",
}
_FLAGS = {
    "therapy": "Therapy",
    "psychotic symptoms": "Psychotic symptoms",
    "menstrual cycle": "Menstrual cycle",
}
SLEEP = MetricDef("sleep_hours", "Sleep", "duration", "hours", 0, 24, True)
WEIGHT = MetricDef("emoods_weight", "Weight", "rating")


def _metrics() -> dict[str, MetricDef]:
    found = {
        name: MetricDef(f"emoods_{name}", label, "rating", None, 0, 3, False)
        for name, label in _SEVERITY.items()
    }
    found.update(
        {
            name: MetricDef("emoods_" + name.replace(" ", "_"), label, "checklist")
            for name, label in _FLAGS.items()
        }
    )
    return found


def _cell(parsed: Parsed, line: int, name: str, raw: str) -> float | None:
    if not raw.strip():
        return None
    number = parse_number(raw)
    if number is None:
        parsed.problem(line, "emoods-number", f"{name.upper()} is not a number.", "Export the backup again.")
    return number


def _row(parsed: Parsed, line: int, cells: dict[str, str], metrics: dict[str, MetricDef]) -> None:
    day = parse_iso_day(cells.get("date", ""))
    if day is None:
        parsed.problem(line, "emoods-date", "DATE is not a date.", "Use YYYY-MM-DD.")
        return
    when = datetime.combine(day, DAY_TIME)
    ref = parsed.row_ref(*(cells[k] for k in sorted(cells) if k != "id"))
    for name, metric in metrics.items():
        value = _cell(parsed, line, name, cells.get(name, ""))
        if value is None or value == 0:
            continue
        if name in _SEVERITY:
            if value not in (1, 2, 3, 4):
                parsed.problem(
                    line, "emoods-scale", f"{name.upper()} is not 0-4.", "Export the backup again."
                )
                continue
            value -= 1
        parsed.add(line, metric, when, value, ref)
    for name, metric in (("sleep", SLEEP), ("weight", WEIGHT)):
        value = _cell(parsed, line, name, cells.get(name, ""))
        if value:
            parsed.add(line, metric, when, value, ref)
    note = cells.get("note", "").strip()
    if note:
        parsed.add_note(line, when, note, ref)


def parse_emoods(data: bytes, tick: Tick | None = None) -> Parsed:
    """eMoods ``entry.csv`` as entries; every bad line is a problem."""
    parsed = Parsed("emoods")
    parsed.rule = {"severity": "stored = column - 1 (1 none .. 4 severe -> 0..3); 0 = not recorded"}
    text = decode_text(data, parsed)
    if text is None:
        return parsed
    rows = csv_rows(text, parsed, tick)
    first = next(rows, None)
    columns = header_index(first[1]) if first else {}
    if "date" not in columns or not ({"depressed", "elevated", "sleep"} & columns.keys()):
        parsed.problem(
            1, "emoods-header", "The first line is not an eMoods entry.csv header (DATE, DEPRESSED, ...).",
            "Rename the .emoods backup to .zip and choose entry.csv inside it.",
        )  # fmt: skip
        return parsed
    metrics = {name: metric for name, metric in _metrics().items() if name in columns}
    for line, row in rows:
        parsed.rows += 1
        _row(parsed, line, {n: row[i] if i < len(row) else "" for n, i in columns.items()}, metrics)
    return parsed
