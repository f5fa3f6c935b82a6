"""Store an imported file's values: atomic, idempotent, every problem named by its line.

A parsed file (``goalwise.core.transfer.import_batch.Parsed``, read by ``goalwise.interop.imports``) is
stored in one write transaction: the metrics it needs are created, each value is checked against
its metric, values go to ``observations`` and notes to the client's journal (encrypted), and one
``imports`` row records the file's hash, format, mapping rule and counts, with an audit event.

* **All or nothing**: a file with a bad line is refused whole, every bad line named; with
  ``skip_bad`` the good lines are stored and the bad ones listed.
* **Idempotent**: each value's ``client_ref`` is a hash of its source row; a value whose ref is
  already stored is skipped, so importing the same file again adds nothing and says so.
* **Dry run**: the same work in a transaction that is rolled back, so what it reports is exactly
  what would be stored.
* **Streamed**: a file may come as batches of lines (``Iterable[Parsed]``, see
  ``interop.imports.long_csv.iter_long_csv``); each batch is checked and stored before the next
  is read, all in the one transaction, so a million rows are never held at once and a problem on
  the last line still stores nothing. A refusal names the first :data:`MAX_PROBLEMS` problems and
  counts the rest, so that a million bad lines are counted, not held.
* Imported notes are private when a client imports their own file, and shared with the client's
  therapists when a therapist (or the local operator) imports a file the client gave them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain, compress, islice, repeat
from operator import itemgetter, methodcaller
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.measurement.observation import FUTURE_TOLERANCE, OBSERVATION_KINDS, local_day
from goalwise.core.transfer.import_batch import Entry, MetricDef, Note, Parsed, line_of
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.journal import BODY_CONTEXT
from goalwise.services.measurement.observations import NOTE_CONTEXT, value_problems
from goalwise.services.measurement.record_store import (
    MAX_TEXT,
    MetricInfo,
    client_timezone,
    resolve_at,
    resolve_metric,
)
from goalwise.services.transfer.import_problems import MAX_PROBLEMS, ProblemLog, by_line, first_problems
from goalwise.services.transfer.import_rows import RowWriter, roomy_cache
from goalwise.storage.conflict import lock_client
from goalwise.storage.tables import imports, journal_entries, metrics, observations

__all__ = ["MAX_PROBLEMS", "PREVIEW_ROWS", "ImportSummary", "Progress", "run_import"]

#: How many values a dry run lists.
PREVIEW_ROWS = 20
#: Refs asked for in one query when a client already has imported values.
_CHUNK = 500
#: Rows in one ``INSERT`` run (the progress bar moves this often).
_WRITE_ROWS = 5_000
#: Distinct instants and values remembered while checking and storing; past this it starts again.
_REMEMBERED = 4_096

#: Called with (values stored so far, values to store), so a shell can draw a progress bar.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import stored (or, in a dry run, would store)."""

    format: str
    rows: int
    imported: int
    values: int
    notes: int
    skipped: int
    rejected_lines: list[int]
    problems: list[Problem]
    new_metrics: list[str]
    dry_run: bool
    import_id: int | None = None
    preview: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the CLI's ``--json`` and the API."""
        return {
            "format": self.format,
            "rows": self.rows,
            "imported": self.imported,
            "values": self.values,
            "notes": self.notes,
            "skipped": self.skipped,
            "rejected": len(self.rejected_lines),
            "rejected_lines": self.rejected_lines,
            "problems": [p.to_dict() for p in self.problems],
            "new_metrics": self.new_metrics,
            "dry_run": self.dry_run,
            "import_id": self.import_id,
            "preview": self.preview,
        }


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def _create_metric(conn: Connection, client_id: int, spec: MetricDef, now: datetime) -> MetricInfo:
    period = None if spec.kind in ("rating", "instrument") else "day"
    new_id = conn.execute(
        insert(metrics)
        .values(
            client_id=client_id,
            key=spec.key,
            label=spec.label or spec.key,
            kind=spec.kind,
            unit=spec.unit,
            period=period,
            scale_min=spec.scale_min,
            scale_max=spec.scale_max,
            higher_is_better=spec.higher_is_better,
            created_at=now,
        )
        .returning(metrics.c.id)
    ).scalar_one()
    return MetricInfo(
        spec.key, spec.label, spec.kind, spec.unit, period, spec.scale_min, spec.scale_max,
        spec.higher_is_better, id=int(new_id),
    )  # fmt: skip


def _stored_refs(conn: Connection, client_id: int, table: Table, refs: list[str]) -> set[str]:
    """The refs of ``refs`` the client already has in ``table``."""
    stored: set[str] = set()
    for start in range(0, len(refs), _CHUNK):
        chunk = refs[start : start + _CHUNK]
        where = (table.c.client_id == client_id, table.c.client_ref.in_(chunk))
        query = select(table.c.client_ref).where(*where)
        stored.update(str(ref) for ref in conn.execute(query).scalars())
    return stored


def _has_imported(conn: Connection, client_id: int, table: Table) -> bool:
    """Whether the client has any imported row in ``table`` (none: no value of a file is stored yet)."""
    query = select(table.c.id).where(table.c.client_id == client_id, table.c.client_ref.like("imp-%"))
    return conn.execute(query.limit(1)).first() is not None


def _too_long(line: int) -> Problem:
    return Problem("text-too-long", f"line {line}", f"The note is over {MAX_TEXT} characters.", "Shorten it.")


def _encrypt(ctx: Context, note: str | None) -> bytes | None:
    return None if note is None else ctx.keys.encrypt(note, context=NOTE_CONTEXT)


def _preview(entries: list[Entry], notes: list[Note]) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = [
        {"line": e.line, "metric": e.metric, "local": e.local.isoformat(sep=" "), "value": e.value}
        for e in entries[:PREVIEW_ROWS]
    ]
    shown += [
        {"line": n.line, "metric": "journal", "local": n.local.isoformat(sep=" "), "value": None}
        for n in notes[: max(0, PREVIEW_ROWS - len(shown))]
    ]
    return shown


def run_import(
    ctx: Context,
    actor: Actor,
    client_id: int,
    parsed: Parsed | Iterable[Parsed],
    *,
    file_sha256: str,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Store ``parsed`` (one batch, or batches of lines in order) for the client in one
    transaction (see the module docstring).

    Raises ``InvalidInput`` with every problem, each naming its line, when the file has a bad
    line and ``skip_bad`` is off, or when the file as a whole is unreadable; nothing is stored.
    """
    if isinstance(parsed, Parsed):
        # A file read whole is refused before the transaction; batches are checked as they come.
        file_problems = [p for p in parsed.problems if line_of(p) == 0]
        if file_problems or (parsed.problems and not skip_bad):
            raise InvalidInput(first_problems(by_line(parsed.problems)))
    batches = [parsed] if isinstance(parsed, Parsed) else parsed
    now = datetime.now(UTC)
    try:
        with ctx.db.write() as conn:
            authz.require_client(conn, actor, client_id, write=True)
            # Imports of one client take turns (the same file sent twice at once on PostgreSQL both
            # found nothing stored and the second failed on the unique refs): the later one finds
            # the rows and counts them skipped.
            lock_client(conn, client_id)
            run = _Run(
                ctx, conn, actor, client_id, now, dry_run=dry_run, skip_bad=skip_bad, progress=progress
            )
            with roomy_cache(conn):
                for batch in batches:
                    run.add(batch)
            summary = run.finish(file_sha256)
            if dry_run:
                raise _DryRun(summary)
            return summary
    except _DryRun as done:
        return done.summary


_OBSERVATION_COLUMNS = (
    "client_id", "metric_id", "at", "local_on", "value", "denominator", "note_enc", "client_ref",
    "created_at",
)  # fmt: skip
#: A local time's UTC instant, it and its local day as the row writers take them, and whether it
#: lies in the future.
_Instant = tuple[datetime, Any, Any, bool]
_AT, _ON, _FUTURE = itemgetter(1), itemgetter(2), itemgetter(3)
#: A zoned time's UTC instant (resolve_at) and an instant's date (local_day, given the client's zone).
_IN_UTC, _DATE = methodcaller("astimezone", UTC), methodcaller("date")
#: Where an observation row (in the order of _OBSERVATION_COLUMNS) holds its note and its ref.
_NOTE_AT, _REF_AT = 6, 7
_NOTE, _REF = itemgetter(_NOTE_AT), itemgetter(_REF_AT)
_ENTRY_NOTE = itemgetter(5)  # Entry.note
#: The columns of a batch without entries (line, metric, local, value, ref, note, denominator).
_NO_COLUMNS: tuple[tuple[Any, ...], ...] = ((),) * 7

_NOTE_COLUMNS = ("client_id", "at", "local_on", "body_enc", "tags_enc", "private", "client_ref", "created_at")


class _Run:
    """One import in its transaction: each batch is checked, then its new values stored."""

    def __init__(
        self,
        ctx: Context,
        conn: Connection,
        actor: Actor,
        client_id: int,
        now: datetime,
        *,
        dry_run: bool,
        skip_bad: bool,
        progress: Progress | None,
    ) -> None:
        self.ctx, self.conn, self.actor, self.client_id, self.now = ctx, conn, actor, client_id, now
        self.dry_run, self.skip_bad, self.progress = dry_run, skip_bad, progress
        self.tz = client_timezone(conn, client_id)
        self.zone = ZoneInfo(self.tz)
        self.private = actor.role == "client" and not actor.is_system
        self.format = ""
        self.rule: dict[str, Any] = {}
        self.rows = self.values = self.notes = self.skipped = 0
        self.problems = ProblemLog(keep_all=skip_bad)
        self.rejected: list[int] = []
        self.found: dict[str, MetricInfo] = {}
        self.created: list[str] = []
        self.unknown: set[str] = set()
        self.shown_entries: list[Entry] = []
        self.shown_notes: list[Note] = []
        # Before the first batch: a client with no imported rows needs no look-up of refs at all.
        self.had = {t.name: _has_imported(conn, client_id, t) for t in (observations, journal_entries)}
        self.observation_writer = RowWriter(conn, observations, _OBSERVATION_COLUMNS)
        self.note_writer = RowWriter(conn, journal_entries, _NOTE_COLUMNS)
        self.created_at = self.observation_writer.bind("created_at", now)
        self._instants: dict[datetime, _Instant] = {}
        self._days: dict[date, Any] = {}
        self._clean: dict[tuple[str, float, float | None], bool] = {}
        self.latest = now + FUTURE_TOLERANCE  # later than this is "in the future" (as validate_value)

    def add(self, batch: Parsed) -> None:
        """Check ``batch`` and, while the file has no problem (or with ``skip_bad``), store its new values.

        The batch is worked on column by column (its entries are tuples): every step is one
        ``map`` or ``zip`` over a column, and work per distinct value (an instant, a value's
        check) is done once, so a row costs no Python call of its own on the way to the database.
        """
        self.format, self.rule = batch.format, batch.rule
        self.rows += batch.rows
        entries = batch.entries
        lines, keys, locals_, values, refs, notes, dens = (
            zip(*entries, strict=True) if entries else _NO_COLUMNS
        )
        self._resolve_metrics(batch, keys)
        ids = {key: info.id for key, info in self.found.items()}
        metric_ids = list(map(ids.get, keys))
        instants = self._instants_of(locals_)
        checks = zip(keys, values, dens, strict=True)
        problems = by_line(batch.problems + self._value_problems(batch, metric_ids, instants, checks))
        self.problems.add(problems)
        if self.problems.file or (self.problems and not self.skip_bad):
            return  # the file is refused: read on only to name its problems
        # From here every metric is known: an unknown one is a problem of the whole file.
        bad = {line_of(p) for p in problems}
        self.rejected += sorted(bad - {0})
        ats, ons = map(_AT, instants), map(_ON, instants)
        client, created = repeat(self.client_id), repeat(self.created_at)
        rows = list(zip(client, metric_ids, ats, ons, values, dens, notes, refs, created, strict=False))
        if bad:
            rows = list(compress(rows, (line not in bad for line in lines)))
        batch_notes = [n for n in batch.notes if n.line not in bad]
        stored = self._stored(observations, list(map(_REF, rows)))
        stored_notes = self._stored(journal_entries, [note.ref for note in batch_notes])
        fresh = [row for row in rows if row[_REF_AT] not in stored] if stored else rows
        fresh_notes = [n for n in batch_notes if n.ref not in stored_notes]
        self.skipped += len(rows) + len(batch_notes) - len(fresh) - len(fresh_notes)
        if self.dry_run:
            wanted = PREVIEW_ROWS - len(self.shown_entries)
            shown = (e for e in entries if e.line not in bad and e.ref not in stored)
            self.shown_entries += islice(shown, max(0, wanted))
            self.shown_notes += fresh_notes[: PREVIEW_ROWS - len(self.shown_notes)]
        else:
            self._store(fresh, fresh_notes)
        self.values += len(fresh)
        self.notes += len(fresh_notes)

    def finish(self, file_sha256: str) -> ImportSummary:
        """Refuse the file, or record the import and its audit event; the summary."""
        if self.problems.file or (self.problems and not self.skip_bad):
            raise InvalidInput(self.problems.shown())
        import_id = self.conn.execute(
            insert(imports)
            .values(
                client_id=self.client_id,
                format=self.format,
                file_sha256=file_sha256,
                options={**self.rule, "skip_bad": self.skip_bad},
                rows=self.rows,
                imported=self.values + self.notes,
                skipped=self.skipped,
                rejected=len(self.rejected),
                created_by=audit.actor_label(self.actor),
                created_at=self.now,
            )
            .returning(imports.c.id)
        ).scalar_one()
        audit.record(self.conn, self.actor, "import", "observations", import_id, self.client_id)
        return ImportSummary(
            format=self.format,
            rows=self.rows,
            imported=self.values + self.notes,
            values=self.values,
            notes=self.notes,
            skipped=self.skipped,
            rejected_lines=self.rejected,
            problems=self.problems.all(),
            new_metrics=sorted(self.created),
            dry_run=self.dry_run,
            import_id=None if self.dry_run else int(import_id),
            preview=_preview(self.shown_entries, self.shown_notes) if self.dry_run else [],
        )

    def _resolve_metrics(self, batch: Parsed, keys: Iterable[str]) -> None:
        used = set(keys) - self.found.keys() - self.unknown
        for key in sorted(used):
            spec = batch.metrics[key]
            info = resolve_metric(self.conn, self.client_id, key, self.now)
            if info is None:
                if spec.kind not in OBSERVATION_KINDS:
                    message = f"Metric {key!r:.40} has an unknown kind."
                    self.problems.add([Problem("import-kind", "file", message, "Name a known kind.")])
                    self.unknown.add(key)
                    continue
                info = _create_metric(self.conn, self.client_id, spec, self.now)
                self.created.append(key)
            self.found[key] = info

    def _instants_of(self, locals_: Sequence[datetime]) -> list[_Instant]:
        """Each local time's :meth:`_instant`, worked out once per distinct time, a column at a
        time (a million values have a third of a million instants, an hour each)."""
        distinct = list(dict.fromkeys(locals_))
        zone = self.zone
        try:
            ats = list(map(_IN_UTC, map(methodcaller("replace", tzinfo=zone), distinct)))
            days = list(map(_DATE, map(methodcaller("astimezone", zone), ats)))
        except OverflowError:  # a time at the calendar's edge: one by one, as resolve_at says
            found = {local: self._instant(local) for local in distinct}
            return list(map(found.__getitem__, locals_))
        writer = self.observation_writer
        distinct_days = list(dict.fromkeys(days))
        ons = dict(zip(distinct_days, writer.bind_all("local_on", distinct_days), strict=True))
        ats_bound = writer.bind_all("at", ats)
        futures = map(self.latest.__lt__, ats)
        instants = zip(ats, ats_bound, map(ons.__getitem__, days), futures, strict=True)
        found = dict(zip(distinct, instants, strict=True))
        return list(map(found.__getitem__, locals_))

    def _instant(self, local: datetime) -> _Instant:
        """The UTC instant of a local time, it and its local day as the row writers take them
        (``at`` and ``local_on`` have the same types in ``observations`` and ``journal_entries``),
        and whether it lies in the future (later than ``validate_value`` allows)."""
        known = self._instants.get(local)
        if known is None:
            at = resolve_at(local, self.tz, self.now)
            day = local_day(at, self.tz)
            on = self._days.get(day)
            if on is None:
                on = self._days[day] = self.observation_writer.bind("local_on", day)
            known = (at, self.observation_writer.bind("at", at), on, at > self.latest)
            if len(self._instants) >= _REMEMBERED:
                self._instants.clear()
                self._days.clear()
            self._instants[local] = known
        return known

    def _value_problems(
        self,
        batch: Parsed,
        metric_ids: list[int | None],
        instants: list[_Instant],
        checks: Iterable[tuple[str, float, float | None]],
    ) -> list[Problem]:
        """The problems of the batch's values (scale, kind, future time) and over-long notes, each
        naming its line. Most batches have none, which is found by value, not by row: each distinct
        (metric, value, denominator) of ``checks`` is checked once."""
        if None not in metric_ids and not any(map(_FUTURE, instants)):
            notes = chain(filter(None, map(_ENTRY_NOTE, batch.entries)), (n.body for n in batch.notes))
            long_note = any(len(note) > MAX_TEXT for note in notes)
            if not long_note and all(self._clean_value(*check) for check in dict.fromkeys(checks)):
                return []
        return self._line_problems(batch, instants)

    def _clean_value(self, key: str, value: float, denominator: float | None) -> bool:
        """Whether the value has no problem at a time that is not in the future (the same for every
        line with it: the metric is fixed for the import)."""
        check = (key, value, denominator)
        clean = self._clean.get(check)
        if clean is None:
            clean = not value_problems(self.found[key], value, denominator=denominator)
            if len(self._clean) >= _REMEMBERED:
                self._clean.clear()
            self._clean[check] = clean
        return clean

    def _line_problems(self, batch: Parsed, instants: list[_Instant]) -> list[Problem]:
        """Every problem of the batch's values and notes, line by line (a batch with a problem)."""
        problems = []
        now = self.now
        for entry, (at, _, _, future) in zip(batch.entries, instants, strict=True):
            if entry.metric not in self.found:
                continue
            metric = self.found[entry.metric]
            if not self._clean_value(entry.metric, entry.value, entry.denominator) or future:
                where = f"line {entry.line}"
                found_here = value_problems(
                    metric, entry.value, field=where, denominator=entry.denominator, at=at, now=now
                )
                # Problems with the time or denominator name those fields; a file's user looks for the line.
                problems += [Problem(p.code, where, p.message, p.hint) for p in found_here]
            if entry.note is not None and len(entry.note) > MAX_TEXT:
                problems.append(_too_long(entry.line))
        problems += [_too_long(note.line) for note in batch.notes if len(note.body) > MAX_TEXT]
        return problems

    def _stored(self, table: Table, refs: list[str]) -> set[str]:
        """The refs of ``refs`` already stored for the client (none looked up when it has no import)."""
        if not refs or not self.had[table.name]:
            return set()
        return _stored_refs(self.conn, self.client_id, table, refs)

    def _store(self, rows: list[tuple[Any, ...]], notes: list[Note]) -> None:
        """Insert the rows (their notes encrypted here) and the notes, moving the progress bar."""
        total = self.values + self.notes + len(rows) + len(notes)
        done = self.values + self.notes
        ctx = self.ctx
        for start in range(0, len(rows), _WRITE_ROWS):
            chunk = rows[start : start + _WRITE_ROWS]
            if any(map(_NOTE, chunk)):
                chunk = [
                    row
                    if row[_NOTE_AT] is None
                    else (*row[:_NOTE_AT], _encrypt(ctx, row[_NOTE_AT]), *row[_REF_AT:])
                    for row in chunk
                ]
            self.observation_writer.write(chunk)
            done += len(chunk)
            if self.progress is not None:
                self.progress(done, total)
        if notes:
            self.note_writer.write([self._note_row(note) for note in notes])
            if self.progress is not None:
                self.progress(total, total)

    def _note_row(self, note: Note) -> tuple[Any, ...]:
        _, at, on, _ = self._instant(note.local)
        body = self.ctx.keys.encrypt(note.body, context=BODY_CONTEXT)
        private = self.note_writer.bind("private", self.private)
        return (self.client_id, at, on, body, None, private, note.ref, self.created_at)
