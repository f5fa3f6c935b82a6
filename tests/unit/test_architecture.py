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
    """The CLI may set up the engine and migrations; on the web only the app factory wires storage.

    Tables, repositories and migration checks belong to services (``/healthz`` asks
    ``services.clinic.health``, not ``storage.migrate``).
    """
    allowed = ("goalwise.storage.engine", "goalwise.storage.migrate")
    problems = []
    for layer in ("web", "cli"):
        for path in _modules(layer):
            factory = path == SRC / "web" / "app.py"
            for module, lineno in _imports(path):
                if not module.startswith("goalwise.storage"):
                    continue
                if (layer == "web" and not factory) or not module.startswith(allowed):
                    problems.append(f"{path.relative_to(SRC)}:{lineno} imports {module}")
    assert problems == []


def test_reports_render_values_and_ask_no_service() -> None:
    """Reports draw the values they are given; the value types live in analytics or core."""
    problems = [
        f"{path.relative_to(SRC)}:{lineno} imports {module}"
        for path in _modules("reports")
        for module, lineno in _imports(path)
        if module.startswith(("goalwise.services", "goalwise.storage"))
    ]
    assert problems == []


# The capability folders: the same names in every layer that is grouped (DESIGN.md, "As it grows").
CAPABILITIES = {
    "accounts",
    "goals",
    "measurement",
    "progress",
    "sharing",
    "clinic",
    "transfer",
    "reviews",
    "cards",
}
GROUPED_LAYERS = ("services", "web/api", "web/routes", "cli", "core")


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every ``goalwise`` module a file imports, with the line; ``from pkg import mod`` counts ``pkg.mod``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name.startswith("goalwise")]


def _capability(path: Path, shown_as: str | None = None) -> tuple[str, str] | None:
    """(layer, capability) of a module inside a capability folder, else None."""
    rel = shown_as or path.relative_to(SRC).as_posix()
    for layer in GROUPED_LAYERS:
        if rel.startswith(layer + "/"):
            parts = rel.removeprefix(layer + "/").split("/")
            if len(parts) > 1 and parts[0] in CAPABILITIES:
                return layer, parts[0]
    return None


def _module_path(dotted: str) -> Path | None:
    base = SRC.parent / Path(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _private_imports(path: Path, shown_as: str | None = None) -> list[str]:
    here = _capability(path, shown_as)
    shown = shown_as or path.relative_to(SRC).as_posix()
    problems = []
    for module, lineno in _imports(path):
        parts = module.split(".")
        private = next((i for i, part in enumerate(parts) if part.startswith("_")), None)
        if private is None or private == 0:
            continue
        target = _module_path(".".join(parts[:private])) or _module_path(".".join(parts[: private + 1]))
        there = _capability(target) if target else None
        if there is not None and there != here:
            problems.append(f"{shown}:{lineno} imports {module}, private to {there[1]}/")
    return problems


def test_no_capability_imports_another_capabilitys_private_module() -> None:
    problems = [v for layer in GROUPED_LAYERS for path in _modules(layer) for v in _private_imports(path)]
    assert problems == []


def test_the_private_import_check_catches_one(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from goalwise.services.accounts import _secret\nfrom goalwise.services.goals import _own\n"
    )
    assert _private_imports(probe, shown_as="services/goals/probe.py") == [
        "services/goals/probe.py:1 imports goalwise.services.accounts._secret, private to accounts/"
    ]


@pytest.mark.parametrize("layer", ["services", "web/api", "cli"])
def test_layers_group_modules_by_the_same_capability_names(layer: str) -> None:
    folders = {p.name for p in (SRC / layer).iterdir() if (p / "__init__.py").exists()}
    assert folders <= CAPABILITIES, f"{layer}/ has capability folders outside {sorted(CAPABILITIES)}"
    assert len(folders) >= 4


@pytest.mark.parametrize("layer", [*GROUPED_LAYERS, "analytics", "reports", "storage", "web", "interop"])
def test_no_layer_folder_holds_more_than_15_modules_at_its_top_level(layer: str) -> None:
    modules = [p for p in (SRC / layer).glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 15, f"{layer}/ holds {len(modules)} modules: group them by capability"


def test_every_capability_package_says_what_it_is() -> None:
    missing = [
        str(init.relative_to(SRC))
        for layer in GROUPED_LAYERS
        for init in (SRC / layer).glob("*/__init__.py")
        if init.parent.name in CAPABILITIES and not ast.get_docstring(ast.parse(init.read_text()))
    ]
    assert missing == []


def test_a_module_name_in_two_layers_means_the_same_capability() -> None:
    """``sessions`` once named log-in sessions in services and therapy sessions in the API."""
    seen: dict[str, set[str]] = {}
    for layer in ("services", "web/api", "web/routes", "cli"):
        for path in _modules(layer):
            where = _capability(path)
            if path.name != "__init__.py" and where is not None:
                seen.setdefault(path.stem, set()).add(where[1])
    assert {stem: caps for stem, caps in seen.items() if len(caps) > 1} == {}


def test_the_architecture_doc_names_every_module_of_every_capability() -> None:
    """docs/architecture.md's table of capabilities against layers stays true to the tree."""
    doc = (SRC.parents[1] / "docs" / "architecture.md").read_text()
    rows = {line.split("|")[1].strip(): line for line in doc.splitlines() if line.startswith("| `")}
    missing = []
    for layer in GROUPED_LAYERS:
        for path in _modules(layer):
            where = _capability(path)
            if where is None or path.name == "__init__.py":
                continue
            row = next((r for key, r in rows.items() if key.startswith(f"`{where[1]}/`")), "")
            if f"`{path.stem}`" not in row:
                missing.append(f"{path.relative_to(SRC)} is not in the {where[1]}/ row")
    assert missing == []
