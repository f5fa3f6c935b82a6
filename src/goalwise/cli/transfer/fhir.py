"""``goalwise export fhir --client ID -o FILE``: a client's record as a FHIR R4 Bundle (JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_ctx
from goalwise.cli.transfer.export import export_app
from goalwise.core.accounts.actor import Actor

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


def register(app: typer.Typer) -> None:
    """Add ``goalwise export fhir``."""
    export_app.command("fhir")(fhir_export)
