"""Export, erasure with typed confirmation, the append-only audit log, and encryption at rest."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound, StorageError
from goalwise.services.accounts.crypto import Keyring, load_keyring, new_key
from goalwise.services.accounts.encrypted_columns import encrypted_columns
from goalwise.services.accounts.keys import rotate_key
from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.storage.tables import audit_events, clients, journal_entries, metrics, shares, users
from goalwise.storage.tables import observations as observations_table


def _journal(ctx: Context, client_id: int, body: str) -> int:
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        return int(
            conn.execute(
                insert(journal_entries)
                .values(
                    client_id=client_id,
                    at=now,
                    local_on=date.today(),
                    private=True,
                    created_at=now,
                    body_enc=ctx.keys.encrypt(body, context=b"journal_entries.body_enc"),
                )
                .returning(journal_entries.c.id)
            ).scalar_one()
        )


def test_export_holds_decrypted_records_as_json_and_csv(ctx: Context, cast: Cast) -> None:
    _journal(ctx, cast.client_a.client_id, "Walked to the park.")  # type: ignore[arg-type]
    data = privacy.export_client(ctx, cast.client_a.actor, cast.client_a.client_id)  # type: ignore[arg-type]
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {"client.json", "journal_entries.csv", "README.txt"} <= set(archive.namelist())
    content = json.loads(archive.read("client.json"))
    assert content["journal_entries"][0]["body"] == "Walked to the park."
    assert content["client"][0]["name"] == "Client A"
    assert "token_hash" not in json.dumps(content)
    with pytest.raises(NotFound):
        privacy.export_client(ctx, cast.client_b.actor, cast.client_a.client_id)  # type: ignore[arg-type]
    with ctx.db.read() as conn:
        assert conn.execute(select(audit_events).where(audit_events.c.action == "export")).first()


def test_erasure_needs_the_typed_name_and_keeps_an_audit_stub(ctx: Context, cast: Cast) -> None:
    cid = cast.client_a.client_id
    _journal(ctx, cid, "private text")  # type: ignore[arg-type]
    from goalwise.services.measurement import observations
    from goalwise.services.sharing import sharing

    observations.log(ctx, cast.client_a.actor, cid, "mood", 6)  # type: ignore[arg-type]
    sharing.create_share(ctx, cast.client_a.actor, label="Mum", sections=["assessments"], goal_ids=[])
    with pytest.raises(InvalidInput) as info:
        privacy.delete_client(ctx, cast.client_a.actor, cid, "client a")  # type: ignore[arg-type]
    assert info.value.problems[0].field == "confirm"
    privacy.delete_client(ctx, cast.client_a.actor, cid, "Client A")  # type: ignore[arg-type]
    with ctx.db.read() as conn:
        assert conn.execute(select(clients).where(clients.c.id == cid)).first() is None
        for table in (journal_entries, metrics, observations_table, shares):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0, table.name
        assert conn.execute(select(users).where(users.c.email == "a@example.org")).first() is None
        stub = conn.execute(select(audit_events).where(audit_events.c.action == "erase")).one()
    assert stub.client_id == cid


def test_audit_entries_cannot_be_changed_or_deleted(ctx: Context, cast: Cast) -> None:
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(audit_events)).scalar_one() > 0
    with pytest.raises(DBAPIError, match="append-only"), ctx.db.write() as conn:
        conn.execute(update(audit_events).values(action="tampered"))
    with pytest.raises(DBAPIError, match="append-only"), ctx.db.write() as conn:
        conn.execute(delete(audit_events))
    if ctx.db.dialect == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), ctx.db.write() as conn:
            conn.execute(text("TRUNCATE audit_events"))


def test_encrypted_columns_hold_no_plain_text(ctx: Context, cast: Cast) -> None:
    secret = "I felt the panic rise on the bus"
    entry = _journal(ctx, cast.client_a.client_id, secret)  # type: ignore[arg-type]
    with ctx.db.read() as conn:
        raw = conn.execute(
            select(journal_entries.c.body_enc).where(journal_entries.c.id == entry)
        ).scalar_one()
    assert secret.encode() not in bytes(raw)
    assert ctx.keys.decrypt(raw, context=b"journal_entries.body_enc") == secret
    assert ("journal_entries", "body_enc") in {(t.name, c.name) for t, c in encrypted_columns()}


def test_key_rotation_keeps_every_entry_readable(ctx: Context, cast: Cast) -> None:
    ids = [_journal(ctx, cast.client_a.client_id, f"entry {i}") for i in range(3)]  # type: ignore[arg-type]
    old_id = ctx.keys.current_id
    result = rotate_key(ctx, cast.admin.actor)
    assert result.values >= 3
    assert ctx.keys.current_id != old_id
    fresh = load_keyring(ctx.keys.path, create=False)  # type: ignore[arg-type]
    assert len(fresh.keys) == 1  # the old key is gone from the file
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(journal_entries.c.id, journal_entries.c.body_enc)
            .where(journal_entries.c.id.in_(ids))
            .order_by(journal_entries.c.id)
        ).all()
    assert [fresh.decrypt(r.body_enc, context=b"journal_entries.body_enc") for r in rows] == [
        "entry 0",
        "entry 1",
        "entry 2",
    ]


def test_a_wrong_key_is_a_clear_error_not_garbage(ctx: Context, cast: Cast) -> None:
    entry = _journal(ctx, cast.client_a.client_id, "text")  # type: ignore[arg-type]
    with ctx.db.read() as conn:
        raw = conn.execute(
            select(journal_entries.c.body_enc).where(journal_entries.c.id == entry)
        ).scalar_one()
    stranger = Keyring([new_key()])
    with pytest.raises(StorageError, match="GOALWISE_SECRET_KEY_FILE"):
        stranger.decrypt(raw, context=b"journal_entries.body_enc")
    with pytest.raises(StorageError, match="integrity"):  # right key, wrong column
        ctx.keys.decrypt(raw, context=b"shares.message_enc")


def test_the_app_refuses_to_start_with_a_key_that_cannot_read_the_data(
    ctx: Context, cast: Cast, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from goalwise.core.errors import ConfigError
    from goalwise.services.accounts.crypto import write_key_file
    from goalwise.web.app import create_app

    _journal(ctx, cast.client_a.client_id, "text")  # type: ignore[arg-type]
    other = tmp_path / "other.key"
    write_key_file(other, [new_key()])
    with pytest.raises(ConfigError, match="cannot read the stored data"):
        create_app(ctx.settings.model_copy(update={"secret_key_file": other}), ctx.db)


def test_a_running_process_picks_up_a_rotated_key(ctx: Context, cast: Cast) -> None:
    import os

    server_keys = load_keyring(ctx.keys.path, create=False)  # type: ignore[arg-type]
    _journal(ctx, cast.client_a.client_id, "before rotation")  # type: ignore[arg-type]
    rotate_key(ctx, cast.admin.actor)  # as `goalwise keys rotate` in another process would
    path = ctx.keys.path
    assert path is not None
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # coarse clocks
    blob = server_keys.encrypt("after rotation", context=b"journal_entries.body_enc")
    assert blob is not None and server_keys.key_id_of(blob) == ctx.keys.current_id
