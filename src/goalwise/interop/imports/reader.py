"""Reading a CSV file for an importer: text from bytes, and line-numbered records."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from operator import itemgetter

from goalwise.core.transfer.import_batch import Parsed

__all__ = [
    "MAX_MEMBER_BYTES",
    "ZIP_ERRORS",
    "Tick",
    "csv_blocks",
    "csv_rows",
    "decode_text",
    "text_lines",
    "zip_member",
]

#: Called with the line number just read, so a shell can draw a progress bar.
Tick = Callable[[int], None]


def decode_text(data: bytes, parsed: Parsed) -> str | None:
    """The file as text (UTF-8, with or without Excel's BOM); None and a problem otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        parsed.problem(
            line,
            "import-encoding",
            "The file is not UTF-8 text.",
            "Export it again, or save it from the spreadsheet as 'CSV UTF-8'.",
        )
        return None
    if "\x00" in text:
        parsed.problem(
            text[: text.index("\x00")].count("\n") + 1,
            "import-binary",
            "The file holds binary data (a NUL character), not CSV text.",
            "Choose the exported .csv file.",
        )
        return None
    return text


def text_lines(data: bytes, parsed: Parsed) -> Iterable[str] | None:
    """The file's lines, decoded as they are read; None and a problem as :func:`decode_text`.

    A long file is never held as one string: a ``StringIO`` of a 30 MB file holds it as four
    bytes a character (120 MB) while it is read.
    """
    if decode_text(data, parsed) is None:  # checks the whole file first, so a problem names its line
        return None
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def csv_rows(
    text: str | Iterable[str], parsed: Parsed, tick: Tick | None = None, first_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank CSV record; a malformed record becomes a problem.

    ``first_line`` is the number of the first line of ``text`` (a file read on from a later line)."""
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, strict=True)
    offset = first_line - 1
    last = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            parsed.problem(
                offset + last + 1,
                "import-csv",
                "This line is not valid CSV (a stray quote or an unclosed quoted cell).",
                "Check the quotes on this line, or export the file again.",
            )
            return
        # A quoted cell may span lines: a record is named by the line it starts on.
        start, last = last + 1, reader.line_num
        if tick is not None:
            tick(offset + last)
        # Most lines start with a cell that is not blank: skip the look at every cell.
        if (row and row[0].strip()) or any(cell.strip() for cell in row):
            yield offset + start, row


def csv_blocks(
    lines: Iterable[str], parsed: Parsed, tick: Tick | None = None, size: int = 10_000
) -> Iterator[list[tuple[int, list[str]]]]:
    """:func:`csv_rows` a block of up to ``size`` lines at a time: the records of each block.

    A block whose lines are one record each (nearly every file) is read by one call of
    ``csv.reader`` and numbered with ``range``, not record by record in Python; a block with a
    record over several lines is read by :func:`csv_rows`, and from a malformed record or a
    quoted cell that runs past the block's end on, the rest of the file is, so that every record
    is read and numbered as :func:`csv_rows` reads it. ``tick`` is called once a block.
    """
    source = iter(lines)
    first = 1  # the number of the block's first line
    while block := list(islice(source, size)):
        try:
            rows = list(csv.reader(block, strict=True))
        except csv.Error:
            yield from _blocks(csv_rows(chain(block, source), parsed, tick, first), size)
            return
        if len(rows) != len(block):  # a record over several lines: numbered as csv_rows does
            records = list(csv_rows(block, parsed, None, first))
        elif all(rows) and all(map(str.strip, map(_FIRST_CELL, rows))):
            records = list(zip(range(first, first + len(rows)), rows, strict=True))
        else:  # blank records (an empty line, or only blank cells) are left out, as by csv_rows
            numbered = zip(range(first, first + len(rows)), rows, strict=True)
            records = [(line, row) for line, row in numbered if any(cell.strip() for cell in row)]
        first += len(block)
        if tick is not None:
            tick(first - 1)
        yield records


_FIRST_CELL = itemgetter(0)


def _blocks(records: Iterator[tuple[int, list[str]]], size: int) -> Iterator[list[tuple[int, list[str]]]]:
    while block := list(islice(records, size)):
        yield block


#: Everything a damaged or unusual zip may raise while it is opened or read.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    zlib.error,
)
#: The most a member of an imported zip may unpack to (a guard against zip bombs).
MAX_MEMBER_BYTES = 64 * 1024 * 1024


def zip_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes; ``ValueError`` when it would unpack to more than :data:`MAX_MEMBER_BYTES`."""
    if archive.getinfo(name).file_size > MAX_MEMBER_BYTES:
        raise ValueError("zip member too large")
    with archive.open(name) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ValueError("zip member too large")
    return data
