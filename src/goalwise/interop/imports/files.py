"""The importers' one entry point for the shells: bytes (or a path) in, a stored import out.

``FORMATS`` maps each format name of ``goalwise import FORMAT`` and of the upload page to its
parser; a new format is one more entry (``register_format``). :func:`import_bytes` parses a
file and hands it to ``services.transfer.imports.run_import``, which stores it in one
transaction. A format in ``STREAMS`` (the generic CSV, the one that holds a million rows) is
handed over in batches as it is read, so a long file is never held whole as values.
:func:`read_path` is the thin file I/O of the command line (Loop's export may be its zip, its
folder, or ``Habits.csv`` with ``Checkmarks.csv`` beside it).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.core.transfer.import_batch import Parsed, line_problem
from goalwise.interop.imports.bearable import parse_bearable
from goalwise.interop.imports.daylio import parse_daylio, parse_daylio_backup
from goalwise.interop.imports.emoods import parse_emoods
from goalwise.interop.imports.long_csv import iter_long_csv, parse_long_csv
from goalwise.interop.imports.loop import parse_loop_zip
from goalwise.interop.imports.reader import ZIP_ERRORS, Tick, zip_member
from goalwise.services.context import Context
from goalwise.services.transfer.imports import ImportSummary, Progress, run_import

__all__ = [
    "FORMATS",
    "STREAMS",
    "ImportOptions",
    "Parser",
    "StreamParser",
    "import_bytes",
    "parse_bytes",
    "read_path",
    "register_format",
]

#: The largest file an import reads (a decade of Daylio entries is a few megabytes).
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Options of one import: Daylio's mood labels, a spreadsheet's column mapping and date format."""

    mood_map: Mapping[str, int] = field(default_factory=dict)
    mapping: Mapping[str, str] = field(default_factory=dict)
    date_format: str | None = None


Parser = Callable[[bytes, ImportOptions, Tick | None], Parsed]


def _daylio(data: bytes, options: ImportOptions, tick: Tick | None) -> Parsed:
    if data[:2] == b"PK":  # a zip: the .daylio backup
        return parse_daylio_backup(data, tick)
    return parse_daylio(data, options.mood_map, tick)


_EMOODS_ZIP_ERRORS: tuple[type[BaseException], ...] = (*ZIP_ERRORS, StopIteration)


def _emoods(data: bytes, options: ImportOptions, tick: Tick | None) -> Parsed:
    if data[:2] == b"PK":  # the .emoods backup itself: read its entry.csv
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                name = next(n for n in archive.namelist() if n.lower().endswith("entry.csv"))
                data = zip_member(archive, name)
        except _EMOODS_ZIP_ERRORS:
            data = b"\x00"  # reported as "not CSV text" by the parser
    return parse_emoods(data, tick)


FORMATS: dict[str, Parser] = {
    "daylio": _daylio,
    "emoods": _emoods,
    "bearable": lambda data, options, tick: parse_bearable(data, tick),
    "loop": lambda data, options, tick: parse_loop_zip(data, tick),
    "csv": lambda data, options, tick: parse_long_csv(
        data, options.mapping, date_format=options.date_format, tick=tick
    ),
}


StreamParser = Callable[[bytes, ImportOptions, Tick | None], Iterable[Parsed]]

#: Formats that are also read in batches (the same values as their ``FORMATS`` parser gives).
STREAMS: dict[str, StreamParser] = {
    "csv": lambda data, options, tick: iter_long_csv(
        data, options.mapping, date_format=options.date_format, tick=tick
    ),
}


def register_format(name: str, parser: Parser) -> None:
    """Add an import format (its name becomes ``goalwise import NAME`` and an upload choice)."""
    FORMATS[name] = parser
    STREAMS.pop(name, None)  # a format registered again is read by its new parser


def _refused(fmt: str, data: bytes) -> Parsed | None:
    """A batch holding the one problem that stops any reading of the file, or None."""
    if fmt not in FORMATS:
        raise InvalidInput(
            [line_problem(0, "import-format", "Unknown import format.", f"Use one of {', '.join(FORMATS)}.")]
        )
    if len(data) > MAX_FILE_BYTES:
        parsed = Parsed(fmt)
        parsed.problem(
            0, "import-size", f"The file is over {MAX_FILE_BYTES // 1_048_576} MB.", "Split it by year."
        )
        return parsed
    return None


def parse_bytes(fmt: str, data: bytes, options: ImportOptions, tick: Tick | None = None) -> Parsed:
    """The file parsed by the ``fmt`` importer; a file over the size limit is one problem."""
    return _refused(fmt, data) or FORMATS[fmt](data, options, tick)


def _batches(fmt: str, data: bytes, options: ImportOptions, tick: Tick | None) -> Parsed | Iterable[Parsed]:
    """The file parsed by the ``fmt`` importer, in batches when the format streams."""
    refused = _refused(fmt, data)
    if refused is not None:
        return refused
    if fmt in STREAMS:
        return STREAMS[fmt](data, options, tick)
    return FORMATS[fmt](data, options, tick)


def import_bytes(
    ctx: Context,
    actor: Actor,
    client_id: int,
    fmt: str,
    data: bytes,
    options: ImportOptions,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    tick: Tick | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Parse ``data`` as ``fmt`` and store it for the client (see ``services.transfer.imports``)."""
    parsed = _batches(fmt, data, options, tick)
    digest = hashlib.sha256(data).hexdigest()
    return run_import(
        ctx,
        actor,
        client_id,
        parsed,
        file_sha256=digest,
        dry_run=dry_run,
        skip_bad=skip_bad,
        progress=progress,
    )


def _loop_zip(folder: Path) -> bytes:
    """Habits.csv and Checkmarks.csv from a folder, packed as Loop's export zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("Habits.csv", "Checkmarks.csv"):
            path = folder / name
            if not path.is_file():
                raise InvalidInput(
                    [
                        line_problem(
                            0,
                            "loop-files",
                            f"{name} is not beside the file given.",
                            "Give the export's zip or its folder.",
                        )
                    ]
                )
            archive.writestr(name, path.read_bytes())
    return buffer.getvalue()


def read_path(fmt: str, path: Path) -> bytes:
    """The bytes an import of ``path`` reads (for Loop, a folder or Habits.csv is packed as its zip)."""
    if fmt == "loop" and (path.is_dir() or path.name.lower() in ("habits.csv", "checkmarks.csv")):
        return _loop_zip(path if path.is_dir() else path.parent)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(
            [
                line_problem(
                    0,
                    "import-size",
                    f"The file is over {MAX_FILE_BYTES // 1_048_576} MB.",
                    "Split it by year.",
                )
            ]
        )
    return path.read_bytes()
