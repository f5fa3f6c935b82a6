"""The command line follows the same rules as the web, and says what it did."""

from __future__ import annotations

import click
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
