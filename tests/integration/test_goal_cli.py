"""The goal, plan, needs and obstacle commands: JSON on stdout, one red line per problem, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_goal_service import panic

from goalwise.cli.main import main

Capsys = pytest.CaptureFixture[str]

# Issue 3's acceptance draft, starting today and due in 10 weeks: `goal check` has a today (the
# date in GOALWISE_TIMEZONE), so fixed dates would turn into a past deadline.
_TODAY = datetime.now(UTC).date()
PANIC_DATED = {
    **panic(),
    "start_on": _TODAY.isoformat(),
    "deadline_on": (_TODAY + timedelta(days=70)).isoformat(),
}


def run(capsys: Capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: Capsys, *args: str) -> Any:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def client_id(capsys: Capsys) -> str:
    assert run(capsys, "db", "upgrade")[0] == 0
    return str(run_json(capsys, "client", "add", "Robin", "--timezone", "Europe/London")["id"])


def test_check_text_feel_better_prints_s_m_and_t_problems_and_exits_0(capsys: Capsys) -> None:
    found = run_json(capsys, "goal", "check", "--text", "I want to feel better")
    problems = found["problems"]
    assert {p["code"][0] for p in problems if p["severity"] == "error"} >= {"S", "M", "T"}
    assert all(set(p) == {"code", "field", "severity", "message", "suggestion"} for p in problems)
    assert all(p["suggestion"] for p in problems)


def test_check_file_with_the_full_panic_draft_has_no_errors(capsys: Capsys, tmp_path: Path) -> None:
    found = run_json(capsys, "goal", "check", "--file", write(tmp_path, "draft.json", PANIC_DATED))
    assert [p for p in found["problems"] if p["severity"] == "error"] == []


def test_check_human_output_shows_the_smart_letter_and_the_suggestion(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "goal", "check", "--text", "I want to feel better")
    assert code == 0
    assert "S Specific" in out and "T Time-bound" in out and "feel" in out


def test_check_with_bad_values_still_exits_0_and_names_the_fields(capsys: Capsys, tmp_path: Path) -> None:
    bad = {**PANIC_DATED, "deadline_on": "2025-12-01", "metric": {"kind": "steps"}, "baseline": "five"}
    found = run_json(capsys, "goal", "check", "--file", write(tmp_path, "bad.json", bad))
    assert {"deadline_on", "metric.kind", "baseline"} <= {p["field"] for p in found["problems"]}


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "does not exist"), ('{"title": "Fewer panic attacks",', "is not valid JSON")],
)
def test_unreadable_input_is_one_red_line_naming_the_file_and_exit_1(
    capsys: Capsys, tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "draft.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "goal", "check", "--file", str(path), "--json")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "draft.json" in lines[0] and expected in lines[0]
    assert "Traceback" not in err


def test_check_file_reports_a_deadline_5_days_ago(capsys: Capsys, tmp_path: Path) -> None:
    # Default GOALWISE_TIMEZONE is UTC: today is the UTC date, the deadline 5 days before it.
    late = {**PANIC_DATED, "start_on": (_TODAY - timedelta(days=75)).isoformat()}
    late["deadline_on"] = (_TODAY - timedelta(days=5)).isoformat()
    found = run_json(capsys, "goal", "check", "--file", write(tmp_path, "late.json", late))
    (past,) = [p for p in found["problems"] if p["code"] == "T-deadline-past"]
    assert past["severity"] == "error" and f"today is {_TODAY.isoformat()}" in past["message"]


def test_check_needs_text_or_file(capsys: Capsys) -> None:
    assert run(capsys, "goal", "check")[0] == 2


def test_new_revise_three_times_then_show_has_four_revisions(
    capsys: Capsys, tmp_path: Path, client_id: str
) -> None:
    goal = run_json(
        capsys, "goal", "new", "--client", client_id, "--file", write(tmp_path, "d.json", panic())
    )
    assert goal["status"] == "proposed" and goal["revision"] == 1
    draft = panic()
    for n, change in enumerate(({"review_every_weeks": 6}, {"title": "Calmer at work"}, {"baseline": 6})):
        draft = {**draft, **change}
        path = write(tmp_path, f"r{n}.json", draft)
        code, _, err = run(
            capsys, "goal", "revise", str(goal["id"]), "--file", path, "--reason", f"Edit {n + 1}"
        )
        assert code == 0, err
    shown = run_json(capsys, "goal", "show", str(goal["id"]))
    assert shown["revision"] == 4 and shown["title"] == "Calmer at work"
    assert [(r["revision"], r["changed_by"], r["reason"]) for r in shown["revisions"]] == [
        (1, "system:cli", "Goal created"),
        (2, "system:cli", "Edit 1"),
        (3, "system:cli", "Edit 2"),
        (4, "system:cli", "Edit 3"),
    ]
    assert all(r["changed_at"] for r in shown["revisions"])


def test_bad_drafts_name_each_field_and_save_nothing(capsys: Capsys, tmp_path: Path, client_id: str) -> None:
    bad = panic(
        deadline_on="2000-01-01",
        metric={"kind": "rating", "scale_min": 0, "scale_max": 10},
        direction="increase",
        baseline=3,
        target={"value": 12},
    )
    code, out, err = run(
        capsys, "goal", "new", "--client", client_id, "--file", write(tmp_path, "b.json", bad)
    )
    assert code == 1 and out == ""
    assert "error: deadline_on:" in err and "error: target.value:" in err
    assert run_json(capsys, "goal", "list", "--client", client_id) == []


def test_a_goal_with_errors_cannot_be_activated(capsys: Capsys, tmp_path: Path, client_id: str) -> None:
    path = write(tmp_path, "d.json", panic(deadline_on=None))
    goal = run_json(capsys, "goal", "new", "--client", client_id, "--file", path)
    code, _, err = run(capsys, "goal", "status", str(goal["id"]), "active")
    assert code == 1 and "deadline_on" in err and "cannot be activated" in err
    ok = run_json(
        capsys, "goal", "new", "--client", client_id, "--template", "panic-reduce", "--baseline", "5"
    )
    active = run_json(capsys, "goal", "status", str(ok["id"]), "active", "--reason", "Agreed")
    assert active["status"] == "active"
    listed = run_json(capsys, "goal", "list", "--client", client_id, "--status", "active")
    assert [g["id"] for g in listed] == [ok["id"]]


def test_templates_and_suggestions(capsys: Capsys) -> None:
    assert len(run_json(capsys, "goal", "templates")) >= 12
    found = run_json(capsys, "goal", "suggest", "I want fewer panic attacks")
    assert found["templates"][0]["template_id"].startswith("panic")


def test_plan_needs_and_obstacle_commands(capsys: Capsys, tmp_path: Path, client_id: str) -> None:
    goal = run_json(
        capsys,
        "goal",
        "new",
        "--client",
        client_id,
        "--template",
        "panic-reduce",
        "--baseline",
        "5",
        "--activate",
    )
    gid = str(goal["id"])
    first = run_json(capsys, "plan", "add", gid, "--title", "Learn slow breathing", "--micro")
    second = run_json(capsys, "plan", "add", gid, "--title", "Practise daily", "--after", str(first["id"]))
    assert run_json(capsys, "plan", "next", gid)["id"] == first["id"]
    assert run(capsys, "plan", "done", str(first["id"]))[0] == 0
    plan = run_json(capsys, "plan", "list", gid)
    assert plan["next_step"]["id"] == second["id"] and [i["done"] for i in plan["items"]] == [True, False]

    needs_file = write(tmp_path, "needs.json", {"needs": {"connection": 1}, "concerns": []})
    assert run_json(capsys, "needs", "record", "--client", client_id, "--file", needs_file)["id"] >= 1
    shown = run_json(capsys, "needs", "show", "--client", client_id)
    assert shown["latest"]["assessment"]["needs"] == {"connection": 1}
    assert shown["suggestions"]["templates"][0]["template_id"] == "social-interactions"

    assert len(run_json(capsys, "obstacle", "catalog")) == 10
    logged = run_json(capsys, "obstacle", "log", gid, "procrastination", "--strategy", "time_bound")
    assert run(capsys, "obstacle", "outcome", str(logged["id"]), "--not-helped")[0] == 0
    assert [o["helped"] for o in run_json(capsys, "obstacle", "list", gid)] == [False]
    assert run_json(capsys, "obstacle", "suggest", "--client", client_id) == []
    code, _, err = run(capsys, "obstacle", "log", gid, "boredom", "--strategy", "x")
    assert code == 1 and "obstacle_id" in err
