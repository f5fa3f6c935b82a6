"""Reviews: each goal's Goal Attainment Scale, the reviews held and each goal's level and decision.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "goal_gas_scales",
        sa.Column("goal_id", _ID, nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_gas_scales_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("goal_id", name=op.f("pk_goal_gas_scales")),
    )
    op.create_table(
        "reviews",
        sa.Column("id", _ID, nullable=False),
        sa.Column("client_id", _ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("t_score", sa.Float(), nullable=True),
        sa.Column("notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("needs_assessment_id", _ID, nullable=True),
        sa.Column("goals_fit", sa.Boolean(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('goals','plan')", name=op.f("ck_reviews_kind")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_reviews_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["needs_assessment_id"],
            ["needs_assessments.id"],
            name=op.f("fk_reviews_needs_assessment_id_needs_assessments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("client_id", "number", name=op.f("uq_reviews_client_id_number")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index("ix_reviews_client_held", ["client_id", "held_on"], unique=False)
    op.create_table(
        "review_goals",
        sa.Column("id", _ID, nullable=False),
        sa.Column("review_id", _ID, nullable=False),
        sa.Column("goal_id", _ID, nullable=False),
        sa.Column("gas_level", sa.Integer(), nullable=False),
        sa.Column("suggested_level", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason_enc", sa.LargeBinary(), nullable=True),
        sa.Column("new_target", sa.Float(), nullable=True),
        sa.Column("new_deadline_on", sa.Date(), nullable=True),
        sa.CheckConstraint("gas_level between -2 and 2", name=op.f("ck_review_goals_gas_level")),
        sa.CheckConstraint(
            "decision in ('continue','adjust','add-steps','achieved','discontinue')",
            name=op.f("ck_review_goals_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_review_goals_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_goals_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_goals")),
        sa.UniqueConstraint("review_id", "goal_id", name=op.f("uq_review_goals_review_id_goal_id")),
    )
    with op.batch_alter_table("review_goals", schema=None) as batch_op:
        batch_op.create_index("ix_review_goals_goal", ["goal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_goals", schema=None) as batch_op:
        batch_op.drop_index("ix_review_goals_goal")
    op.drop_table("review_goals")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_client_held")
    op.drop_table("reviews")
    op.drop_table("goal_gas_scales")
