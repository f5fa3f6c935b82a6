"""The command line follows the same rules as the web, and says what it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.main import get_command

from goalwise.cli.main import app, main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _command_paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        paths += _command_paths(sub, (*path, name))
    return paths


def test_no_help_page_shows_a_type_for_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    paths = _command_paths(get_command(app))
    assert ("goal", "check") in paths and len(paths) > 40
    shown = {}
    for path in paths:
        code, out, _ = _run(capsys, *path, "--help")
        assert code == 0, path
        shown[" ".join(path)] = out
    assert [name for name, out in shown.items() if "<bool>" in out] == []
    # Options that take a value still say what kind.
    assert "<int>" in shown["chart"] or "<text>" in shown["chart"] or "<str>" in shown["chart"]


def test_goal_check_and_suggest_take_the_text_in_both_shapes(capsys: pytest.CaptureFixture[str]) -> None:
    text = "I want fewer panic attacks"
    for command in ("check", "suggest"):
        code, positional, err = _run(capsys, "goal", command, text, "--json")
        assert code == 0, err
        code, option, err = _run(capsys, "goal", command, "--text", text, "--json")
        assert code == 0, err
        assert json.loads(positional) == json.loads(option) and json.loads(positional)
    code, _, err = _run(capsys, "goal", "suggest")
    assert code == 2 and "TEXT" in err
    code, _, err = _run(capsys, "goal", "check", "one goal", "--text", "another goal")
    assert code == 2 and "once" in err


@pytest.fixture
def client_id(capsys: pytest.CaptureFixture[str]) -> str:
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, _ = _run(capsys, "client", "add", "Robin", "--timezone", "Europe/London", "--json")
    assert code == 0
    return str(json.loads(out)["id"])


def test_chart_of_an_unknown_metric_names_the_command_that_lists_metrics(
    capsys: pytest.CaptureFixture[str], client_id: str
) -> None:
    code, out, err = _run(capsys, "chart", client_id, "nonsense")
    assert code == 1 and out == ""
    line = " ".join(err.split())
    assert f"goalwise metrics --client {client_id}" in line and "/api/" not in line
    assert "mood, anxiety, sleep_hours" in line
    code, out, err = _run(capsys, "metrics", "--client", client_id, "--json")
    assert code == 0, err
    assert [m["key"] for m in json.loads(out)] == ["mood", "anxiety", "sleep_hours"]
    assert json.loads(out)[0] == {
        "key": "mood",
        "label": "Mood",
        "kind": "rating",
        "unit": None,
        "scale_min": 1,
        "scale_max": 10,
        "in_checkin": True,
    }


def test_demo_on_a_database_with_data_refuses_before_drawing_progress(
    capsys: pytest.CaptureFixture[str], client_id: str
) -> None:
    code, out, err = _run(capsys, "demo", "--clients", "2", "--days", "30")
    assert code == 1 and out == ""
    assert "Loading demo clients" not in err
    assert " ".join(err.split()) == (
        "error: the database already has data; the demo loads only into an empty database"
    )


def test_abc_add_prints_what_was_stored(capsys: pytest.CaptureFixture[str], client_id: str) -> None:
    args = (
        "abc",
        "add",
        "--client",
        client_id,
        "-a",
        "asked to [tidy]",
        "-b",
        "shouting",
        "-c",
        "alone",
    )
    code, out, err = _run(
        capsys, *args, "--setting", "kitchen", "--intensity", "6", "--at", "2026-01-05T18:00"
    )
    assert code == 0, err
    line = out.strip()
    for shown in ("2026-01-05", "asked to [tidy] -> shouting -> alone", "setting: kitchen", "intensity 6"):
        assert shown in line
    assert len(out.splitlines()) == 1 and f"ABC entry {line.split()[0]}." in err
    code, out, _ = _run(capsys, *args, "--at", "2026-01-06T18:00", "--json")
    stored = json.loads(out)
    assert {k: stored[k] for k in ("local_on", "antecedent", "behaviour", "consequence", "setting")} == {
        "local_on": "2026-01-06",
        "antecedent": "asked to [tidy]",
        "behaviour": "shouting",
        "consequence": "alone",
        "setting": None,
    }


def test_needs_record_reports_every_problem_once_each(
    capsys: pytest.CaptureFixture[str], client_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "needs.json"
    bad = {"concerns": [{"area": "other", "impact": "loud", "priority": "x"}], "needs": {"safty": 9}}
    path.write_text(json.dumps(bad), encoding="utf-8")
    code, out, err = _run(capsys, "needs", "record", "--client", client_id, "--file", str(path))
    assert code == 1 and out == ""
    lines = [" ".join(line.split()) for line in err.strip().split("error: ")[1:]]
    assert [line.split(":")[0] for line in lines] == [
        "concerns[0].impact",
        "concerns[0].priority",
        "concerns[0].label",
        "needs.safty",
        "needs.safty",
    ]
    for line in lines:
        field = line.split(":")[0]
        assert line.count(field) == 1, line
