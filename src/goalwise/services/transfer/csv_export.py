"""A client's values as one long CSV: one row per value, ready for a spreadsheet and for re-import.

Columns: ``client, metric, local_date, time, value, unit, note, denominator, kind`` (the long
format of ``goalwise import csv``). ``local_date`` and ``time`` are the client's local day and
clock time; ``value`` is written so that it reads back as the same number. UTF-8, optionally
with the byte-order mark Excel needs to recognise UTF-8.

Text cells a spreadsheet would run as a formula are neutralised (``core.transfer.cells``, built on
``core.spreadsheet.safe_cell``), in a way the importer undoes exactly.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.core.transfer.cells import format_value, neutralise
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.observations import NOTE_CONTEXT
from goalwise.services.measurement.record_store import as_utc, client_timezone
from goalwise.storage.tables import metrics, observations

__all__ = ["BOM", "COLUMNS", "export_csv"]

COLUMNS = ("client", "metric", "local_date", "time", "value", "unit", "note", "denominator", "kind")
BOM = "\ufeff"


def export_csv(ctx: Context, actor: Actor, client_id: int, *, bom: bool = False) -> str:
    """Every current value of the client as the long CSV (text); the export is audited."""
    query = (
        select(observations, metrics.c.key, metrics.c.unit, metrics.c.kind)
        .join(metrics, metrics.c.id == observations.c.metric_id)
        .where(observations.c.client_id == client_id, observations.c.superseded_at.is_(None))
        .order_by(observations.c.at, observations.c.id)
    )
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        zone = ZoneInfo(client_timezone(conn, client_id))
        for row in conn.execute(query):
            local = as_utc(row.at).astimezone(zone)
            note = ctx.keys.decrypt(row.note_enc, context=NOTE_CONTEXT)
            writer.writerow(
                [
                    client_id,
                    row.key,
                    local.date().isoformat(),
                    local.time().isoformat(),
                    format_value(row.value),
                    neutralise(row.unit),
                    neutralise(note),
                    format_value(row.denominator),
                    row.kind,
                ]
            )
        audit.record(conn, actor, "export", "observations_csv", None, client_id)
    return (BOM if bom else "") + buffer.getvalue()
