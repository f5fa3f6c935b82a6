"""Key rotation: re-encrypt every stored text with a new key, without a window of unreadable data.

Order of work, so that a crash at any point leaves everything readable:
1. write the key file with the new key first and the old keys after it (both decrypt);
2. re-encrypt every ``*_enc`` value in one transaction;
3. rewrite the key file with the new key only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, Table, bindparam, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import ConfigError, StorageError
from goalwise.services.accounts import audit, authz
from goalwise.services.accounts.crypto import Keyring, new_key, write_key_file
from goalwise.services.accounts.encrypted_columns import context_for, encrypted_columns
from goalwise.services.context import Context
from goalwise.storage.tables import key_canaries

__all__ = ["RotationResult", "rotate_key", "verify_key"]

BATCH = 500


@dataclass(frozen=True, slots=True)
class RotationResult:
    """How many values were re-encrypted."""

    values: int
    columns: int


def rotate_key(ctx: Context, actor: Actor) -> RotationResult:
    """Replace the encryption key and re-encrypt everything (local operator or admin)."""
    authz.require_role(actor, "admin")
    path = ctx.keys.path
    if path is None:
        raise ConfigError(
            "the key comes from GOALWISE_SECRET_KEY, not a file; rotate with a key file "
            "(GOALWISE_SECRET_KEY_FILE), then share its new first line"
        )
    old = ctx.keys
    fresh = new_key()
    write_key_file(path, [fresh, *old.keys])
    both = Keyring([fresh, *old.keys], path=path)
    columns = encrypted_columns()
    count = _reencrypt(ctx, both, columns)
    with ctx.db.write() as conn:
        audit.record(conn, actor, "rotate", "key", None)
    # A second sweep catches text a running server encrypted with the old key just before it
    # noticed the new key file and committed after the first sweep read its table.
    count += _reencrypt(ctx, both, columns)
    write_key_file(path, [fresh])
    ctx.keys = Keyring([fresh], path=path)
    return RotationResult(count, len(columns))


def _reencrypt(ctx: Context, both: Keyring, columns: list[tuple[Table, Column[bytes]]]) -> int:
    """Re-encrypt, in one transaction, every value not already under the current key."""
    count = 0
    with ctx.db.write() as conn:
        for table, column in columns:
            aad = context_for(table.name, column.name)
            pk = table.c.id
            rows = conn.execute(select(pk, column).where(column.is_not(None))).all()
            changes = [
                {"row_id": row_id, "blob": both.encrypt(both.decrypt(blob, context=aad), context=aad)}
                for row_id, blob in rows
                if both.key_id_of(blob) != both.current_id  # skip values an interrupted run already did
            ]
            for start in range(0, len(changes), BATCH):
                statement = (
                    update(table).where(pk == bindparam("row_id")).values({column.name: bindparam("blob")})
                )
                conn.execute(statement, changes[start : start + BATCH])
            count += len(changes)
    return count


CANARY = "goalwise key check"
_CANARY_AAD = context_for("key_canaries", "value_enc")


def verify_key(ctx: Context) -> None:
    """Refuse to run with a key that cannot read the stored text (a wrong ``GOALWISE_SECRET_KEY_FILE``).

    Reads the canary row (a known text encrypted with the key in use); on a database without one,
    first checks one stored value, if any, then writes the canary. Starting with the wrong key would
    otherwise write new text under it, leaving a database that no single key can read.
    """
    with ctx.db.read() as conn:
        blob = conn.execute(
            select(key_canaries.c.value_enc).order_by(key_canaries.c.id.desc()).limit(1)
        ).scalar()
    if blob is not None:
        _check(ctx, blob, _CANARY_AAD)
        return
    with ctx.db.read() as conn:
        for table, column in encrypted_columns():
            if table.name == "key_canaries":
                continue
            found = conn.execute(select(column).where(column.is_not(None)).limit(1)).scalar()
            if found is not None:
                _check(ctx, found, context_for(table.name, column.name))
                break
    with ctx.db.write() as conn:
        if conn.execute(select(key_canaries.c.id).limit(1)).first() is None:
            conn.execute(
                insert(key_canaries).values(
                    value_enc=ctx.keys.encrypt(CANARY, context=_CANARY_AAD), created_at=datetime.now(UTC)
                )
            )


def _check(ctx: Context, blob: bytes, aad: bytes) -> None:
    try:
        ctx.keys.decrypt(blob, context=aad)
    except StorageError as exc:
        where = ctx.keys.path or "GOALWISE_SECRET_KEY"
        raise ConfigError(
            f"the encryption key in {where} cannot read the stored data; set GOALWISE_SECRET_KEY_FILE "
            "(or GOALWISE_SECRET_KEY) to the key this database was written with"
        ) from exc
