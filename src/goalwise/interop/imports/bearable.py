"""Bearable's CSV export: one row per rating, symptom, factor or dose.

Both eras are read: 7 columns (``date`` like ``22nd Sep 2020``) and 8 columns (an ISO date in the
second column). Time of day is a clock time or a block, stored at a fixed local time
(:data:`BLOCK_TIMES`). Categories: ``Mood`` -> the 1-10 mood; ``Energy`` -> energy 1-10;
``Sleep`` -> hours of sleep; ``Symptom`` -> a severity metric per symptom; ``Meds/Supplements``
-> an amount per medicine; any other category with a number -> a metric per category, without
a number -> one checklist metric per listed item. Notes go to the journal. Format: FORMATS.md §3.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from goalwise.core.transfer.import_batch import MetricDef, Parsed, slug
from goalwise.interop.imports.fields import (
    header_index,
    parse_duration,
    parse_iso_day,
    parse_number,
    parse_time,
)
from goalwise.interop.imports.reader import Tick, csv_rows, decode_text

__all__ = ["BLOCK_TIMES", "parse_bearable"]

#: Bearable's time-of-day blocks, stored at these local times.
BLOCK_TIMES = {
    "pre": time(5, 0),
    "am": time(9, 0),
    "mid": time(13, 0),
    "pm": time(19, 0),
    "all day": time(12, 0),
}

MOOD = MetricDef("mood", "Mood", "rating", None, 1, 10, True)
ENERGY = MetricDef("energy", "Energy", "rating", None, 1, 10, True)
SLEEP = MetricDef("sleep_hours", "Sleep", "duration", "hours", 0, 24, True)
_SCALED = {"mood": MOOD, "energy": ENERGY}


def _day(cells: dict[str, str]) -> date | None:
    iso = parse_iso_day(cells.get("formatted", ""))
    if iso is not None:
        return iso
    shown = re.sub(r"^(\d{1,2})(st|nd|rd|th)\b", r"\1", cells.get("date", "").strip(), flags=re.IGNORECASE)
    for fmt in ("%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(shown, fmt).date()
        except ValueError:
            continue
    return None


def _item_metric(category: str, detail: str) -> tuple[MetricDef, str]:
    name = re.sub(r"\s*\((mild|moderate|severe|unbearable|[^)]*)\)\s*$", "", detail, flags=re.IGNORECASE)
    unit = re.search(r"\(([^)]*)\)\s*$", detail)
    if category == "symptom":
        return MetricDef(slug(name, "symptom"), name[:120], "rating", None, 0, 4, False), name
    if category.startswith("meds"):
        return MetricDef(slug(name, "med"), name[:120], "rating", unit.group(1)[:40] if unit else None), name
    return MetricDef(slug(category, "bearable"), category.title()[:120], "rating"), name


def _row(parsed: Parsed, line: int, cells: dict[str, str]) -> None:
    day = _day(cells)
    block = cells.get("time of day", "").strip().lower()
    clock = BLOCK_TIMES.get(block) or parse_time(block)
    if day is None:
        parsed.problem(line, "bearable-date", "The date is not a date.", "Use e.g. 22nd Sep 2020.")
    if clock is None:
        parsed.problem(
            line, "bearable-time", "The time of day is not a time.", "Use pre, am, mid, pm or 3:04."
        )
    if day is None or clock is None:
        return
    when = datetime.combine(day, clock)
    ref = parsed.row_ref(*(cells.get(k, "") for k in sorted(cells)))
    category = " ".join(cells.get("category", "").split()).lower()
    raw, detail = cells.get("rating/amount", "").strip(), cells.get("detail", "").strip()
    if raw:
        _number_row(parsed, line, category, raw, detail, when, ref)
    elif category != "sleep":
        for item in (part.strip() for part in detail.split(" | ")):
            if item:
                parsed.add(line, MetricDef(slug(item, "factor"), item[:120], "checklist"), when, 1, ref)
    note = cells.get("notes", "").strip()
    if note:
        parsed.add_note(line, when, note, ref)


def _number_row(
    parsed: Parsed, line: int, category: str, raw: str, detail: str, when: datetime, ref: str
) -> None:
    number = parse_number(raw)
    if category == "sleep":
        minutes = parse_duration(raw)
        number = minutes / 60 if minutes is not None else number
    if number is None:
        parsed.problem(line, "bearable-number", "rating/amount is not a number.", "Export the file again.")
        return
    if category in _SCALED:
        parsed.add(line, _SCALED[category], when, number, ref)
    elif category == "sleep":
        parsed.add(line, SLEEP, when, number, ref)
    else:
        parsed.add(line, _item_metric(category, detail)[0], when, number, ref)


def parse_bearable(data: bytes, tick: Tick | None = None) -> Parsed:
    """A Bearable CSV export (7 or 8 columns) as entries; every bad line is a problem."""
    parsed = Parsed("bearable")
    parsed.rule = {"time_of_day": {k: v.isoformat("minutes") for k, v in BLOCK_TIMES.items()}}
    text = decode_text(data, parsed)
    if text is None:
        return parsed
    rows = csv_rows(text, parsed, tick)
    first = next(rows, None)
    columns = header_index(first[1]) if first else {}
    if not {"date", "category", "rating/amount", "detail"} <= columns.keys():
        parsed.problem(
            1, "bearable-header",
            "The first line is not a Bearable header (date, time of day, category, rating/amount, ...).",
            "Choose the CSV file Bearable exported.",
        )  # fmt: skip
        return parsed
    if first is not None and len(first[1]) >= 8:
        # The 8-column era puts an ISO date in the second column, whatever its header says.
        columns["formatted"] = 1
    for line, row in rows:
        parsed.rows += 1
        _row(parsed, line, {n: row[i] if i < len(row) else "" for n, i in columns.items()})
    return parsed
