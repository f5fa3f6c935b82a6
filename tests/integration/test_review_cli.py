"""The review commands and `goal gas`: the JSON contract of docs/user-guide.md, problems named, exit codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.test_goal_cli import Capsys, run, run_json, write
from tests.integration.test_review_service import _draft

TODAY = datetime.now(UTC).date()


@pytest.fixture
def client_id(capsys: Capsys) -> str:
    assert run(capsys, "db", "upgrade")[0] == 0
    return str(run_json(capsys, "client", "add", "Robin", "--timezone", "Europe/London")["id"])


def _goal(capsys: Capsys, tmp_path: Path, client: str) -> int:
    path = write(tmp_path, "d.json", _draft("Fewer panic attacks"))
    return int(run_json(capsys, "goal", "new", "--client", client, "--file", path, "--activate")["id"])


def test_due_lists_the_goal_with_its_overdue_days(capsys: Capsys, tmp_path: Path, client_id: str) -> None:
    goal = _goal(capsys, tmp_path, client_id)
    found = run_json(capsys, "review", "due")
    # Started 35 days ago, reviewed every 4 weeks: due 7 days ago (in the client's calendar, London).
    assert [(d["client_id"], d["goal_id"], d["reason"]) for d in found] == [(int(client_id), goal, "cadence")]
    assert found[0]["overdue_days"] in (6, 7, 8)
    assert found[0]["due_on"] == (TODAY - timedelta(days=found[0]["overdue_days"])).isoformat()
    code, _, err = run(capsys, "review", "due", "--therapist", "nobody@example.org", "--json")
    assert code == 1 and "nobody@example.org" in err


def test_record_list_show_and_summary(capsys: Capsys, tmp_path: Path, client_id: str) -> None:
    goal = _goal(capsys, tmp_path, client_id)
    summary = run_json(capsys, "review", "summary", "--client", client_id)
    assert summary["goals"][0]["goal_id"] == goal and summary["last_review"] is None
    assert [lv["level"] for lv in summary["goals"][0]["gas"]["levels"]] == [-2, -1, 0, 1, 2]
    body = {
        "held_on": TODAY.isoformat(),
        "kind": "goals",
        "notes": "Good session.",
        "goals": [{"goal_id": goal, "gas_level": 1, "decision": "continue", "reason": "ahead"}],
    }
    stored = run_json(
        capsys, "review", "record", "--client", client_id, "--file", write(tmp_path, "r.json", body)
    )
    # One goal at +1, weight 1: T = 50 + 10·1/√(0.7 + 0.3) = 60.
    assert stored["t_score"] == 60.0 and stored["held_on"] == TODAY.isoformat()
    assert stored["next_review_on"] == (TODAY + timedelta(weeks=4)).isoformat()
    assert "notes" not in stored
    listed = run_json(capsys, "review", "list", "--client", client_id)
    assert [(r["id"], r["number"]) for r in listed] == [(stored["id"], 1)] and "notes" not in listed[0]
    shown = run_json(capsys, "review", "show", str(stored["id"]))
    assert shown["notes"] == "Good session."
    assert [(g["goal_id"], g["gas_level"], g["decision"]) for g in shown["goals"]] == [(goal, 1, "continue")]
    assert run_json(capsys, "review", "due") == []


def test_record_with_bad_input_exits_1_naming_each_problem(
    capsys: Capsys, tmp_path: Path, client_id: str
) -> None:
    goal = _goal(capsys, tmp_path, client_id)
    body = {"held_on": TODAY.isoformat(), "goals": [{"goal_id": goal, "gas_level": 7, "decision": "maybe"}]}
    code, out, err = run(
        capsys, "review", "record", "--client", client_id, "--file", write(tmp_path, "r.json", body), "--json"
    )
    assert code == 1 and out == ""
    assert "goals[0].gas_level" in err and "goals[0].decision" in err
    assert run_json(capsys, "review", "list", "--client", client_id) == []


def test_goal_gas_shows_and_sets_the_scale(capsys: Capsys, tmp_path: Path, client_id: str) -> None:
    goal = _goal(capsys, tmp_path, client_id)
    shown = run_json(capsys, "goal", "gas", str(goal))
    assert shown["derived"] is True and shown["weight"] == 1.0
    # Baseline 6, target 2 panic attacks a week: -1 is 2..6, 0 is 1..2 (see test_gas_scale).
    assert [(lv["level"], lv["low"], lv["high"]) for lv in shown["levels"]][1:3] == [
        (-1, 2.0, 6.0),
        (0, 1.0, 2.0),
    ]
    changed = run_json(capsys, "goal", "gas", str(goal), "--file", write(tmp_path, "g.json", {"weight": 3}))
    assert changed["weight"] == 3.0 and changed["derived"] is True
    code, _, err = run(capsys, "goal", "gas", str(goal), "--file", write(tmp_path, "b.json", {"weight": 40}))
    assert code == 1 and "weight" in err
