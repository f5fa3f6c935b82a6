"""Reading a CSV file for an importer: text from bytes, and line-numbered records."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator

from goalwise.core.transfer.import_batch import Parsed

__all__ = ["MAX_MEMBER_BYTES", "ZIP_ERRORS", "Tick", "csv_rows", "decode_text", "text_lines", "zip_member"]

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
    text: str | Iterable[str], parsed: Parsed, tick: Tick | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank CSV record; a malformed record becomes a problem."""
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, strict=True)
    last = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            parsed.problem(
                last + 1,
                "import-csv",
                "This line is not valid CSV (a stray quote or an unclosed quoted cell).",
                "Check the quotes on this line, or export the file again.",
            )
            return
        # A quoted cell may span lines: a record is named by the line it starts on.
        start, last = last + 1, reader.line_num
        if tick is not None:
            tick(last)
        # Most lines start with a cell that is not blank: skip the look at every cell.
        if (row and row[0].strip()) or any(cell.strip() for cell in row):
            yield start, row


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
