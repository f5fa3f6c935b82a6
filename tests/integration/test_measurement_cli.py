"""The measurement commands: check-in, log, assess, alerts, phases, baseline and narrative records."""

from __future__ import annotations

import io
import json

import pytest

from goalwise.cli.main import main
from goalwise.core import instruments

Capsys = pytest.CaptureFixture[str]


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


def _observations(capsys: Capsys, client_id: str) -> list[dict[str, object]]:
    from goalwise.cli.runtime import open_ctx
    from goalwise.core.accounts.actor import Actor
    from goalwise.services.measurement import observations

    found = observations.list_observations(open_ctx(), Actor.system(), int(client_id))
    return [{"metric": o.metric_key, "value": o.value} for o in found]


def test_checkin_with_options_stores_three_values(capsys: Capsys, client_id: str) -> None:
    code, out, err = _run(
        capsys, "checkin", "--client", client_id, "--mood", "7", "--anxiety", "3", "--sleep", "7.5"
    )
    assert code == 0, err
    assert [line.split() for line in out.splitlines()] == [
        ["mood", "7"],
        ["anxiety", "3"],
        ["sleep_hours", "7.5"],
    ]
    assert "Checked in" in err


def test_checkin_without_a_terminal_needs_one_value_like_the_web(capsys: Capsys, client_id: str) -> None:
    code, out, err = _run(capsys, "checkin", "--client", client_id, "--mood", "7")
    assert code == 0, err
    assert out.split() == ["mood", "7"]
    assert _observations(capsys, client_id) == [{"metric": "mood", "value": 7.0}]


def test_checkin_without_a_terminal_or_values_names_the_options(capsys: Capsys, client_id: str) -> None:
    code, _, err = _run(capsys, "checkin", "--client", client_id)
    assert code == 2
    assert "at least one of --mood, --anxiety, --sleep or --goal" in " ".join(err.split())
    assert _observations(capsys, client_id) == []


def test_checkin_at_a_terminal_asks_for_missing_values(
    capsys: Capsys, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("goalwise.cli.measurement.measure.is_terminal", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("4\n\n"))  # anxiety 4, sleep skipped
    code, out, err = _run(capsys, "checkin", "--client", client_id, "--mood", "6", "--json")
    assert code == 0, err
    stored = json.loads(out[out.index("{") :])["observations"]
    assert [(o["metric"], o["value"]) for o in stored] == [("mood", 6.0), ("anxiety", 4.0)]


def test_log_off_scale_is_one_red_line_and_stores_nothing(capsys: Capsys, client_id: str) -> None:
    code, out, err = _run(capsys, "log", "mood", "11", "--client", client_id)
    assert code == 1 and out == ""
    assert err.count("error:") == 1
    assert "value: Mood is 11; it runs from 1 to 10." in err and "Enter a value between 1 and 10." in err
    code, _, err = _run(capsys, "log", "steps", "900", "--client", client_id)
    assert code == 1 and "metric: There is no metric 'steps'" in err
    code, _, err = _run(capsys, "log", "mood", "5", "--client", client_id, "--at", "2999-01-01T00:00")
    assert code == 1 and "at: The time is more than a day in the future." in err
    assert _observations(capsys, client_id) == []


def test_log_and_a_repeated_ref_store_once(capsys: Capsys, client_id: str) -> None:
    for _ in range(2):
        code, out, _ = _run(
            capsys, "log", "sleep_hours", "6.5", "--client", client_id, "--ref", "r1", "--json"
        )
        assert code == 0 and json.loads(out)["value"] == 6.5
    assert _observations(capsys, client_id) == [{"metric": "sleep_hours", "value": 6.5}]


def test_assess_with_item9_prints_crisis_text_and_the_alert_can_be_acknowledged(
    capsys: Capsys, client_id: str
) -> None:
    code, out, _ = _run(
        capsys, "assess", "phq9", "--client", client_id, "1", "1", "1", "1", "1", "1", "1", "1", "1"
    )
    assert code == 0
    # 9 × 1 = 9: mild (5-9); item 9 = 1 raises the flag (CLINICAL.md §1.2-§1.3).
    assert "PHQ-9 total 9: mild" in out and "item9_positive" in out
    assert "Samaritans on 116 123" in out and "988" not in out  # Robin lives in Europe/London
    assert "Goalwise supports care; it does not diagnose." in out
    code, out, _ = _run(capsys, "alert", "list", "--json")
    (alert,) = json.loads(out)
    assert alert["kind"] == "item9_positive" and alert["acknowledged_at"] is None
    code, _, err = _run(capsys, "alert", "ack", str(alert["id"]), "--note", " ")
    assert code == 1 and "note:" in err
    code, _, err = _run(capsys, "alert", "ack", str(alert["id"]), "--note", "Phoned; safety plan reviewed")
    assert code == 0 and "Acknowledged" in err
    code, out, err = _run(capsys, "alert", "list")
    assert out == "" and "No open alerts." in err


def test_assess_json_also_shows_the_crisis_text_on_stderr(capsys: Capsys, client_id: str) -> None:
    code, out, err = _run(capsys, "assess", "phq9", "--client", client_id, "--json", *["0"] * 8, "2")
    assert code == 0
    assert json.loads(out)["crisis"] is not None and "116 123" in err


def test_assess_at_a_terminal_shows_the_exact_wording(
    capsys: Capsys, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("goalwise.cli.measurement.assess.is_terminal", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("0\n0\n0\n0\n0\n0\n0\n0\n0\n\n"))
    code, out, err = _run(capsys, "assess", "gad7", "--client", client_id)
    assert code == 0, err
    gad7 = instruments.get("gad7")
    assert gad7.items[0].text in out and gad7.items[0].scale.options[3].text in out
    assert "GAD-7 total 0: minimal" in out


def test_assess_blank_items_and_bad_answers(capsys: Capsys, client_id: str) -> None:
    code, out, _ = _run(
        capsys, "assess", "phq9", "--client", client_id, "2", "2", "1", "2", "1", "1", "-", "0", "0"
    )
    # NHS rule: 9 answered-sum × 9 / 8 = 9 × 9 / 8 = 10.125, banded as 10: moderate (CLINICAL.md §1.6).
    assert code == 0 and "PHQ-9 total 10.125, prorated; counted as 10: moderate" in out
    code, _, err = _run(
        capsys, "assess", "phq9", "--client", client_id, "x", "x", "x", "1", "1", "1", "1", "1", "0"
    )
    assert code == 1 and err.count("error:") == 3 and "answers[1]" in err
    code, _, err = _run(capsys, "assess", "phq9", "--client", client_id)
    assert code == 2 and "give the 9 answers" in err


def test_phase_and_baseline_show(capsys: Capsys, client_id: str) -> None:
    code, _, err = _run(
        capsys, "phase", "start", "Baseline", "--client", client_id, "--baseline", "--days", "30"
    )
    assert code == 1 and "days: A baseline of 30 days is outside 7-21 days." in err
    code, out, _ = _run(
        capsys, "phase", "start", "Baseline", "--client", client_id, "--baseline", "--on", "2024-03-01"
    )
    assert code == 0 and out.split()[1:] == ["baseline", "Baseline", "2024-03-01", "14", "days"]
    for day in ("01", "02", "03"):
        _run(capsys, "log", "mood", "5", "--client", client_id, "--at", f"2024-03-{day}T12:00")
    code, out, _ = _run(capsys, "baseline", "show", "--client", client_id, "--as-of", "2024-03-03", "--json")
    assert code == 0
    (mood,) = json.loads(out)["metrics"]
    assert mood["n"] == 3 and mood["verdict"].startswith("too short: 4 more days needed")


def test_episode_abc_and_journal(capsys: Capsys, client_id: str) -> None:
    code, _, err = _run(capsys, "episode", "add", "--client", client_id, "--duration", "-5")
    assert code == 1 and "duration_minutes: The duration is -5; a duration cannot be negative." in err
    code, _, _ = _run(
        capsys, "episode", "add", "--client", client_id, "--situation", "bus", "--intensity", "7"
    )
    assert code == 0
    for antecedent in ("asked to tidy", "asked to tidy", "tired"):
        args = ("abc", "add", "--client", client_id, "-a", antecedent, "-b", "shouting", "-c", "left alone")
        assert _run(capsys, *args)[0] == 0
    code, out, _ = _run(capsys, "abc", "summary", "--client", client_id, "--json")
    (shouting,) = json.loads(out)["behaviours"]
    assert shouting["count"] == 3 and shouting["antecedents"][0] == {"text": "asked to tidy", "count": 2}
    code, _, _ = _run(
        capsys, "journal", "add", "A [hard] day", "--client", client_id, "--tag", "trigger:crowds"
    )
    assert code == 0
    code, out, _ = _run(capsys, "journal", "list", "--client", client_id, "--json")
    (entry,) = json.loads(out)
    assert (entry["body"], entry["triggers"], entry["private"]) == ("A [hard] day", ["crowds"], True)


def test_sessions_and_schedules(capsys: Capsys, client_id: str) -> None:
    code, out, _ = _run(
        capsys, "session", "add", "--client", client_id, "--on", "2024-01-08", "--instrument", "PHQ-9"
    )
    assert code == 0 and out.split() == ["1", "2024-01-08", "planned", "phq9"]
    code, out, _ = _run(capsys, "session", "update", "1", "--client", client_id, "--status", "attended")
    assert code == 0 and "attended" in out
    _run(capsys, "schedule", "set", "phq9", "--client", client_id, "--every", "14", "--from", "2024-01-01")
    code, out, _ = _run(capsys, "schedule", "list", "--client", client_id, "--as-of", "2024-01-10", "--json")
    assert json.loads(out) == [
        {"instrument": "phq9", "every_days": 14, "last_on": None, "due_on": "2024-01-01", "status": "overdue"}
    ]
