"""``goalwise goal``: check, create, list, show, revise and change the status of SMART goals.

Each command parses its arguments, calls one service (``services.goals``) or a pure function
(``core.smart``, ``core.template``, ``core.suggest``), and renders: rich tables on stdout, or one
JSON document with ``--json``. Problems are shown with their SMART letter and suggestion.
``goal check`` exits 0 whether or not it finds problems; only an unreadable input (a missing file,
malformed JSON) ends with one red line and exit 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from goalwise.cli.runtime import err, load_settings, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.suggest import Suggestion, suggest
from goalwise.core.template import TEMPLATES
from goalwise.services.goals import goals, needs
from goalwise.services.reviews import gas

__all__ = [
    "app",
    "goal_to_dict",
    "parse_day",
    "print_problems",
    "print_suggestion",
    "problem_dicts",
    "read_json_file",
    "register",
    "suggestion_dict",
]

app = typer.Typer(help="Write, check and track SMART goals.", no_args_is_help=True)

_LETTERS = {"S": "Specific", "M": "Measurable", "A": "Achievable", "R": "Realistic", "T": "Time-bound"}
_FILE_HELP = (
    "A DRAFT.json file: title, behaviour, metric, direction, baseline, target, dates, review_every_weeks."
)


def read_json_file(path: Path, option: str = "--file") -> Any:
    """The JSON document in ``path``; an unreadable file or malformed JSON raises one Problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = Problem(
            "file-missing", option, f"{path} does not exist.", "Check the path and the file name."
        )
        raise InvalidInput([problem]) from None
    except UnicodeDecodeError:
        problem = Problem(
            "file-encoding", option, f"{path} is not UTF-8 text.", "Save the file as UTF-8 JSON."
        )
        raise InvalidInput([problem]) from None
    except OSError as exc:
        message = f"{path} cannot be read ({exc.strerror or type(exc).__name__})."
        problem = Problem("file-unreadable", option, message, "Check that it is a file you may read.")
        raise InvalidInput([problem]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        hint = 'Fix the JSON there (quotes, commas, braces); a draft looks like {"title": "...", ...}.'
        raise InvalidInput([Problem("file-json", option, message, hint)]) from None


def parse_day(value: str | None, option: str) -> date | None:
    """An ISO date given on the command line, or None; a malformed one raises one Problem."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        message = f"{option} is '{value}'; it must be a date."
        raise InvalidInput([Problem("date-format", option, message, "Write it as YYYY-MM-DD.")]) from None


def problem_dicts(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """Problems in the JSON shape shared with the API: code, field, severity, message, suggestion."""
    return [
        {"code": p.code, "field": p.field, "severity": p.severity, "message": p.message, "suggestion": p.hint}
        for p in problems
    ]


def print_problems(problems: Iterable[Problem], title: str = "SMART check") -> None:
    """A table of problems with their SMART letter and suggestion (nothing when there are none)."""
    found = list(problems)
    if not found:
        return
    table = Table("SMART", "severity", "field", "problem", "suggestion", title=title, title_justify="left")
    for p in found:
        letter = p.code[0] if p.code[:1] in _LETTERS else ""
        colour = "red" if p.severity == "error" else "yellow"
        table.add_row(
            f"{letter} {_LETTERS.get(letter, '')}".strip(),
            f"[{colour}]{p.severity}[/]",
            p.field,
            p.message,
            p.hint,
        )
    out.print(table)


def goal_to_dict(goal: goals.Goal) -> dict[str, Any]:
    """A goal in the JSON shape of ``GET /api/v1/goals/{id}``."""
    return {
        "id": goal.id,
        "client_id": goal.client_id,
        "status": goal.status,
        "fhir_lifecycle_status": goal.fhir_lifecycle,
        "title": goal.title,
        "priority": goal.priority,
        "start_on": goal.start_on,
        "deadline_on": goal.deadline_on,
        "implied_deadline_on": goal.implied_deadline_on,
        "review_every_weeks": goal.review_every_weeks,
        "revision": goal.revision,
        "metric_key": goal.metric_key,
        "draft": goal.spec,
        "problems": problem_dicts(goal.problems),
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
    }


def _revision_dict(r: goals.Revision) -> dict[str, Any]:
    return {
        "revision": r.revision,
        "status": r.status,
        "draft": r.spec,
        "changed_by": r.changed_by,
        "changed_at": r.changed_at,
        "reason": r.reason,
    }


def _summary(goal: goals.Goal, verb: str) -> None:
    errors = sum(1 for p in goal.problems if p.severity == "error")
    out.print(f"{goal.id}\t{goal.status}\t{goal.title}")
    note = (
        f"; {errors} SMART error(s) to fix before activating" if errors and goal.status == "proposed" else ""
    )
    err.print(f"[green]{verb}[/] goal {goal.id} (revision {goal.revision}, {goal.status}){note}.")
    print_problems(goal.problems)


_TEXT_HELP = "A goal in the client's words, e.g. 'I want to feel better'."
_TEXT_OPTION_HELP = "The same free text, given as an option (scripts use either form)."


def _free_text(positional: str | None, option: str | None) -> str | None:
    """The goal's free text from ``TEXT`` or ``--text``: ``goal check`` and ``goal suggest`` take both."""
    if positional is not None and option is not None and positional != option:
        raise typer.BadParameter("give the goal's text once, as TEXT or as --text")
    return positional if positional is not None else option


@app.command("check")
def check(
    text_arg: str | None = typer.Argument(None, metavar="TEXT", help=_TEXT_HELP, show_default=False),
    text_opt: str | None = typer.Option(None, "--text", help=_TEXT_OPTION_HELP),
    file: Path | None = typer.Option(None, "--file", help=_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help='Print {"problems": [...]} as JSON.'),
) -> None:
    """Check a goal against SMART; exits 0 with or without problems (1 only for unreadable input)."""
    text = _free_text(text_arg, text_opt)
    if (text is None) == (file is None):
        raise typer.BadParameter("give either the goal's TEXT (or --text) or --file")
    if text is not None:
        problems = suggest(text).problems
    else:  # no client: today is the date in the installation's default time zone (GOALWISE_TIMEZONE)
        problems = goals.check(read_json_file(file), timezone=load_settings().timezone)  # type: ignore[arg-type]
    if as_json:
        print_json({"problems": problem_dicts(problems)})
        return
    if not problems:
        err.print(
            "[green]No problems:[/] the goal is specific, measurable, achievable, relevant and time-bound."
        )
        return
    print_problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    err.print(f"{errors} error(s), {len(problems) - errors} warning(s).")


@app.command("new")
def new(
    client: int = typer.Option(..., "--client", help="Client id."),
    file: Path | None = typer.Option(None, "--file", help=_FILE_HELP),
    template: str | None = typer.Option(
        None, "--template", help="Template id (see `goalwise goal templates`)."
    ),
    baseline: float | None = typer.Option(None, "--baseline", help="With --template: the current level."),
    start: str | None = typer.Option(None, "--start", help="With --template: start date; default today."),
    deadline: str | None = typer.Option(
        None, "--deadline", help="With --template: deadline; default the template's."
    ),
    activate: bool = typer.Option(
        False, "--activate", help="Activate at once (refused while there are errors)."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why the goal was set."),
    as_json: bool = typer.Option(False, "--json", help="Print the new goal as JSON."),
) -> None:
    """Create a goal from a draft file or from a template and a baseline."""
    if (file is None) == (template is None):
        raise typer.BadParameter("give either --file or --template with --baseline")
    ctx = open_ctx()
    if template is not None:
        if baseline is None:
            raise typer.BadParameter("--template needs --baseline (the current level)")
        goal = goals.create_from_template(
            ctx,
            Actor.system(),
            client,
            template,
            baseline=baseline,
            start_on=parse_day(start, "--start"),
            deadline_on=parse_day(deadline, "--deadline"),
            activate=activate,
        )
    else:
        assert file is not None
        draft = read_json_file(file)
        goal = goals.create(ctx, Actor.system(), client, draft, activate=activate, reason=reason)
    if as_json:
        print_json(goal_to_dict(goal))
        return
    _summary(goal, "Created")


@app.command("list")
def list_cmd(
    client: int = typer.Option(..., "--client", help="Client id."),
    status: str | None = typer.Option(None, "--status", help="Only goals in this status."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List a client's goals, oldest first."""
    found = goals.list_goals(open_ctx(), Actor.system(), client, status=status)
    if as_json:
        print_json([goal_to_dict(g) for g in found])
        return
    if not found:
        err.print(f"No goals yet. Add one with `goalwise goal new --client {client} --template ...`.")
        return
    table = Table("id", "status", "priority", "title", "start", "deadline", "review", "rev", "errors")
    for g in found:
        errors = sum(1 for p in g.problems if p.severity == "error")
        table.add_row(
            str(g.id),
            g.status,
            g.priority,
            g.title,
            str(g.start_on or ""),
            str(g.deadline_on or ""),
            f"every {g.review_every_weeks} wk" if g.review_every_weeks else "",
            str(g.revision),
            str(errors) if errors else "",
        )
    out.print(table)


@app.command("show")
def show(
    goal_id: int = typer.Argument(..., help="Goal id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the revisions)."),
) -> None:
    """Show a goal, its SMART problems today and every revision."""
    ctx = open_ctx()
    goal = goals.get(ctx, Actor.system(), goal_id)
    revisions = goals.history(ctx, Actor.system(), goal_id)
    if as_json:
        print_json({**goal_to_dict(goal), "revisions": [_revision_dict(r) for r in revisions]})
        return
    details = Table(show_header=False, title=f"Goal {goal.id}: {goal.title}", title_justify="left")
    details.add_column("field", style="bold")
    details.add_column("value")
    details.add_row("status", f"{goal.status} (FHIR {goal.fhir_lifecycle})")
    for key, value in goal.spec.items():
        details.add_row(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    if goal.implied_deadline_on:
        details.add_row("implied deadline", str(goal.implied_deadline_on))
    details.add_row("metric key", goal.metric_key or "")
    out.print(details)
    print_problems(goal.problems)
    table = Table("rev", "status", "changed by", "changed at", "why", title="Revisions", title_justify="left")
    for r in revisions:
        table.add_row(
            str(r.revision), r.status, r.changed_by, f"{r.changed_at:%Y-%m-%d %H:%M}", r.reason or ""
        )
    out.print(table)


@app.command("revise")
def revise(
    goal_id: int = typer.Argument(..., help="Goal id."),
    file: Path = typer.Option(..., "--file", help="The new draft (DRAFT.json); it replaces the current one."),
    reason: str = typer.Option(..., "--reason", help="Why the goal changes."),
    as_json: bool = typer.Option(False, "--json", help="Print the goal as JSON."),
) -> None:
    """Write a new revision of a goal; the earlier revisions are kept."""
    goal = goals.revise(open_ctx(), Actor.system(), goal_id, read_json_file(file), reason=reason)
    if as_json:
        print_json(goal_to_dict(goal))
        return
    _summary(goal, "Revised")


@app.command("status")
def status(
    goal_id: int = typer.Argument(..., help="Goal id."),
    new_status: str = typer.Argument(..., help="active, on_hold, achieved, revised or discontinued."),
    reason: str | None = typer.Option(None, "--reason", help="Why."),
    as_json: bool = typer.Option(False, "--json", help="Print the goal as JSON."),
) -> None:
    """Change a goal's status along the lifecycle; activation re-runs the SMART check."""
    goal = goals.change_status(open_ctx(), Actor.system(), goal_id, new_status, reason=reason)
    if as_json:
        print_json(goal_to_dict(goal))
        return
    _summary(goal, "Updated")


@app.command("readiness")
def readiness(
    goal_id: int = typer.Argument(..., help="Goal id."),
    importance: int = typer.Option(..., "--importance", help="How important the change is, 0-10."),
    confidence: int = typer.Option(..., "--confidence", help="How confident of making it, 0-10."),
    context: str = typer.Option("review", "--context", help="set (goal setting) or review."),
) -> None:
    """Record the importance and confidence rulers for a goal."""
    found = goals.record_readiness(
        open_ctx(), Actor.system(), goal_id, importance=importance, confidence=confidence, context=context
    )
    err.print(f"[green]Recorded[/] importance {found.importance}, confidence {found.confidence}.")
    print_problems(found.advice, title="Advice")


@app.command("templates")
def templates(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the goal templates."""
    if as_json:
        print_json(
            [
                {
                    "id": t.id,
                    "title": t.title,
                    "behaviour": t.behaviour,
                    "direction": t.direction.value,
                    "target": {"mode": t.target.mode.value, "value": t.target.value},
                    "comparator": t.target.comparator.value,
                    "days": t.days,
                    "deadline_sessions": t.deadline_sessions,
                    "review_every_weeks": t.review_every_weeks,
                    "needs": list(t.needs),
                }
                for t in TEMPLATES
            ]
        )
        return
    table = Table("id", "title", "metric", "target", "time frame")
    for t in TEMPLATES:
        rule = t.target
        target = {"fixed": f"{rule.value:g}", "scale": f"baseline x {rule.value:g}"}.get(
            rule.mode.value, f"baseline + {rule.value:g}"
        )
        frame = f"{t.deadline_sessions} sessions" if t.deadline_sessions else f"{t.days} days"
        table.add_row(t.id, t.title, t.metric.kind.value, f"{rule.comparator.value} {target}", frame)
    out.print(table)


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    return {
        "text": s.text,
        "templates": [
            {"template_id": m.template_id, "title": m.title, "score": m.score, "matched": list(m.matched)}
            for m in s.templates
        ],
        "questions": [{"id": q.id, "text": q.text} for q in s.questions],
        "problems": problem_dicts(s.problems),
        "rewrites": list(s.rewrites),
    }


def print_suggestion(s: Suggestion) -> None:
    """Matching templates, then the open questions and the rewrites."""
    table = Table("template", "title", "score", "matched", title="Templates", title_justify="left")
    for m in s.templates:
        table.add_row(m.template_id, m.title, str(m.score), ", ".join(m.matched))
    out.print(table)
    for q in s.questions:
        out.print(f"? {q.text}")
    for rewrite in s.rewrites:
        out.print(f"-> {rewrite}")


@app.command("suggest")
def suggest_cmd(
    text_arg: str | None = typer.Argument(None, metavar="TEXT", help=_TEXT_HELP, show_default=False),
    text_opt: str | None = typer.Option(None, "--text", help=_TEXT_OPTION_HELP),
    client: int | None = typer.Option(
        None, "--client", help="Order by this client's latest needs assessment."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Templates that fit a goal written in free text, and the questions still to answer."""
    text = _free_text(text_arg, text_opt)
    if text is None:
        raise typer.BadParameter("give the goal's TEXT (or --text)")
    if client is not None:
        found = needs.suggestions(open_ctx(), Actor.system(), client, text)
    else:
        found = suggest(text)
    if as_json:
        print_json(suggestion_dict(found))
        return
    print_suggestion(found)


@app.command("gas")
def gas_cmd(
    goal_id: int = typer.Argument(..., help="Goal id."),
    file: Path | None = typer.Option(
        None,
        "--file",
        help='GAS.json to set: {"weight": 0-9, "levels": [{"level": -2..2, "description", "low", "high"}]}; '
        '{"derived": true} returns to the levels derived from baseline and target.',
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show (or with --file set) a goal's Goal Attainment Scale and weight."""
    ctx = open_ctx()
    if file is not None:
        found = gas.set_scale(ctx, Actor.system(), goal_id, read_json_file(file))
    else:
        found = gas.get_scale(ctx, Actor.system(), goal_id)
    if as_json:
        print_json(found.to_dict())
        return
    how = "derived from baseline and target" if found.scale.derived else "edited"
    table = Table("level", "description", "low", "high", title=f"GAS of goal {goal_id} ({how})")
    for lv in reversed(found.scale.levels):
        low, high = ("" if v is None else f"{v:g}" for v in (lv.low, lv.high))
        table.add_row(f"{lv.level:+d}" if lv.level else "0", lv.description, low, high)
    out.print(table)
    out.print(f"weight {found.scale.weight:g}")


def register(root: typer.Typer) -> None:
    """Add ``goalwise goal``."""
    root.add_typer(app, name="goal", help="Write, check and track SMART goals.")
