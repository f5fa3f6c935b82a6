"""Daylio's CSV export (every header era) and its ``.daylio`` backup.

Daylio stores a mood *label* (renamable by the user), not a number. Labels map to Daylio's five
levels (defaults rad 5, good 4, meh 3, bad 2, awful 1; others with ``--mood-map LABEL=LEVEL``),
and a level becomes Goalwise's 1-10 mood by the rule in :data:`MOOD_RULE`, stored with the import.
Activities become checklist metrics (``activity_<name>`` = 1 on that entry), scales
(``Sleep Quality: 8/10 points``) become metrics of their own, and the note (title and text, HTML
made plain) goes to the client's journal. Formats: /work/shared/FORMATS.md §1-2.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from goalwise.core.transfer.import_batch import MetricDef, Parsed, slug
from goalwise.interop.imports.fields import (
    header_index,
    html_to_text,
    parse_duration,
    parse_iso_day,
    parse_number,
    parse_time,
)
from goalwise.interop.imports.reader import ZIP_ERRORS, Tick, csv_rows, decode_text, zip_member

__all__ = [
    "DEFAULT_MOODS",
    "MOOD_RULE",
    "mood_value",
    "parse_daylio",
    "parse_daylio_backup",
    "parse_mood_map",
]

DEFAULT_MOODS: Mapping[str, int] = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}

#: Daylio's level 1-5 on Goalwise's 1-10 mood scale: a straight line through both ends.
MOOD_RULE = "mood = 1 + (level - 1) * 9 / 4  (1 -> 1, 2 -> 3.25, 3 -> 5.5, 4 -> 7.75, 5 -> 10)"

MOOD = MetricDef("mood", "Mood", "rating", None, 1, 10, True)
_MONTH_FORMATS = ("%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y")


def mood_value(level: int) -> float:
    """Goalwise's 1-10 mood for Daylio's level 1-5 (:data:`MOOD_RULE`)."""
    return 1 + (level - 1) * 9 / 4


def _label(text: str) -> str:
    return " ".join(text.split()).lower()


def parse_mood_map(pairs: list[str]) -> tuple[dict[str, int], list[str]]:
    """``LABEL=LEVEL`` options as a map (labels compared without case or stray spaces), and errors."""
    found: dict[str, int] = {}
    errors = []
    for pair in pairs:
        label, sep, level = pair.rpartition("=")
        if not sep or not label.strip() or level.strip() not in ("1", "2", "3", "4", "5"):
            errors.append(f"--mood-map {pair[:40]!r}: use LABEL=LEVEL with a level from 1 (awful) to 5 (rad)")
            continue
        found[_label(label)] = int(level)
    return found, errors


def _day(cells: dict[str, str]) -> date | None:
    if "full_date" in cells:
        return parse_iso_day(cells["full_date"])
    year, shown = cells.get("year", "").strip(), " ".join(cells.get("date", "").split())
    for fmt in _MONTH_FORMATS:
        try:
            return datetime.strptime(f"{shown} {year}", fmt).date()
        except ValueError:
            continue
    return None


def _scale(parsed: Parsed, line: int, item: str, when: datetime, ref: str) -> None:
    name, sep, raw = item.partition(":")
    raw = raw.strip()
    if not sep or not name.strip():
        parsed.problem(line, "daylio-scale", "A scale is not 'Name: value'.", "Export the file again.")
        return
    key = slug(name.strip(), "scale")
    if (minutes := parse_duration(raw)) is not None:
        metric = MetricDef(key, name.strip()[:120], "duration", "minutes")
        parsed.add(line, metric, when, minutes, ref)
        return
    match = re.match(r"^([-+]?\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+))?", raw)
    if not match or (number := parse_number(match.group(1))) is None:
        parsed.problem(line, "daylio-scale", "A scale's value is not a number.", "Export the file again.")
        return
    top = float(match.group(2)) if match.group(2) else None
    metric = MetricDef(key, name.strip()[:120], "rating", None, 0 if top else None, top)
    parsed.add(line, metric, when, number, ref)


def _row(
    parsed: Parsed, line: int, cells: dict[str, str], moods: Mapping[str, int], unknown: dict[str, list[int]]
) -> None:
    day, clock = _day(cells), parse_time(cells.get("time", ""))
    if day is None:
        parsed.problem(line, "daylio-date", "The date is not a date.", "Use full_date as YYYY-MM-DD.")
    if clock is None:
        parsed.problem(line, "daylio-time", "The time is not a time.", "Use e.g. 6:50 pm or 14:58.")
    label = _label(cells.get("mood", ""))
    level = moods.get(label)
    if level is None:
        unknown.setdefault(label, []).append(line)
    if day is None or clock is None or level is None:
        return
    when = datetime.combine(day, clock)
    ref = parsed.row_ref(*(cells.get(k, "") for k in sorted(cells)))
    parsed.add(line, MOOD, when, mood_value(level), ref)
    for name in _split(cells.get("activities", "")):
        parsed.add(line, MetricDef(slug(name, "activity"), name[:120], "checklist"), when, 1, ref)
    for item in _split(cells.get("scales", "")):
        _scale(parsed, line, item, when, ref)
    title, note = html_to_text(cells.get("note_title", "")), html_to_text(cells.get("note", ""))
    body = "\n\n".join(part for part in (title, note) if part)
    if body:
        parsed.add_note(line, when, body, ref)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(" | ") if part.strip()]


def _unknown_problems(parsed: Parsed, unknown: dict[str, list[int]]) -> None:
    for label, lines in unknown.items():
        shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
        name = label[:40] or "(empty)"
        parsed.problem(
            lines[0],
            "daylio-mood-unknown",
            f"The mood label '{name}' has no level (line{'s' if len(lines) > 1 else ''} {shown}).",
            f"Add --mood-map '{name}=LEVEL' with a level from 1 (awful) to 5 (rad).",
        )


def parse_daylio(data: bytes, mood_map: Mapping[str, int] | None = None, tick: Tick | None = None) -> Parsed:
    """A Daylio CSV export as entries; every bad line and every unmapped mood label is a problem."""
    parsed = Parsed("daylio")
    moods = {**DEFAULT_MOODS, **(mood_map or {})}
    parsed.rule = {"mood_rule": MOOD_RULE, "mood_map": dict(sorted(moods.items()))}
    text = decode_text(data, parsed)
    if text is None:
        return parsed
    rows = csv_rows(text, parsed, tick)
    first = next(rows, None)
    columns = header_index(first[1]) if first else {}
    if not ({"time", "mood"} <= columns.keys() and ("full_date" in columns or "year" in columns)):
        parsed.problem(
            1,
            "daylio-header",
            "The first line is not a Daylio header (full_date or year, date, time, mood, activities, note).",
            "Choose the file Daylio exported (More, Export entries, CSV).",
        )
        return parsed
    unknown: dict[str, list[int]] = {}
    for line, row in rows:
        parsed.rows += 1
        cells = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
        _row(parsed, line, cells, moods, unknown)
    _unknown_problems(parsed, unknown)
    return parsed


_BACKUP_ERRORS: tuple[type[BaseException], ...] = (*ZIP_ERRORS, binascii.Error, TypeError, RecursionError)


def _backup_json(data: bytes, parsed: Parsed) -> dict[str, Any] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = zip_member(archive, "backup.daylio")
        return dict(json.loads(base64.b64decode(b"".join(raw.split()), validate=True)))
    except _BACKUP_ERRORS:
        parsed.problem(
            0,
            "daylio-backup",
            "The file is not a Daylio backup (a zip holding backup.daylio).",
            "Choose the .daylio file from Daylio's Backup & Restore.",
        )
        return None


def parse_daylio_backup(data: bytes, tick: Tick | None = None) -> Parsed:
    """A ``.daylio`` backup: moods carry their level (``mood_group_id`` 1 = rad .. 5 = awful)."""
    parsed = Parsed("daylio-backup")
    parsed.rule = {"mood_rule": MOOD_RULE, "mood_level": "6 - mood_group_id"}
    backup = _backup_json(data, parsed)
    if backup is None:
        return parsed
    try:
        moods = {m["id"]: 6 - int(m["mood_group_id"]) for m in backup.get("customMoods", [])}
        tags = {t["id"]: str(t["name"]) for t in backup.get("tags", [])}
        entries = list(backup.get("dayEntries", []))
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        parsed.problem(0, "daylio-backup", "The backup's moods or activities are unreadable.", "")
        return parsed
    for number, entry in enumerate(entries, start=1):
        parsed.rows += 1
        if tick is not None:
            tick(number)
        _backup_entry(parsed, number, entry, moods, tags)
    return parsed


def _backup_entry(
    parsed: Parsed, number: int, entry: Any, moods: dict[Any, int], tags: dict[Any, str]
) -> None:
    try:
        when = datetime(
            int(entry["year"]), int(entry["month"]) + 1, int(entry["day"]),
            int(entry["hour"]), int(entry["minute"]),
        )  # fmt: skip
        level = moods[entry["mood"]]
        names = [tags[tag] for tag in entry.get("tags", [])]
        if not 1 <= level <= 5:
            raise ValueError
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        parsed.problem(number, "daylio-entry", f"Entry {number} of the backup is unreadable.", "")
        return
    ref = parsed.row_ref(entry.get("id"), when.isoformat(), entry.get("mood"))
    parsed.add(number, MOOD, when, mood_value(level), ref)
    for name in names:
        parsed.add(number, MetricDef(slug(name, "activity"), name[:120], "checklist"), when, 1, ref)
    title = html_to_text(str(entry.get("note_title") or ""))
    note = html_to_text(str(entry.get("note") or ""))
    body = "\n\n".join(part for part in (title, note) if part)
    if body:
        parsed.add_note(number, when, body, ref)
