"""``POST /api/v1/import/{client_id}``: import a file into the client's records.

The body is JSON: the format, the file as ``content`` (text) or ``content_base64`` (bytes, for
Daylio's ``.daylio`` backup and Loop's zip), and the options of ``goalwise import``. The answer
is the import summary (``imported``, ``skipped``, ``problems``, ...); a file with bad lines is
refused with 422 and every line's problem, unless ``skip_bad``. ``dry_run`` stores nothing.
Import bodies may be larger than other requests (:data:`IMPORT_MAX_BODY_BYTES`).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.interop.imports.files import FORMATS, ImportOptions, import_bytes
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

__all__ = ["IMPORT_MAX_BODY_BYTES", "IMPORT_PATH", "router"]

router = APIRouter(tags=["import"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]

#: Path prefix of import requests (pages and API), which accept the larger body limit.
IMPORT_PATH = "/import/"
#: The largest import request: a decade of Daylio entries is a few megabytes.
IMPORT_MAX_BODY_BYTES = 16 * 1024 * 1024


class ImportIn(BaseModel):
    """A file to import and the options of ``goalwise import``."""

    format: str = Field(description="daylio, emoods, bearable, loop or csv.")
    content: str | None = Field(default=None, description="The file as text (CSV formats).")
    content_base64: str | None = Field(default=None, description="The file's bytes, base64 (zips).")
    dry_run: bool = Field(default=False, description="Report what would be stored; store nothing.")
    skip_bad: bool = Field(default=False, description="Store the good lines and list the bad ones.")
    mood_map: dict[str, int] = Field(default_factory=dict, description="Daylio mood label -> level 1-5.")
    mapping: dict[str, str] = Field(default_factory=dict, description="Column heading -> name (csv).")
    date_format: str | None = Field(default=None, description="strptime format of dates (csv).")


def file_bytes(body: ImportIn) -> bytes:
    """The uploaded file's bytes, or ``InvalidInput`` naming what is missing or malformed."""
    if body.content_base64 is not None:
        try:
            return base64.b64decode(body.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            problem = Problem("import-base64", "content_base64", "content_base64 is not base64.", "")
            raise InvalidInput([problem]) from exc
    if body.content is None:
        raise InvalidInput([Problem("import-empty", "content", "No file was sent.", "Send content.")])
    return body.content.encode("utf-8")


def _options(body: ImportIn) -> ImportOptions:
    bad = [label for label, level in body.mood_map.items() if level not in range(1, 6)]
    if bad:
        raise InvalidInput(
            [Problem("mood-map", "mood_map", f"{len(bad)} mood label(s) have a level outside 1-5.", "")]
        )
    moods = {" ".join(label.split()).lower(): level for label, level in body.mood_map.items()}
    return ImportOptions(mood_map=moods, mapping=body.mapping, date_format=body.date_format)


@router.post(IMPORT_PATH + "{client_id}", openapi_extra=access("client-record-write"))
def import_file(client_id: int, body: ImportIn, actor: ActorDep, ctx: CtxDep) -> dict[str, Any]:
    """Import a file (dry run first if you like); answers the summary."""
    if body.format not in FORMATS:
        raise InvalidInput(
            [
                Problem(
                    "import-format", "format", "Unknown import format.", f"Use one of {', '.join(FORMATS)}."
                )
            ]
        )
    summary = import_bytes(
        ctx, actor, client_id, body.format, file_bytes(body), _options(body),
        dry_run=body.dry_run, skip_bad=body.skip_bad,
    )  # fmt: skip
    return {"ok": True, **summary.to_dict()}
