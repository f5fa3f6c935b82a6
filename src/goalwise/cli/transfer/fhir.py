"""``goalwise export fhir --client ID -o FILE`` (a client's record as a FHIR R4 Bundle) and
``goalwise import fhir FILE --client ID`` (PHQ-9 and GAD-7 answers from a FHIR file)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_ctx, print_json
from goalwise.cli.transfer.export import export_app
from goalwise.cli.transfer.imports import ClientOpt, DryRunOpt, FileArg, JsonOpt, import_app
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem

__all__ = ["register"]


def fhir_export(
    client: int = typer.Option(..., "--client", help="The client's id (see `goalwise client list`)."),
    output: Path = typer.Option(..., "-o", "--output", help="The JSON file to write ('-' for stdout)."),
) -> None:
    """Patient, Goals, Observations, QuestionnaireResponses and the CarePlan as one FHIR R4 Bundle."""
    from goalwise.interop.fhir.export import client_bundle  # fhir.resources loads only for this command

    bundle = client_bundle(open_ctx(), Actor.system(), client)
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if str(output) == "-":
        print(text, end="")
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"Wrote {len(bundle['entry'])} FHIR resources to {output}.", markup=False, highlight=False)


def fhir_import(
    file: Path = FileArg,
    client: int = ClientOpt,
    dry_run: bool = DryRunOpt,
    as_json: bool = JsonOpt,
) -> None:
    """PHQ-9 and GAD-7 QuestionnaireResponses and panel Observations from a FHIR JSON file."""
    from goalwise.interop.fhir.importer import read_fhir
    from goalwise.services.transfer.fhir_import import import_questionnaires

    try:
        data = json.loads(file.read_bytes())
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            [Problem("fhir-import", "file", "The file is not JSON.", "Export FHIR as JSON.")]
        ) from None
    found, problems = read_fhir(data)
    if problems:
        raise InvalidInput(problems)
    summary = import_questionnaires(open_ctx(), Actor.system(), client, found, dry_run=dry_run)
    if as_json:
        print_json({"imported": summary.imported, "skipped": summary.skipped, "dry_run": summary.dry_run,
                    "by_instrument": summary.by_instrument})  # fmt: skip
        return
    if summary.imported == 0 and summary.skipped:
        err.print(f"Nothing new: all {summary.skipped} questionnaires of this file are already stored.")
        return
    verb = "Would import" if dry_run else "Imported"
    each = ", ".join(f"{code} {n}" for code, n in sorted(summary.by_instrument.items())) or "none"
    err.print(f"{verb} {summary.imported} questionnaires ({each}); {summary.skipped} already stored.")


def register(app: typer.Typer) -> None:
    """Add ``goalwise export fhir`` and ``goalwise import fhir``."""
    export_app.command("fhir")(fhir_export)
    import_app.command("fhir")(fhir_import)
