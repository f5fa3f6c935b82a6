"""``/import/{client_id}``: upload a file, see what would be stored, then store it.

The first post is always a dry run: the page lists the values the file holds (the first rows),
the metrics it would create and any bad lines, and nothing is stored. The "Store" button posts
the same file again (carried in the page, base64, in fields of 512 KB, which the form parser
accepts) with ``action=store``. Therapists import for
their clients; a client imports their own file (and their notes stay private).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from goalwise.core.errors import InvalidInput, Problem
from goalwise.interop.fhir.importer import read_fhir
from goalwise.interop.imports.daylio import parse_mood_map
from goalwise.interop.imports.files import FORMATS, ImportOptions, import_bytes
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.transfer.fhir_import import FhirImportSummary, import_questionnaires
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
_PART = 512 * 1024
_OPTION_FIELDS = ("format", "mood_map", "mapping", "date_format", "skip_bad")
FHIR = "fhir"  # PHQ-9 and GAD-7 questionnaires from a health record, not a series of values


def _form(
    request: Request, ctx: Context, auth: Auth, client_id: int, status: int = 200, **extra: Any
) -> Response:
    client = clients.get_client(ctx, auth.actor, client_id)
    formats = [*FORMATS, FHIR]
    return page(request, "import.html", status_code=status, client=client, formats=formats, **extra)


@router.get("/import/{client_id}", response_class=HTMLResponse, openapi_extra=access("client-record"))
def form(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The upload form."""
    return _form(request, ctx, auth, client_id, values={"format": "daylio"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _options(data: FormData) -> ImportOptions:
    moods, errors = parse_mood_map(_lines(str(data.get("mood_map") or "")))
    mapping = {}
    for line in _lines(str(data.get("mapping") or "")):
        source, sep, target = line.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            errors.append("Column mapping: write one HEADING=NAME per line, e.g. Sleep (h)=sleep_hours.")
        mapping[source] = target.strip()
    if errors:
        raise InvalidInput([Problem("import-options", "options", error, "") for error in errors])
    return ImportOptions(
        mood_map=moods, mapping=mapping, date_format=str(data.get("date_format") or "") or None
    )


async def _file(data: FormData) -> bytes:
    upload = data.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return await upload.read()
    try:
        carried = base64.b64decode("".join(str(part) for part in data.getlist("content_b64")), validate=True)
    except (binascii.Error, ValueError):
        carried = b""
    if not carried:
        raise InvalidInput(
            [Problem("import-empty", "file", "No file was chosen.", "Choose the exported file.")]
        )
    return carried


@router.post("/import/{client_id}", response_class=HTMLResponse, openapi_extra=access("client-record-write"))
async def submit(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """A dry run first (nothing stored); with ``action=store`` the same file is stored."""
    data = await request.form()
    values = {name: str(data.get(name) or "") for name in _OPTION_FIELDS}
    store = data.get("action") == "store"
    try:
        content = await _file(data)
        summary: Any
        if values["format"] == FHIR:
            summary = _fhir(ctx, auth, client_id, content, dry_run=not store)
        else:
            summary = import_bytes(
                ctx, auth.actor, client_id, values["format"], content, _options(data),
                dry_run=not store, skip_bad=bool(values["skip_bad"]),
            )  # fmt: skip
    except InvalidInput as exc:
        return _form(
            request, ctx, auth, client_id, 422, error=exc.message, problems=exc.problems, values=values
        )
    return _form(
        request, ctx, auth, client_id, values=values, summary=summary, stored=store,
        content_parts=_parts(base64.b64encode(content).decode()),
    )  # fmt: skip


def _fhir(ctx: Context, auth: Auth, client_id: int, content: bytes, *, dry_run: bool) -> FhirImportSummary:
    """PHQ-9 and GAD-7 QuestionnaireResponses and panel Observations, as ``goalwise import fhir``."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            [Problem("fhir-import", "file", "The file is not JSON.", "Export the FHIR bundle as JSON.")]
        ) from None
    found, problems = read_fhir(data)
    if problems:
        raise InvalidInput(problems)
    return import_questionnaires(ctx, auth.actor, client_id, found, dry_run=dry_run)


def _parts(text: str) -> list[str]:
    """The file for the confirmation form, in fields below the form parser's 1 MB limit per field."""
    return [text[start : start + _PART] for start in range(0, len(text), _PART)] or [""]
