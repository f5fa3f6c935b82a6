"""``goalwise import``, ``goalwise export csv``, ``goalwise backup`` and ``goalwise restore``."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from goalwise.cli.main import main

Capsys = pytest.CaptureFixture[str]
DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def _run(capsys: Capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def client_id(capsys: Capsys) -> str:
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, _ = _run(capsys, "client", "add", "Robin", "--timezone", "Europe/London", "--json")
    assert code == 0
    return str(json.loads(out)["id"])


def test_import_daylio_json_summary_then_nothing_new(capsys: Capsys, client_id: str) -> None:
    file = str(DATA / "daylio_2026_scales.csv")
    code, out, err = _run(capsys, "import", "daylio", file, "--client", client_id, "--json")
    assert code == 1 and out == ""
    assert "line 2: The mood label 'rested' has no level" in err
    args = (
        "import",
        "daylio",
        file,
        "--client",
        client_id,
        "--mood-map",
        "rested=4",
        "--mood-map",
        "vaguely bad=2",
    )
    code, out, err = _run(capsys, *args, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["imported"], summary["skipped"], summary["values"], summary["notes"]) == (8, 0, 6, 2)
    code, out, err = _run(capsys, *args)
    assert code == 0 and "Nothing new: all 8 entries of this file are already stored." in err


def test_dry_run_prints_the_rows_and_stores_nothing(capsys: Capsys, client_id: str) -> None:
    file = str(DATA / "sheet.csv")
    code, out, err = _run(
        capsys,
        "import",
        "csv",
        file,
        "--client",
        client_id,
        "--map",
        "Day=date",
        "--map",
        "Sleep (h)=sleep_hours",
        "--dry-run",
    )
    assert code == 0, err
    assert "Would store" in out and "sleep_hours" in out
    assert "Would import 5 values and 1 notes from 3 rows" in err
    code, out, _ = _run(capsys, "export", "csv", "--client", client_id, "-o", "-")
    assert out.strip() == "client,metric,local_date,time,value,unit,note,denominator,kind"


def test_skip_bad_lists_the_bad_lines(capsys: Capsys, client_id: str) -> None:
    file = str(DATA / "sheet_malformed.csv")
    code, out, err = _run(capsys, "import", "csv", file, "--client", client_id, "--skip-bad", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["rejected_lines"] == [2, 3] and summary["imported"] == 1


def test_a_long_file_imports_with_its_progress_bar(capsys: Capsys, client_id: str, tmp_path: Path) -> None:
    # 2,500 lines: past the 2,000 that show a progress bar, in one batch of values.
    lines = [
        f"2024-01-01,{minute // 60:02d}:{minute % 60:02d},mood,{1 + minute % 10}" for minute in range(1440)
    ]
    lines += [f"2024-01-02,{minute // 60:02d}:{minute % 60:02d},mood,5" for minute in range(1060)]
    file = tmp_path / "long.csv"
    file.write_text("date,time,metric,value\n" + "\n".join(lines) + "\n")
    code, out, err = _run(capsys, "import", "csv", str(file), "--client", client_id, "--json")
    assert code == 0, err
    assert (json.loads(out)["values"], json.loads(out)["rows"]) == (2500, 2500)  # 1,440 + 1,060
    assert gc.isenabled()  # paused during the import only


def test_loop_folder_emoods_and_bearable(capsys: Capsys, client_id: str) -> None:
    for fmt, name, values in (
        ("loop", "loop", 4),
        ("emoods", "emoods_entry.csv", 9),
        ("bearable", "bearable_2020.csv", 5),
    ):
        code, out, err = _run(capsys, "import", fmt, str(DATA / name), "--client", client_id, "--json")
        assert code == 0, err
        assert json.loads(out)["values"] == values


def test_bad_mood_map_is_a_usage_error(capsys: Capsys, client_id: str) -> None:
    code, _, err = _run(
        capsys,
        "import",
        "daylio",
        str(DATA / "daylio_2020.csv"),
        "--client",
        client_id,
        "--mood-map",
        "sad=9",
    )
    assert code == 2 and "LABEL=LEVEL" in err


def test_export_import_backup_and_restore(
    capsys: Capsys, client_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(capsys, "import", "daylio", str(DATA / "daylio_2020.csv"), "--client", client_id)[0] == 0
    out_file = tmp_path / "values.csv"
    code, _, err = _run(capsys, "export", "csv", "--client", client_id, "-o", str(out_file), "--bom")
    assert code == 0 and "Wrote 7 values" in err
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbfclient,metric")
    backup = tmp_path / "goalwise.backup"
    code, _, err = _run(capsys, "backup", str(backup))
    assert code == 0 and "Backed up" in err
    code, _, err = _run(capsys, "restore", str(backup))
    assert code == 1 and "already holds data" in err
    # A new, empty installation with the same key file takes the backup.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "secret.key").write_bytes((tmp_path / "data" / "secret.key").read_bytes())
    monkeypatch.setenv("GOALWISE_DATA_DIR", str(fresh))
    from goalwise.config import get_settings

    get_settings.cache_clear()
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, err = _run(capsys, "restore", str(backup), "--json")
    assert code == 0, err
    assert json.loads(out)["observations"] == 7
    code, out, _ = _run(capsys, "export", "csv", "--client", client_id, "-o", "-")
    assert out == out_file.read_bytes().decode("utf-8-sig")
