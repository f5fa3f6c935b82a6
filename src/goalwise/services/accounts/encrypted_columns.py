"""Where encrypted text lives: every ``*_enc`` column of every table, found from the schema.

Values are encrypted with the associated data ``b"<table>.<column>"``, so a ciphertext copied
into another column fails its integrity check instead of being read as something else.
"""

from __future__ import annotations

from sqlalchemy import Column, Table

from goalwise.storage.tables import metadata

__all__ = ["context_for", "encrypted_columns"]


def encrypted_columns() -> list[tuple[Table, Column[bytes]]]:
    """(table, column) for every encrypted column, in a stable order."""
    found = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        for column in table.columns:
            if column.name.endswith("_enc"):
                found.append((table, column))
    return found


def context_for(table: str, column: str) -> bytes:
    """The associated data that binds a ciphertext to its column."""
    return f"{table}.{column}".encode()
