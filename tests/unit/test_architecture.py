"""The dependency rule of DESIGN.md, enforced: core/ and analytics/ do no I/O.

Every module under core/ and analytics/ is parsed; an import of a forbidden module, or a call
of ``open()``, fails the test with the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "goalwise"
FORBIDDEN = {
    "sqlalchemy",
    "fastapi",
    "starlette",
    "typer",
    "rich",
    "os",
    "sqlite3",
    "io",
    "pathlib",
    "subprocess",
    "socket",
    "shutil",
    "urllib",
    "http",
    "requests",
    "httpx",
    "psycopg",
    "alembic",
    "uvicorn",
    "matplotlib",
    "plotext",
    "logging",
    "tempfile",
}
OUR_LAYERS = {"services", "storage", "web", "cli", "interop", "reports", "config"}


def _modules(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py"))


def _violations(path: Path, layer: str) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    shown = path.relative_to(SRC) if path.is_relative_to(SRC) else path.name
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in FORBIDDEN:
                found.append(f"{shown}:{node.lineno} imports {name}")
            parts = name.split(".")
            if top == "goalwise" and len(parts) > 1 and parts[1] in OUR_LAYERS:
                found.append(f"{shown}:{node.lineno} imports {name} (outer layer)")
            if layer == "core" and top == "goalwise" and len(parts) > 1 and parts[1] == "analytics":
                found.append(f"{shown}:{node.lineno} core imports analytics")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            found.append(f"{shown}:{node.lineno} calls open()")
    return found


@pytest.mark.parametrize("layer", ["core", "analytics"])
def test_pure_layers_do_no_io(layer: str) -> None:
    modules = _modules(layer)
    assert modules, f"no modules found under {layer}/"
    problems = [v for path in modules for v in _violations(path, layer)]
    assert problems == []


def test_the_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "probe.py"
    bad.write_text(
        "import os\nfrom sqlalchemy import select\nfrom goalwise.storage import tables\nopen('x')\n"
    )
    assert len(_violations(bad, "core")) == 4


def test_nothing_imports_the_shells() -> None:
    shells = {"web", "cli"}
    problems = []
    for layer in ("core", "analytics", "services", "storage", "interop", "reports"):
        for path in _modules(layer):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module
                    and node.module.startswith("goalwise.")
                    and node.module.split(".")[1] in shells
                ):
                    problems.append(f"{path.relative_to(SRC)}:{node.lineno} imports {node.module}")
    assert problems == []


def test_shells_reach_the_database_only_through_services() -> None:
    """web/ and cli/ may set up the engine and migrations, but tables and repositories belong to services."""
    allowed = {"goalwise.storage.engine", "goalwise.storage.migrate"}
    problems = []
    for layer in ("web", "cli"):
        for path in _modules(layer):
            for node in ast.walk(ast.parse(path.read_text())):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if module and module.startswith("goalwise.storage") and module not in allowed:
                    problems.append(f"{path.relative_to(SRC)}:{node.lineno} imports {module}")
    assert problems == []
