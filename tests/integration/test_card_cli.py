"""`goalwise card`: the public command-line contract of issue 16: --json, problems named, exit codes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.request import Request

import pytest
from fastapi.testclient import TestClient
from tests.integration.test_card_service import CARD
from tests.integration.test_goal_cli import Capsys, run, run_json, write

from goalwise.config import get_settings
from goalwise.web.app import create_app


@pytest.fixture
def card(capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setenv("GOALWISE_BASE_URL", "https://goalwise.school.example")
    get_settings.cache_clear()
    assert run(capsys, "db", "upgrade")[0] == 0
    client = run_json(capsys, "client", "add", "Sam", "--timezone", "UTC")["id"]
    made = run_json(capsys, "card", "new", "--client", str(client), "--file", write(tmp_path, "c.json", CARD))
    assert isinstance(made, dict)
    return made


def test_new_prints_the_card_and_its_goal(card: dict[str, object], capsys: Capsys) -> None:
    assert isinstance(card["id"], int) and isinstance(card["goal_id"], int)
    goal = run_json(capsys, "goal", "show", str(card["goal_id"]))
    assert goal["status"] == "active" and goal["draft"]["target"]["value"] == 80.0


def test_new_names_every_problem_and_stores_nothing(capsys: Capsys, tmp_path: Path) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    client = str(run_json(capsys, "client", "add", "Sam", "--timezone", "UTC")["id"])
    bad = {**CARD, "rated_by": "coach", "rewards": [{"at_percent": 150, "reward": "x"}]}
    code, out, err = run(capsys, "card", "new", "--client", client, "--file", write(tmp_path, "b.json", bad))
    assert code == 1 and out == "" and "rated_by" in err and "rewards.1.at_percent" in err
    assert run_json(capsys, "goal", "list", "--client", client) == []


def test_rate_prints_the_percent_with_na_left_out(card: dict[str, object], capsys: Capsys) -> None:
    today = date.today().isoformat()
    cid = str(card["id"])
    day = run_json(
        capsys, "card", "rate", cid, "--on", today, "--period", "morning", "--ratings", "1=yes,2=no,3=na"
    )
    assert day["percent"] == 50.0 and day["on"] == today
    only_na = run_json(
        capsys, "card", "rate", cid, "--on", today, "--period", "morning", "--ratings", "1=na,2=na"
    )
    assert only_na["percent"] is None


def test_rate_refuses_an_unknown_rating_or_target_naming_it(card: dict[str, object], capsys: Capsys) -> None:
    today, cid = date.today().isoformat(), str(card["id"])
    code, out, err = run(
        capsys, "card", "rate", cid, "--on", today, "--period", "morning", "--ratings", "1=maybe"
    )
    assert code == 1 and "'maybe'" in err and out == ""
    code, _, err = run(
        capsys, "card", "rate", cid, "--on", today, "--period", "morning", "--ratings", "7=yes"
    )
    assert code == 1 and "Target 7" in err
    code, _, err = run(capsys, "card", "rate", cid, "--on", today, "--ratings", "1=yes")
    assert code == 1 and "no period was given" in err and "morning, afternoon" in err
    assert run_json(capsys, "card", "show", cid)["days"] == []


def test_show_lists_the_days_hit_rates_and_shaping(card: dict[str, object], capsys: Capsys) -> None:
    today, cid = date.today().isoformat(), str(card["id"])
    run_json(
        capsys, "card", "rate", cid, "--on", today, "--period", "afternoon", "--ratings", "1=yes,2=yes,3=yes"
    )
    shown = run_json(capsys, "card", "show", cid)
    assert shown["title"] == "School day card" and len(shown["targets"]) == 3
    assert [(d["on"], d["percent"], d["met"]) for d in shown["days"]] == [(today, 100.0, True)]
    assert shown["days"][0]["reward"] == {"at_percent": 100.0, "reward": "Choose dinner"}
    assert shown["hit_rates"] == [100.0, 100.0, 100.0] and shown["shaping"]["suggest"] is False


def test_rater_prints_an_absolute_link_and_revoke_ends_it(card: dict[str, object], capsys: Capsys) -> None:
    cid = str(card["id"])
    link = run_json(capsys, "card", "rater", cid, "--name", "Ms Patel", "--email", "patel@school.example")[
        "link"
    ]
    assert link.startswith("https://goalwise.school.example/rate/")
    path = Request(link).selector
    settings = get_settings()
    with TestClient(create_app(settings)) as web:
        assert web.get(path).status_code == 200
        assert run(capsys, "card", "rater-revoke", cid, "--name", "Ms Patel")[0] == 0
        assert web.get(path).status_code == 404
    code, _, err = run(capsys, "card", "rater-revoke", cid, "--name", "Ms Patel")
    assert code == 1 and "Ms Patel" in err
