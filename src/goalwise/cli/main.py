"""The ``goalwise`` command: command groups, and the one place errors become output.

Every command parses its arguments, calls one service, and renders the result. Errors end as
one red line on stderr and exit code 1; usage errors exit 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperOption

from goalwise import __version__
from goalwise.cli import db, serve
from goalwise.cli.clinic import client, demo
from goalwise.cli.runtime import err
from goalwise.core.errors import GoalwiseError, InvalidInput

__all__ = ["app", "main", "run"]


def _flag_type(option: TyperOption, ctx: Any) -> str | None:
    # Typer labels every option with its type, flags included ("--json <bool>"), which reads as
    # if the flag took a value. A flag (including --help and --x/--no-x pairs) shows no type.
    return None if option.is_flag else _option_type(option, ctx)


_option_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign,assignment]

app = typer.Typer(
    name="goalwise",
    help="Goalwise: SMART therapy goals and measurement-based care.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"goalwise {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Goalwise: SMART therapy goals and measurement-based care."""


app.add_typer(db.app, name="db", help="Create or migrate the database and show its schema version.")
app.add_typer(client.app, name="client", help="Add and list clients.")
app.command("demo", help="Load a demo clinic of synthetic clients into an empty database.")(demo.demo)
app.command("serve", help="Serve the web app and the JSON API.")(serve.serve)


def _register_command_modules() -> None:
    """Every other module of this package that defines ``register(app)`` adds its commands.

    Adding a command group is adding a module; ``goalwise --help`` lists them all.
    """
    package = importlib.import_module("goalwise.cli")
    found = [
        info for info in pkgutil.walk_packages(package.__path__, prefix="goalwise.cli.") if not info.ispkg
    ]
    # Sorted by the module's own name, so that ``goalwise --help`` lists groups in the same order
    # whichever capability folder holds them.
    for info in sorted(found, key=lambda m: m.name.rsplit(".", 1)[-1]):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf in ("main", "runtime", "db", "client", "demo", "serve") or leaf.startswith("_"):
            continue
        module = importlib.import_module(info.name)
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


_register_command_modules()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit code (used by tests and ``run``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = app(args=args, prog_name="goalwise", standalone_mode=False)
    except GoalwiseError as exc:
        if debug:
            raise
        _print_error(exc)
        return 1
    except KeyboardInterrupt:
        err.print("[red]Aborted.[/]")
        return 1
    except Exception as exc:
        # Typer ships its own copy of click, so match click's exceptions by name, not by class.
        kind = {cls.__name__ for cls in type(exc).__mro__}
        if "Exit" in kind:
            return int(getattr(exc, "exit_code", 0))
        if "Abort" in kind:
            err.print("[red]Aborted.[/]")
            return 1
        if "ClickException" in kind:
            exc.show(file=sys.stderr)  # type: ignore[attr-defined]
            return 2 if "UsageError" in kind else int(getattr(exc, "exit_code", 1))
        if debug:
            raise
        err.print(
            f"[red]error:[/] unexpected {type(exc).__name__}; run again with --debug for details",
            soft_wrap=True,
        )
        return 1
    return result if isinstance(result, int) else 0


def _print_error(exc: GoalwiseError) -> None:
    """One red line per problem: what is wrong and how to fix it."""
    if isinstance(exc, InvalidInput) and exc.problems:
        for problem in exc.problems:
            hint = f" {problem.hint}" if problem.hint else ""
            err.print(f"[red]error:[/] {problem.field}: ", end="", soft_wrap=True)
            err.print(f"{problem.message}{hint}", markup=False, highlight=False, soft_wrap=True)
        return
    err.print("[red]error:[/] ", end="")
    err.print(exc.message, markup=False, highlight=False, soft_wrap=True)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
