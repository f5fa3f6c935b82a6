"""Daily report cards: cards, their revisions, raters' private links and each day's ratings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("id", _ID, nullable=False),
        sa.Column("client_id", _ID, nullable=False),
        sa.Column("goal_id", _ID, nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        _fk("cards", "client_id", "clients"),
        _fk("cards", "goal_id", "goals"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
    )
    op.create_index("ix_cards_client", "cards", ["client_id"], unique=False)
    op.create_table(
        "card_revisions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("card_id", _ID, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("changed_at", _AT, nullable=False),
        _fk("card_revisions", "card_id", "cards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_revisions")),
        sa.UniqueConstraint("card_id", "revision", name=op.f("uq_card_revisions_card_id_revision")),
    )
    op.create_table(
        "card_raters",
        sa.Column("id", _ID, nullable=False),
        sa.Column("client_id", _ID, nullable=False),
        sa.Column("card_id", _ID, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("revoked_at", _AT, nullable=True),
        _fk("card_raters", "client_id", "clients"),
        _fk("card_raters", "card_id", "cards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_raters")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_card_raters_token_hash")),
    )
    op.create_index("ix_card_raters_card", "card_raters", ["card_id"], unique=False)
    op.create_table(
        "card_ratings",
        sa.Column("id", _ID, nullable=False),
        sa.Column("client_id", _ID, nullable=False),
        sa.Column("card_id", _ID, nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("rated_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("superseded_at", _AT, nullable=True),
        _fk("card_ratings", "client_id", "clients"),
        _fk("card_ratings", "card_id", "cards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_ratings")),
    )
    op.create_index("ix_card_ratings_card_on", "card_ratings", ["card_id", "rated_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_card_ratings_card_on", table_name="card_ratings")
    op.drop_table("card_ratings")
    op.drop_index("ix_card_raters_card", table_name="card_raters")
    op.drop_table("card_raters")
    op.drop_table("card_revisions")
    op.drop_index("ix_cards_client", table_name="cards")
    op.drop_table("cards")
