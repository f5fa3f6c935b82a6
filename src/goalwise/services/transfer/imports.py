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
* Imported notes are private when a client imports their own file, and shared with the client's
  therapists when a therapist (or the local operator) imports a file the client gave them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.measurement.observation import OBSERVATION_KINDS, local_day
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
from goalwise.storage.conflict import lock_client
from goalwise.storage.tables import imports, journal_entries, metrics, observations

__all__ = ["MAX_PROBLEMS", "PREVIEW_ROWS", "ImportSummary", "Progress", "run_import"]

#: How many values a dry run lists.
PREVIEW_ROWS = 20
#: How many problems a refusal names one by one (a file with one systematic mistake has thousands).
MAX_PROBLEMS = 50
_CHUNK = 500
_ONE_QUERY = 5_000

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


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=line_of)


def _shown(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, and one more that counts the rest."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = problems[MAX_PROBLEMS:]
    lines = len({line_of(p) for p in rest})
    more = Problem(
        "import-more-problems",
        "file",
        f"{len(rest)} more problems on {lines} more lines.",
        "Fix the lines above (often one cause), or run with --dry-run --skip-bad --json for the full list.",
    )
    return [*problems[:MAX_PROBLEMS], more]


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


def _resolve_metrics(
    conn: Connection, client_id: int, parsed: Parsed, now: datetime
) -> tuple[dict[str, MetricInfo], list[str], list[Problem]]:
    used = {entry.metric for entry in parsed.entries}
    found: dict[str, MetricInfo] = {}
    created: list[str] = []
    problems: list[Problem] = []
    for key in sorted(used):
        spec = parsed.metrics[key]
        info = resolve_metric(conn, client_id, key, now)
        if info is None:
            if spec.kind not in OBSERVATION_KINDS:
                message = f"Metric {key!r:.40} has an unknown kind."
                problems.append(Problem("import-kind", "file", message, "Name a known kind."))
                continue
            info = _create_metric(conn, client_id, spec, now)
            created.append(key)
        found[key] = info
    return found, created, problems


def _stored_refs(conn: Connection, client_id: int, table: Any, refs: list[str]) -> set[str]:
    """The refs of ``refs`` the client already has in ``table``."""
    if len(refs) > _ONE_QUERY:
        # A long file: one pass over the client's imported refs beats hundreds of IN queries.
        query = select(table.c.client_ref).where(
            table.c.client_id == client_id, table.c.client_ref.like("imp-%")
        )
        return {str(ref) for ref in conn.execute(query).scalars()} & set(refs)
    stored: set[str] = set()
    for start in range(0, len(refs), _CHUNK):
        chunk = refs[start : start + _CHUNK]
        where = (table.c.client_id == client_id, table.c.client_ref.in_(chunk))
        query = select(table.c.client_ref).where(*where)
        stored.update(str(ref) for ref in conn.execute(query).scalars())
    return stored


def _too_long(line: int) -> Problem:
    return Problem("text-too-long", f"line {line}", f"The note is over {MAX_TEXT} characters.", "Shorten it.")


def _value_problems(
    entries: list[Entry], notes: list[Note], found: dict[str, MetricInfo], tz: str, now: datetime
) -> list[Problem]:
    problems = []
    for entry in entries:
        metric = found.get(entry.metric)
        if metric is None:
            continue
        at = resolve_at(entry.local, tz, now)
        where = f"line {entry.line}"
        found_here = value_problems(
            metric, entry.value, field=where, denominator=entry.denominator, at=at, now=now
        )
        # Problems with the time or denominator name those fields; a file's user looks for the line.
        problems += [Problem(p.code, where, p.message, p.hint) for p in found_here]
        if entry.note is not None and len(entry.note) > MAX_TEXT:
            problems.append(_too_long(entry.line))
    problems += [_too_long(note.line) for note in notes if len(note.body) > MAX_TEXT]
    return problems


def _observation_rows(
    ctx: Context, entries: list[Entry], found: dict[str, MetricInfo], client_id: int, tz: str, now: datetime
) -> Iterator[dict[str, Any]]:
    # A generator: rows are built chunk by chunk as they are inserted, never a million at once.
    for entry in entries:
        at = resolve_at(entry.local, tz, now)
        yield (
            {
                "client_id": client_id,
                "metric_id": found[entry.metric].id,
                "at": at,
                "local_on": local_day(at, tz),
                "value": entry.value,
                "denominator": entry.denominator,
                "note_enc": _encrypt(ctx, entry.note),
                "client_ref": entry.ref,
                "created_at": now,
                "superseded_at": None,
                "replaces_id": None,
            }
        )


def _encrypt(ctx: Context, note: str | None) -> bytes | None:
    return None if note is None else ctx.keys.encrypt(note, context=NOTE_CONTEXT)


def _note_rows(
    ctx: Context, notes: list[Note], client_id: int, tz: str, now: datetime, private: bool
) -> list[dict[str, Any]]:
    rows = []
    for note in notes:
        at = resolve_at(note.local, tz, now)
        rows.append(
            {
                "client_id": client_id,
                "at": at,
                "local_on": local_day(at, tz),
                "body_enc": ctx.keys.encrypt(note.body, context=BODY_CONTEXT),
                "tags_enc": None,
                "private": private,
                "client_ref": note.ref,
                "created_at": now,
            }
        )
    return rows


def _insert(
    conn: Connection, table: Any, rows: Iterable[dict[str, Any]], tick: Callable[[int], None]
) -> None:
    found = iter(rows)
    while chunk := list(islice(found, _CHUNK)):
        conn.execute(insert(table), chunk)
        tick(len(chunk))


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
    parsed: Parsed,
    *,
    file_sha256: str,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Store ``parsed`` for the client in one transaction (see the module docstring).

    Raises ``InvalidInput`` with every problem, each naming its line, when the file has a bad
    line and ``skip_bad`` is off, or when the file as a whole is unreadable; nothing is stored.
    """
    file_problems = [p for p in parsed.problems if line_of(p) == 0]
    if file_problems or (parsed.problems and not skip_bad):
        raise InvalidInput(_shown(_sorted(parsed.problems)))
    now = datetime.now(UTC)
    try:
        with ctx.db.write() as conn:
            summary = _store(
                ctx, conn, actor, client_id, parsed, file_sha256, now, dry_run, skip_bad, progress
            )
            if dry_run:
                raise _DryRun(summary)
            return summary
    except _DryRun as done:
        return done.summary


def _store(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    client_id: int,
    parsed: Parsed,
    file_sha256: str,
    now: datetime,
    dry_run: bool,
    skip_bad: bool,
    progress: Progress | None,
) -> ImportSummary:
    authz.require_client(conn, actor, client_id, write=True)
    # Imports of one client take turns (the same file sent twice at once on PostgreSQL both found
    # nothing stored and the second failed on the unique refs): the later one finds the rows and
    # counts them skipped.
    lock_client(conn, client_id)
    tz = client_timezone(conn, client_id)
    found, created, metric_problems = _resolve_metrics(conn, client_id, parsed, now)
    problems = _sorted(
        parsed.problems + metric_problems + _value_problems(parsed.entries, parsed.notes, found, tz, now)
    )
    if metric_problems or (problems and not skip_bad):
        raise InvalidInput(_shown(problems))
    bad = {line_of(p) for p in problems}
    entries = [e for e in parsed.entries if e.line not in bad and e.metric in found]
    notes = [n for n in parsed.notes if n.line not in bad]
    stored = _stored_refs(conn, client_id, observations, [e.ref for e in entries])
    stored_notes = _stored_refs(conn, client_id, journal_entries, [n.ref for n in notes])
    fresh = [e for e in entries if e.ref not in stored]
    fresh_notes = [n for n in notes if n.ref not in stored_notes]
    total, done = len(fresh) + len(fresh_notes), 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    if not dry_run:
        private = actor.role == "client" and not actor.is_system
        _insert(conn, observations, _observation_rows(ctx, fresh, found, client_id, tz, now), tick)
        _insert(conn, journal_entries, _note_rows(ctx, fresh_notes, client_id, tz, now, private), tick)
    summary = ImportSummary(
        format=parsed.format,
        rows=parsed.rows,
        imported=total,
        values=len(fresh),
        notes=len(fresh_notes),
        skipped=len(entries) + len(notes) - total,
        rejected_lines=sorted(bad - {0}),
        problems=problems,
        new_metrics=created,
        dry_run=dry_run,
        preview=_preview(fresh, fresh_notes) if dry_run else [],
    )
    import_id = conn.execute(
        insert(imports)
        .values(
            client_id=client_id,
            format=parsed.format,
            file_sha256=file_sha256,
            options={**parsed.rule, "skip_bad": skip_bad},
            rows=parsed.rows,
            imported=summary.imported,
            skipped=summary.skipped,
            rejected=len(summary.rejected_lines),
            created_by=audit.actor_label(actor),
            created_at=now,
        )
        .returning(imports.c.id)
    ).scalar_one()
    audit.record(conn, actor, "import", "observations", import_id, client_id)
    return ImportSummary(**{**_fields(summary), "import_id": None if dry_run else int(import_id)})


def _fields(summary: ImportSummary) -> dict[str, Any]:
    return {name: getattr(summary, name) for name in ImportSummary.__slots__}
