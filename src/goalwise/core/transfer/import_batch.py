"""An import batch: the values a file from another app holds, before they are stored.

Importers (``goalwise.interop.imports``) read a file into a :class:`Parsed` batch: the entries to
store, the notes for the journal, the metrics they need and every line-numbered problem; the
import service (``goalwise.services.transfer.imports``) stores a batch in one transaction.

An entry's ``ref`` is a stable hash of the source row (and the metric it feeds), stored as the
observation's ``client_ref``: importing the same file again finds every ref already stored and
adds nothing. Two identical rows in one file get distinct refs by their occurrence number, so a
file with a repeated row still round-trips.

A long file is stored batch by batch (:meth:`Parsed.take`), so it is never held whole as objects;
the occurrence counts stay with the parser, so a file's refs are the same in one batch or many.

A file of a million values makes a million entries, so this is on an import's hot path: an
:class:`Entry` is a ``NamedTuple`` (built in a quarter of the time of a frozen dataclass, and the
service unpacks it), and :meth:`Parsed.add_row` makes a row's ref and its entry in one step, with
the same ref :meth:`Parsed.row_ref` and :meth:`Parsed.add` make. A ref must never change: a file
imported before would otherwise be stored a second time when it is imported again.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import repeat, takewhile
from typing import Any, NamedTuple

from goalwise.core.errors import Problem

__all__ = ["YEARS", "Entry", "MetricDef", "Note", "Parsed", "line_of", "line_problem", "slug"]

#: Years a date in an imported file may have; anything else is a typing or export mistake.
YEARS = (1900, 2200)

#: The longest metric key (the column holds 64 characters).
_MAX_KEY = 60

_sha256 = hashlib.sha256
_HASH = type(_sha256())
_YEAR = operator.attrgetter("year")
_KEY = operator.attrgetter("key")
_FIRST_16 = operator.itemgetter(slice(16))
_FIRST_40 = operator.itemgetter(slice(40))


@dataclass(frozen=True, slots=True)
class MetricDef:
    """A metric an import needs; created for the client when it does not exist yet."""

    key: str
    label: str
    kind: str
    unit: str | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    higher_is_better: bool = True


class Entry(NamedTuple):
    """One value to store: ``local`` is the client's local date and time (no zone)."""

    line: int
    metric: str
    local: datetime
    value: float
    ref: str
    note: str | None = None
    denominator: float | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A free-text note, stored in the client's journal (encrypted)."""

    line: int
    local: datetime
    body: str
    ref: str


@dataclass
class Parsed:
    """A parsed file: what would be stored, and what is wrong (each problem names its line)."""

    format: str
    rows: int = 0
    entries: list[Entry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    metrics: dict[str, MetricDef] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rule: dict[str, Any] = field(default_factory=dict)
    # Occurrence counts of row digests (their first 16 bytes): a set for rows seen once (a million
    # rows take about 80 MB this way, twice that as a dict of hex strings), a dict for the few seen
    # again.
    _seen: set[bytes] = field(default_factory=set, repr=False)
    _repeats: dict[bytes, int] = field(default_factory=dict, repr=False)

    def bad_lines(self) -> set[int]:
        """Lines with at least one problem of severity error."""
        return {line_of(p) for p in self.problems if p.severity == "error"} - {0}

    def row_ref(self, *parts: object) -> str:
        """A stable reference for one source row; a repeated identical row gets its occurrence number."""
        try:
            text = "\x1f".join((self.format, *parts))  # type: ignore[arg-type]
        except TypeError:  # a part that is not text: the same join of each part's str()
            text = "\x1f".join(map(str, (self.format, *parts)))
        return self._occurrence(_sha256(text.encode()).digest()[:16])

    def _occurrence(self, digest: bytes) -> str:
        """A row digest as its ref: hex, and the occurrence number from the second time on."""
        if digest not in self._seen:
            self._seen.add(digest)
            return digest.hex()
        count = self._repeats.get(digest, 1)
        self._repeats[digest] = count + 1
        return f"{digest.hex()}.{count}"

    def take(self) -> Parsed:
        """The rows, entries, notes and problems read since the last take, as a batch of their own.

        This batch keeps its metrics, rule and occurrence counts (a repeated row further on still
        gets its next number) and starts empty again; take only between lines, so that a line's
        problems and values travel together.
        """
        batch = Parsed(
            self.format, self.rows, self.entries, self.notes, self.metrics, self.problems, self.rule
        )
        self.rows, self.entries, self.notes, self.problems = 0, [], [], []
        return batch

    def add(
        self,
        line: int,
        metric: MetricDef,
        local: datetime,
        value: float,
        row_ref: str,
        note: str | None = None,
        denominator: float | None = None,
    ) -> None:
        """Add a value of ``metric`` read from ``line``; the metric is remembered for creation."""
        if not YEARS[0] <= local.year <= YEARS[1] and not self._plausible(line, local):
            return
        key = metric.key
        if key not in self.metrics:
            self.metrics[key] = metric
        ref = "imp-" + _sha256(f"{row_ref}|{key}".encode()).hexdigest()[:40]
        self.entries.append(Entry(line, key, local, float(value), ref, note, denominator))

    def add_row(
        self,
        line: int,
        metric: MetricDef,
        local: datetime,
        value: float,
        parts: tuple[str, ...],
        note: str | None = None,
        denominator: float | None = None,
    ) -> None:
        """``add(line, metric, local, value, row_ref(*parts), note, denominator)`` in one step, for
        a row that holds one value and whose ``parts`` are text: the same ref and entry, with less
        work a row (a long CSV of a million rows calls it a million times)."""
        text = "\x1f".join((self.format, *parts))
        digest = _sha256(text.encode()).digest()[:16]
        seen = self._seen
        if digest in seen:
            row_ref = self._occurrence(digest)
        else:
            seen.add(digest)
            row_ref = digest.hex()
        if not YEARS[0] <= local.year <= YEARS[1]:
            self._plausible(line, local)
            return
        key = metric.key
        if key not in self.metrics:
            self.metrics[key] = metric
        ref = "imp-" + _sha256(f"{row_ref}|{key}".encode()).hexdigest()[:40]
        self.entries.append(Entry(line, key, local, float(value), ref, note, denominator))

    def add_rows(
        self,
        lines: Sequence[int],
        metrics: Sequence[MetricDef],
        locals_: Sequence[datetime],
        values: Sequence[float],
        parts: Sequence[Sequence[str]],
        notes: Sequence[str | None],
        denominators: Sequence[float | None],
    ) -> None:
        """:meth:`add_row` for many rows in order, given by column (``parts``: one column per part).

        The same entries and refs as one call a row, but every step is one ``map`` over a column,
        run by the interpreter's C code instead of a Python call a row. A row dated outside
        :data:`YEARS`, or a row seen before, sends the columns through :meth:`add_row` (the
        problems and the occurrence numbers come out the same)."""
        count = len(lines)
        if not count:
            return
        years = list(map(_YEAR, locals_))
        if min(years) < YEARS[0] or max(years) > YEARS[1]:
            rows = zip(
                lines, metrics, locals_, values, zip(*parts, strict=True), notes, denominators, strict=True
            )
            for row in rows:
                self.add_row(*row)
            return
        texts = map("\x1f".join, zip(repeat(self.format), *parts, strict=False))  # repeat() has no end
        digests = list(map(_FIRST_16, map(_HASH.digest, map(_sha256, map(str.encode, texts)))))
        seen = self._seen
        row_refs: Any = None
        if seen.isdisjoint(digests):
            before = len(seen)
            seen.update(digests)
            if len(seen) - before == count:  # no row seen before, none twice here: no occurrence numbers
                row_refs = map(bytes.hex, digests)
            else:
                seen.difference_update(digests)  # all were new: as they were, then row by row below
        if row_refs is None:
            row_refs = list(map(self._occurrence, digests))
        keys = list(map(_KEY, metrics))
        # Each key's first metric (a dict keeps the last value it is given), registered in file order.
        first = dict(zip(reversed(keys), reversed(metrics), strict=True))
        for key in dict.fromkeys(keys):
            if key not in self.metrics:
                self.metrics[key] = first[key]
        tails = {key: "|" + key for key in set(keys)}
        # f"{row_ref}|{key}" hashed, as in add_row
        keyed = map(operator.add, row_refs, map(tails.__getitem__, keys))
        refs = map("imp-".__add__, map(_FIRST_40, map(_HASH.hexdigest, map(_sha256, map(str.encode, keyed)))))
        entries = zip(lines, keys, locals_, map(float, values), refs, notes, denominators, strict=True)
        # tuple.__new__(Entry, row) is what Entry._make does, without a Python call a row.
        self.entries.extend(map(partial(tuple.__new__, Entry), entries))

    def add_note(self, line: int, local: datetime, body: str, row_ref: str) -> None:
        """Add a journal note read from ``line``."""
        if not self._plausible(line, local):
            return
        ref = "imp-" + hashlib.sha256(f"{row_ref}|note".encode()).hexdigest()[:40]
        self.notes.append(Note(line, local, body, ref))

    def _plausible(self, line: int, local: datetime) -> bool:
        if YEARS[0] <= local.year <= YEARS[1]:
            return True
        # A line's problems are the last ones recorded: look back over those only, not the whole file.
        here = f"line {line}"
        recent = takewhile(lambda p: p.field == here, reversed(self.problems))
        if not any(p.code == "import-year" for p in recent):
            message = f"The date is before {YEARS[0]} or after {YEARS[1]}."
            self.problem(line, "import-year", message, "Check the year.")
        return False

    def problem(self, line: int, code: str, message: str, hint: str = "") -> None:
        """Record a problem on ``line`` (0 for the file as a whole)."""
        self.problems.append(line_problem(line, code, message, hint))


def line_of(problem: Problem) -> int:
    """The line a problem names (0 for the whole file)."""
    match = re.fullmatch(r"line (\d+)", problem.field)
    return int(match.group(1)) if match else 0


def line_problem(line: int, code: str, message: str, hint: str = "") -> Problem:
    """A problem about ``line`` of the file (``file`` for the whole file)."""
    return Problem(code, f"line {line}" if line else "file", message, hint)


def slug(name: str, prefix: str) -> str:
    """A metric key for a free-form name: ``prefix_`` and lower-case ASCII words joined by ``_``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    short = hashlib.sha256(name.encode()).hexdigest()[:6]
    if not words:
        return f"{prefix}_{short}"
    key = f"{prefix}_{words}"
    return key if len(key) <= _MAX_KEY else f"{key[: _MAX_KEY - 7]}_{short}"
