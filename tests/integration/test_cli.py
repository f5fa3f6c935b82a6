"""The command line: output on stdout, messages on stderr, exit codes 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from goalwise.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_lists_the_command_groups(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    for group in ("db", "client", "demo", "serve"):
        assert group in out


def test_unmigrated_database_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "client", "list")
    assert code == 1
    assert out == ""
    assert "goalwise db upgrade" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_upgrade_then_add_and_list_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, _ = _run(capsys, "client", "add", "Robin", "--timezone", "Europe/London", "--json")
    assert code == 0
    created = json.loads(out)
    assert created["name"] == "Robin" and isinstance(created["id"], int)
    code, out, _ = _run(capsys, "client", "list", "--json")
    assert json.loads(out) == [{"id": created["id"], "name": "Robin", "timezone": "Europe/London"}]
    code, out, _ = _run(capsys, "db", "status", "--json")
    assert json.loads(out)["state"] == "current"


def test_bad_input_is_one_red_line_per_problem_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "db", "upgrade")
    code, _, err = _run(capsys, "client", "add", "Robin", "--timezone", "Mars/Olympus")
    assert code == 1
    assert err.count("error:") == 1
    assert "timezone" in err and "IANA" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "client", "frobnicate")
    assert code == 2
    assert "No such command" in err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://user@host/db", "supports sqlite and postgresql"),
        ("::not a url::", "not a database URL"),
        ("postgresql+psycopg://u:pw@127.0.0.1:1/goalwise", "cannot reach the PostgreSQL server"),
    ],
)
def test_bad_database_urls_give_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    monkeypatch.setenv("GOALWISE_DATABASE_URL", url)
    code, _, err = _run(capsys, "client", "list")
    assert code == 1
    assert expected in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from goalwise.core.errors import StorageError

    with pytest.raises(StorageError):
        main(["--debug", "client", "list"])


def test_demo_prints_progress_and_logins(capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "db", "upgrade")
    code, _, err = _run(
        capsys, "demo", "--clients", "3", "--days", "30", "--seed", "5", "--end-on", "2026-02-01"
    )
    assert code == 0
    assert "Loading demo clients" in err
    assert "therapist@demo.goalwise.test" in err
    code, _, err = _run(capsys, "demo", "--if-empty")
    assert code == 0 and "already has clients" in err


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "GOALWISE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "goalwise", "--version"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("goalwise ")


def test_audit_export_is_csv_with_a_header(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["client", "add", "Robin"]) == 0
    capsys.readouterr()
    assert main(["audit", "export"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,at,actor,action,object_type,object_id,client_id,address,user_agent"
    assert ",system:cli,create,client,1,1," in lines[1]
