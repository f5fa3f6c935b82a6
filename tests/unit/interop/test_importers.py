"""The importers' pure parsing: every Daylio era, eMoods, Bearable, Loop and spreadsheets.

Sample files are synthetic, written for these tests (tests/data/imports/), following the
formats in /work/shared/FORMATS.md.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from goalwise.core.transfer.import_batch import Entry, Parsed
from goalwise.interop.imports.bearable import parse_bearable
from goalwise.interop.imports.daylio import mood_value, parse_daylio, parse_daylio_backup, parse_mood_map
from goalwise.interop.imports.emoods import parse_emoods
from goalwise.interop.imports.fields import html_to_text, parse_time
from goalwise.interop.imports.long_csv import iter_long_csv, parse_long_csv
from goalwise.interop.imports.loop import parse_loop_zip

DATA = Path(__file__).resolve().parents[2] / "data" / "imports"


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _values(parsed: Parsed) -> list[tuple[int, str, str, float]]:
    return [(e.line, e.metric, e.local.isoformat(sep=" "), e.value) for e in parsed.entries]


def _fields(parsed: Parsed) -> list[str]:
    return [p.field for p in parsed.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6:50 pm", (18, 50)),
        ("10:04 AM", (10, 4)),
        ("12:00 AM", (0, 0)),
        ("12:30 pm", (12, 30)),
        ("14:58", (14, 58)),
        ("08:50", (8, 50)),
        ("0:44", (0, 44)),
    ],
)
def test_times_in_12_and_24_hour_forms(text: str, expected: tuple[int, int]) -> None:
    found = parse_time(text)
    assert found is not None and (found.hour, found.minute) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 pm", "noon", "", "6:5 pm", "0:00 am"])
def test_impossible_times_are_none(text: str) -> None:
    assert parse_time(text) is None


def test_mood_levels_map_onto_one_to_ten_by_the_stored_rule() -> None:
    # 1 + (level - 1) * 9 / 4, by hand: 1, 3.25, 5.5, 7.75, 10.
    assert [mood_value(level) for level in range(1, 6)] == [1, 3.25, 5.5, 7.75, 10]


def test_daylio_2018_era_reads_year_and_display_date() -> None:
    parsed = parse_daylio(_read("daylio_2018.csv"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (2, "mood", "2018-05-30 18:50:00", 10),
        (2, "activity_friends", "2018-05-30 18:50:00", 1),
        (2, "activity_gaming", "2018-05-30 18:50:00", 1),
        (3, "mood", "2018-05-25 14:58:00", 5.5),
        (3, "activity_work", "2018-05-25 14:58:00", 1),
    ]
    assert [(n.line, n.body) for n in parsed.notes] == [(2, "Awesome day")]


def test_daylio_2020_era_splits_activities() -> None:
    parsed = parse_daylio(_read("daylio_2020.csv"))
    assert parsed.problems == [] and parsed.rows == 2
    assert [e.metric for e in parsed.entries if e.line == 2] == [
        "mood",
        "activity_friends",
        "activity_gaming",
        "activity_programming",
        "activity_nap",
    ]


def test_daylio_2021_era_with_bom_stray_spaces_html_and_two_entries_a_day() -> None:
    parsed = parse_daylio(_read("daylio_2021_bom.csv"))
    assert parsed.problems == []
    moods = [(e.line, e.local, e.value) for e in parsed.entries if e.metric == "mood"]
    assert moods == [
        (2, datetime(2021, 9, 28, 22, 0), 3.25),
        (3, datetime(2021, 9, 28, 8, 50), 7.75),
        (4, datetime(2021, 3, 27, 20, 39), 1),
    ]
    assert {e.metric for e in parsed.entries if e.line == 2} >= {"activity_movies_tv", "activity_bad_sleep"}
    assert parsed.metrics["activity_movies_tv"].label == "movies / tv"
    assert [n.body for n in parsed.notes] == ["Morning\n\nSlept well.\nWalked the dog & read."]


def test_daylio_scales_become_metrics_and_custom_labels_need_a_map() -> None:
    data = _read("daylio_2026_scales.csv")
    refused = parse_daylio(data)
    assert [p.message for p in refused.problems] == [
        "The mood label 'rested' has no level (line 2).",
        "The mood label 'vaguely bad' has no level (line 3).",
    ]
    moods, errors = parse_mood_map(["rested=4", " Vaguely  Bad =2"])
    assert errors == []
    parsed = parse_daylio(data, moods)
    assert parsed.problems == []
    assert _values(parsed)[:4] == [
        (2, "mood", "2026-04-12 10:04:00", 7.75),
        (2, "scale_sleep_quality", "2026-04-12 10:04:00", 8),
        (2, "scale_sleep_time", "2026-04-12 10:04:00", 480),
        (2, "scale_awake_mid_sleep", "2026-04-12 10:04:00", 60),
    ]
    assert parsed.metrics["scale_sleep_quality"].scale_max == 10
    assert parsed.metrics["scale_sleep_time"].kind == "duration"
    assert parsed.notes[1].body == "Who knows.\n\nAm I [[virtual]]?alert(1)"
    assert parsed.rule["mood_map"]["rested"] == 4


def test_mood_map_refuses_a_level_outside_one_to_five() -> None:
    assert parse_mood_map(["sad=7"])[1] != []
    assert parse_mood_map(["sad"])[1] != []


def test_daylio_malformed_rows_each_name_their_line() -> None:
    parsed = parse_daylio(_read("daylio_malformed.csv"))
    assert sorted(_fields(parsed)) == ["line 3", "line 4", "line 5"]
    assert {p.code for p in parsed.problems} == {"daylio-date", "daylio-time", "daylio-mood-unknown"}
    assert parsed.bad_lines() == {3, 4, 5}


def test_daylio_rejects_a_file_that_is_not_daylio() -> None:
    parsed = parse_daylio(b"name,age\nx,1\n")
    assert [p.code for p in parsed.problems] == ["daylio-header"]


def test_daylio_backup_reads_levels_from_mood_groups() -> None:
    parsed = parse_daylio_backup(_read("backup.daylio"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (1, "mood", "2023-01-05 21:30:00", 10),
        (1, "activity_work", "2023-01-05 21:30:00", 1),
        (1, "activity_family", "2023-01-05 21:30:00", 1),
        (2, "mood", "2023-01-06 08:05:00", 3.25),
    ]
    assert [n.body for n in parsed.notes] == ["Great day"]


def test_daylio_backup_that_is_not_a_zip_is_one_problem() -> None:
    assert [p.code for p in parse_daylio_backup(b"PK\x03\x04junk").problems] == ["daylio-backup"]


def test_html_becomes_plain_text() -> None:
    assert html_to_text("a<br>b<p>c</p><img src=x onerror=alert(1)>&lt;i&gt;") == "a\nbc\n<i>"


def test_emoods_maps_severities_sleep_flags_and_notes() -> None:
    # 0 is "not recorded" in eMoods (a 0/1 flag cannot tell "no" from "not entered"): not stored.
    parsed = parse_emoods(_read("emoods_entry.csv"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (2, "emoods_irritability", "2024-01-01 12:00:00", 0),
        (2, "emoods_anxiety", "2024-01-01 12:00:00", 1),
        (2, "emoods_depressed", "2024-01-01 12:00:00", 2),
        (2, "emoods_therapy", "2024-01-01 12:00:00", 1),
        (2, "sleep_hours", "2024-01-01 12:00:00", 7.5),
        (3, "emoods_depressed", "2024-01-02 12:00:00", 3),
        (3, "emoods_elevated", "2024-01-02 12:00:00", 0),
        (3, "sleep_hours", "2024-01-02 12:00:00", 9.5),
        (3, "emoods_weight", "2024-01-02 12:00:00", 70.5),
    ]
    assert [n.body for n in parsed.notes] == ["Long walk"]


def test_emoods_malformed_lines() -> None:
    parsed = parse_emoods(_read("emoods_malformed.csv"))
    assert sorted(_fields(parsed)) == ["line 2", "line 3"]


def test_bearable_2020_rows() -> None:
    parsed = parse_bearable(_read("bearable_2020.csv"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (2, "mood", "2020-09-22 03:00:00", 6),
        (3, "symptom_stress", "2020-09-22 19:00:00", 1),
        (4, "med_hydroxyzine", "2020-09-22 03:04:00", 50),
        (5, "factor_quiet_day", "2020-09-22 12:00:00", 1),
        (5, "factor_little_social_contact", "2020-09-22 12:00:00", 1),
    ]
    assert parsed.metrics["med_hydroxyzine"].unit == "mg"
    assert [n.body for n in parsed.notes] == ["Felt calm"]


def test_bearable_2024_reads_the_iso_column_and_sleep_as_hours() -> None:
    parsed = parse_bearable(_read("bearable_2024.csv"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (2, "mood", "2024-03-01 09:00:00", 8),
        (3, "sleep_hours", "2024-03-01 12:00:00", 7.5),
        (4, "energy", "2024-03-01 13:00:00", 4),
    ]


def test_bearable_malformed_lines() -> None:
    parsed = parse_bearable(_read("bearable_malformed.csv"))
    assert sorted(_fields(parsed)) == ["line 2", "line 3"]


def test_loop_zip_stores_manual_ticks_and_numbers() -> None:
    parsed = parse_loop_zip(_read("loop_export.zip"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (2, "habit_meditate", "2024-02-03 12:00:00", 1),
        (2, "habit_push_ups", "2024-02-03 12:00:00", 25),
        (3, "habit_meditate", "2024-02-02 12:00:00", 0),
        (4, "habit_push_ups", "2024-02-01 12:00:00", 10.5),
    ]
    assert parsed.metrics["habit_push_ups"].unit == "reps"
    assert parsed.metrics["habit_meditate"].kind == "checklist"


def test_long_csv_reads_every_column() -> None:
    parsed = parse_long_csv(_read("long.csv"))
    assert parsed.problems == []
    assert _values(parsed) == [
        (2, "mood", "2024-05-01 08:00:00", 7),
        (3, "sleep_hours", "2024-05-01 07:30:00", 7.5),
        (4, "walks", "2024-05-02 12:00:00", 3),
    ]
    assert parsed.entries[0].note == "=SUM(A1)"
    assert parsed.metrics["walks"].kind == "count"


def test_sheet_template_with_a_column_mapping() -> None:
    parsed = parse_long_csv(_read("sheet.csv"), {"Day": "date", "Sleep (h)": "sleep_hours"})
    assert parsed.problems == [] and parsed.rule["layout"] == "wide"
    assert _values(parsed) == [
        (2, "mood", "2024-06-01 12:00:00", 7),
        (2, "anxiety", "2024-06-01 12:00:00", 3),
        (2, "sleep_hours", "2024-06-01 12:00:00", 7.5),
        (3, "mood", "2024-06-02 12:00:00", 6),
        (3, "sleep_hours", "2024-06-02 12:00:00", 8),
    ]
    assert [n.body for n in parsed.notes] == ["Good day"]


def test_sheet_with_a_day_month_year_date_format() -> None:
    parsed = parse_long_csv(b"date,mood\n01/06/2024,7\n", date_format="%d/%m/%Y")
    assert _values(parsed) == [(2, "mood", "2024-06-01 12:00:00", 7)]


def test_sheet_malformed_names_the_line() -> None:
    parsed = parse_long_csv(_read("sheet_malformed.csv"))
    # 11 is off the mood scale, but only the service knows the client's scale: the parser keeps it.
    assert _fields(parsed) == ["line 3"]


def test_identical_rows_get_distinct_refs_and_the_same_refs_on_a_second_read() -> None:
    data = b"date,mood\n2024-06-01,7\n2024-06-01,7\n"
    first, second = parse_long_csv(data), parse_long_csv(data)
    refs = [e.ref for e in first.entries]
    assert len(set(refs)) == 2
    assert refs == [e.ref for e in second.entries]
    assert all(len(ref) <= 64 for ref in refs)


def test_a_long_file_read_in_batches_gives_the_values_and_refs_of_one_read() -> None:
    # 7 lines; line 8 repeats line 2 and line 7 repeats line 3, in later batches of 2 lines each.
    data = (
        b"date,time,metric,value,note\n"
        b"2024-06-01,08:00,mood,7,\n2024-06-01,08:00,anxiety,3,calm\n2024-06-01,20:00,mood,6\n"
        b"2024-06-02,,mood,5,\n2024-06-02,09:15,sleep_hours,7.5,\n"
        b"2024-06-01,08:00,anxiety,3,calm\n2024-06-01,08:00,mood,7,\n"
    )
    batches = list(iter_long_csv(data, batch_lines=2))
    assert [b.rows for b in batches] == [2, 2, 2, 1]  # 7 lines, 2 a batch

    def rows(entries: list[Entry]) -> list[tuple[object, ...]]:
        return [(e.line, e.metric, e.local, e.value, e.note, e.ref) for e in entries]

    whole = parse_long_csv(data)
    assert rows([e for b in batches for e in b.entries]) == rows(whole.entries)
    assert len({e.ref for e in whole.entries}) == 7  # the repeated rows get their occurrence number
    assert [e.note for e in whole.entries if e.line in (3, 7)] == ["calm", "calm"]


def test_a_value_ref_is_the_hash_that_earlier_imports_stored() -> None:
    # The recipe of import_batch: the row hash of (format, metric, local ISO time, repr(value), note,
    # denominator), then "imp-" and the hash of (row hash | metric). A change here would make every
    # file imported before import its values a second time.
    parsed = parse_long_csv(b"date,metric,value\n2024-06-01,mood,7\n")
    row = hashlib.sha256("\x1f".join(["csv", "mood", "2024-06-01T12:00:00", "7.0", "", ""]).encode())
    value = hashlib.sha256(f"{row.hexdigest()[:32]}|mood".encode())
    assert [e.ref for e in parsed.entries] == ["imp-" + value.hexdigest()[:40]]


def test_a_line_shorter_than_the_header_reads_its_missing_cells_as_blank() -> None:
    parsed = parse_long_csv(b"date,metric,value,note,denominator\n2024-06-01,mood,7\n2024-06-02,mood,6,ok\n")
    assert parsed.problems == []
    assert [(e.line, e.note, e.denominator) for e in parsed.entries] == [(2, None, None), (3, "ok", None)]


def test_not_utf8_and_binary_files_are_one_problem_each() -> None:
    assert [p.code for p in parse_long_csv(b"date,mood\n\xff\xfe,1\n").problems] == ["import-encoding"]
    assert [p.code for p in parse_daylio(b"full_date\x00").problems] == ["import-binary"]


def test_an_unclosed_quote_names_its_line() -> None:
    parsed = parse_long_csv(b'date,mood,note\n2024-06-01,7,"ok"\n2024-06-02,6,"open\x0bquote"x\n')
    assert [(p.code, p.field) for p in parsed.problems] == [("import-csv", "line 3")]


def test_the_shipped_sheet_template_imports_as_documented() -> None:
    template = Path(__file__).resolve().parents[3] / "docs" / "templates" / "goalwise-daily-sheet.csv"
    parsed = parse_long_csv(template.read_bytes())
    assert parsed.problems == [] and parsed.rule["layout"] == "wide"
    assert [(e.metric, e.value) for e in parsed.entries[:3]] == [
        ("mood", 6),
        ("anxiety", 4),
        ("sleep_hours", 7.5),
    ]
