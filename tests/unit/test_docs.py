"""The guides under docs/ stay true to the code: every rule code, instrument, template, status and
command the code defines is documented, and every relative link between docs files resolves.

Each test names what is missing and where to add it, so a failure says what to write.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from typer.main import get_command

from goalwise.analytics.forecast import Status
from goalwise.cli.main import app
from goalwise.core import instruments, smart
from goalwise.core.lifecycle import FHIR_LIFECYCLE, GoalStatus
from goalwise.core.obstacle import OBSTACLES
from goalwise.core.smart_rules import RULES, SMART_CODES
from goalwise.core.template import TEMPLATES
from goalwise.web.api import PREFIX, api_routers
from goalwise.web.app import page_routers

DOCS = Path(__file__).resolve().parents[2] / "docs"
CLINICIAN = DOCS / "clinician-guide.md"
USER = DOCS / "user-guide.md"
ADMIN = DOCS / "admin-guide.md"

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _text(path: Path) -> str:
    assert path.exists(), f"{path.relative_to(DOCS.parent)} is missing"
    return path.read_text(encoding="utf-8")


def _cli_commands() -> dict[str, list[str]]:
    """Top-level commands of ``goalwise`` and, for groups, their subcommands."""
    root = get_command(app)
    found: dict[str, list[str]] = {}
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None) or {}
        found[name] = sorted(subcommands)
    return found


def _mentions_command(words: str) -> bool:
    pattern = re.compile(r"goalwise " + re.escape(words) + r"(?![\w-])")
    return any(pattern.search(_text(doc)) for doc in (USER, ADMIN))


# --- clinician guide: rules, instruments, templates, statuses ----------------------------


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_smart_rule_code_is_in_the_clinician_guide(code: str) -> None:
    assert f"`{code}`" in _text(CLINICIAN), (
        f"SMART rule {code} (goalwise.core.smart_rules.RULES) is not in docs/clinician-guide.md; "
        "add it to the rule table in section 10"
    )


@pytest.mark.parametrize("code", sorted(SMART_CODES - set(RULES)))
def test_every_other_smart_code_is_in_the_clinician_guide(code: str) -> None:
    assert f"`{code}`" in _text(CLINICIAN), (
        f"SMART code {code} (goalwise.core.smart_rules.SMART_CODES) is not in docs/clinician-guide.md; "
        "add it to the table of metric and input codes in section 10"
    )


def test_rule_severities_in_the_clinician_guide_match_the_code() -> None:
    text = _text(CLINICIAN)
    wrong = []
    for code, rule in RULES.items():
        row = re.search(r"^\| `" + re.escape(code) + r"` \| (\w+) \|", text, re.MULTILINE)
        if row is None or row.group(1) != rule.severity:
            shown = "no table row" if row is None else f"'{row.group(1)}'"
            wrong.append(f"{code} (code: {rule.severity}, docs: {shown})")
    assert not wrong, "rule table in docs/clinician-guide.md disagrees with RULES: " + "; ".join(wrong)


def test_the_a_rule_thresholds_in_the_clinician_guide_match_the_code() -> None:
    text = _text(CLINICIAN)
    start, end = text.find("### 10.2"), text.find("### 10.3")
    assert 0 <= start < end, "docs/clinician-guide.md needs sections 10.2 (the A rule) and 10.3"
    section = " ".join(text[start:end].replace("**", "").split())  # one line, no bold marks
    expected = {
        "STEEP_RELATIVE_RATE": f"{smart.STEEP_RELATIVE_RATE:.0%} per week",
        "STEEP_SCALE_RATE": f"{smart.STEEP_SCALE_RATE:.0%} of the scale per week",
        "ABSURD_RATE": f"above {smart.ABSURD_RATE:.0%}",
        "SD_DISTANCE_LIMIT": f"{smart.SD_DISTANCE_LIMIT:g} SDs",
        "SD_SHORT_WEEKS": f"fewer than {smart.SD_SHORT_WEEKS:g} weeks",
        "LOW_CONFIDENCE": f"confidence below {smart.LOW_CONFIDENCE}",
    }
    missing = [f"{name} ('{words}')" for name, words in expected.items() if words not in section]
    assert not missing, "section 10.2 of docs/clinician-guide.md does not state: " + ", ".join(missing)


@pytest.mark.parametrize("code", instruments.codes())
def test_every_instrument_code_is_in_the_clinician_guide(code: str) -> None:
    assert f"`{code}`" in _text(CLINICIAN), (
        f"instrument {code} (goalwise.core.instruments.codes()) is not in docs/clinician-guide.md; "
        "add it to the instrument table in section 1"
    )


@pytest.mark.parametrize("template_id", [t.id for t in TEMPLATES])
def test_every_template_id_is_in_the_clinician_guide(template_id: str) -> None:
    assert f"`{template_id}`" in _text(CLINICIAN), (
        f"goal template {template_id} (goalwise.core.template.TEMPLATES) is not in "
        "docs/clinician-guide.md; add it to the template table in section 11"
    )


@pytest.mark.parametrize("status", list(GoalStatus))
def test_every_goal_status_and_its_fhir_code_is_in_the_clinician_guide(status: GoalStatus) -> None:
    fhir = FHIR_LIFECYCLE[status]
    row = re.search(r"^\| `" + re.escape(status.value) + r"` \|.*$", _text(CLINICIAN), re.MULTILINE)
    assert row is not None, (
        f"goal status {status.value} has no row in the lifecycle table of docs/clinician-guide.md"
    )
    assert f"`{fhir}`" in row.group(0), (
        f"the lifecycle row for {status.value} in docs/clinician-guide.md does not give its FHIR "
        f"lifecycleStatus `{fhir}`"
    )


@pytest.mark.parametrize("status", get_args(Status))
def test_every_forecast_status_is_in_the_clinician_guide(status: str) -> None:
    assert f"`{status}`" in _text(CLINICIAN), (
        f"forecast status {status} (goalwise.analytics.forecast.Status) is not in "
        "docs/clinician-guide.md; add it to the forecast rule in section 7"
    )


@pytest.mark.parametrize("obstacle_id", [o.id for o in OBSTACLES])
def test_every_obstacle_is_in_the_clinician_guide(obstacle_id: str) -> None:
    assert f"`{obstacle_id}`" in _text(CLINICIAN), (
        f"obstacle {obstacle_id} (goalwise.core.obstacle.OBSTACLES) is not in docs/clinician-guide.md; "
        "add it to the obstacle table in section 13"
    )


# --- user and admin guides: the command line -------------------------------------------


@pytest.mark.parametrize("name", sorted(_cli_commands()))
def test_every_command_group_is_in_the_user_or_admin_guide(name: str) -> None:
    assert _mentions_command(name), (
        f"`goalwise {name}` (listed by `goalwise --help`) is in neither docs/user-guide.md nor "
        "docs/admin-guide.md; document it in one of them"
    )


@pytest.mark.parametrize(
    "words", sorted(f"{group} {sub}" for group, subs in _cli_commands().items() for sub in subs)
)
def test_every_subcommand_is_in_the_user_or_admin_guide(words: str) -> None:
    assert _mentions_command(words), (
        f"`goalwise {words}` is in neither docs/user-guide.md nor docs/admin-guide.md; "
        "document it in one of them"
    )


# --- routes the guides mention ---------------------------------------------------------

# Paths in backticks that are not routes of the app: the API prefix itself, the schema FastAPI
# serves, and folders on the server.
_NOT_ROUTES = ("/api/v1", "/openapi.json")
_SERVER_FOLDERS = ("usr", "srv", "etc", "tmp", "var", "home")
_ROUTE_MENTION = re.compile(r"`(?:(GET|POST|PUT|PATCH|DELETE) )?(/[^`\s]*)`")


def _app_routes() -> list[tuple[str, re.Pattern[str], str]]:
    found = []
    for prefix, routers in ((PREFIX, api_routers()), ("", page_routers())):
        for router in routers:
            for route in router.routes:
                path = prefix + getattr(route, "path", "")
                pattern = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "$")
                found += [(method, pattern, path) for method in getattr(route, "methods", None) or ()]
    return found


@pytest.mark.parametrize("doc", [CLINICIAN, USER, ADMIN], ids=lambda p: p.name)
def test_every_route_the_guides_mention_exists(doc: Path) -> None:
    routes = _app_routes()
    unknown = []
    for method, mention in _ROUTE_MENTION.findall(_text(doc)):
        path = mention.split("?")[0]
        if path in _NOT_ROUTES or path.split("/")[1] in _SERVER_FOLDERS:
            continue
        if not any((not method or method == m) and pattern.match(path) for m, pattern, _ in routes):
            unknown.append(f"{method} {path}".strip())
    assert not unknown, f"docs/{doc.name} mentions routes the app does not have: " + ", ".join(unknown)


# --- links between docs files ----------------------------------------------------------


def _slugs(markdown: str) -> set[str]:
    """Anchors of the headings, as GitHub makes them (lower case, punctuation dropped, spaces to -)."""
    seen: dict[str, int] = {}
    slugs = set()
    for heading in _HEADING.findall(_FENCE.sub("", markdown)):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        slugs.add(slug if count == 0 else f"{slug}-{count}")
    return slugs


def _relative_links(markdown: str) -> list[str]:
    prose = _INLINE_CODE.sub("", _FENCE.sub("", markdown))
    return [
        target
        for target in _LINK.findall(prose)
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not target.startswith("//")
    ]


def _doc_files() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


@pytest.mark.parametrize("doc", _doc_files(), ids=lambda p: p.name)
def test_every_relative_link_in_docs_resolves(doc: Path) -> None:
    broken = []
    for target in _relative_links(_text(doc)):
        path_part, _, anchor = target.partition("#")
        dest = (doc.parent / path_part).resolve() if path_part else doc
        if not dest.exists():
            broken.append(f"{target} (no file {dest.relative_to(DOCS.parent)})")
        elif anchor and dest.suffix == ".md" and anchor not in _slugs(dest.read_text(encoding="utf-8")):
            broken.append(f"{target} (no heading #{anchor} in {dest.name})")
    assert not broken, f"docs/{doc.name} has broken relative links: " + "; ".join(broken)


def test_the_guides_link_to_each_other() -> None:
    missing = [
        f"{src.name} -> {dst.name}"
        for src in (CLINICIAN, USER, ADMIN)
        for dst in (CLINICIAN, USER, ADMIN)
        if src != dst and f"]({dst.name}" not in _text(src)
    ]
    assert not missing, "guides that do not link to each other: " + ", ".join(missing)


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    # The checker itself must be able to fail: a link to a missing file and a missing anchor.
    page = "# Title\n\nSee [gone](nowhere.md), [bad](#no-such-heading), [ok](#title) and `[x](y.md)`.\n"
    links = _relative_links(page)
    assert links == ["nowhere.md", "#no-such-heading", "#title"]
    assert "title" in _slugs(page)
    assert "no-such-heading" not in _slugs(page)
    assert _slugs("## 2. Risk: PHQ-9 item 9 and the `HAM-D-17` item\n") == {
        "2-risk-phq-9-item-9-and-the-ham-d-17-item"
    }


def test_the_route_checker_tells_known_from_unknown_routes() -> None:
    routes = _app_routes()

    def known(method: str, path: str) -> bool:
        return any(method == m and pattern.match(path) for m, pattern, _ in routes)

    assert known("POST", "/api/v1/goals/1/readiness")
    assert known("GET", "/api/v1/clients/{id}/baseline")
    assert not known("DELETE", "/api/v1/goals/1/readiness")
    assert not known("GET", "/api/v1/no-such-thing")
