"""The database schema as SQLAlchemy Core tables.

Conventions: UTC instants are ``*_at`` (timezone-aware), calendar days are ``*_on``;
free text that may hold client content is stored encrypted in ``*_enc`` columns (bytes);
every foreign key to a client cascades so that an erasure removes clinical data in one place.
Indexes follow the queries: everything a page reads is looked up by client and day.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

__all__ = ["metadata"]

# Named constraints make Alembic batch migrations on SQLite predictable.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer, "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid alias


def _client_fk() -> Column[int]:
    return Column("client_id", Id, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False)


clients = Table(
    "clients",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The client's chosen crisis-lines region (core/measurement/crisis.py); NULL: from the time zone.
    Column("crisis_region", String(8)),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255)),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("client_id", Id, ForeignKey("clients.id", ondelete="SET NULL"), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role in ('admin','therapist','client','supporter')", name="role"),
)

care_links = Table(
    "care_links",
    metadata,
    Column("id", Id, primary_key=True),
    Column("therapist_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _client_fk(),
    Column("consent_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("therapist_id", "client_id"),
    Index("ix_care_links_client", "client_id"),
)

metrics = Table(
    "metrics",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("key", String(64), nullable=False),
    Column("label", String(120), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("unit", String(40)),
    Column("period", String(8)),
    Column("scale_min", Float),
    Column("scale_max", Float),
    Column("higher_is_better", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "key"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("metric_id", Id, ForeignKey("metrics.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("local_on", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("denominator", Float),
    Column("note_enc", LargeBinary),
    Column("client_ref", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("superseded_at", DateTime(timezone=True)),
    # An edit writes a new row that replaces the old one; the old row is kept (superseded).
    Column("replaces_id", Id, ForeignKey("observations.id", ondelete="SET NULL")),
    # A retried submission from an offline phone carries the same client_ref and stores once.
    UniqueConstraint("client_id", "client_ref"),
    Index("ix_observations_metric_on", "metric_id", "local_on"),
    Index("ix_observations_client_on", "client_id", "local_on"),
)

phases = Table(
    "phases",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("kind", String(16), nullable=False),
    Column("name", String(120), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("planned_days", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_phases_client_start", "client_id", "start_on"),
)

goals = Table(
    "goals",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("metric_id", Id, ForeignKey("metrics.id", ondelete="SET NULL")),
    Column("status", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("priority", String(16), nullable=False, default="primary"),
    Column("start_on", Date),
    Column("deadline_on", Date),
    Column("review_every_weeks", Integer),
    # The full SMART draft as JSON: behaviour, metric, direction, baseline, target, framing,
    # set_by, readiness, related goals; the columns above are what lists filter and sort on.
    Column("spec", JSON, nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_goals_client_status", "client_id", "status"),
)

goal_revisions = Table(
    "goal_revisions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("spec", JSON, nullable=False),
    Column("changed_by", String(120), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("reason_enc", LargeBinary),
    UniqueConstraint("goal_id", "revision"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("instrument", String(16), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("total", Float, nullable=False),
    Column("severity", String(32), nullable=False),
    Column("flags", JSON, nullable=False),
    Column("prorated", Boolean, nullable=False, default=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("local_on", Date, nullable=False),
    Column("session_no", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_assessments_client_instrument_on", "client_id", "instrument", "local_on"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("kind", String(32), nullable=False),
    Column("assessment_id", Id, ForeignKey("assessments.id", ondelete="CASCADE")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", Id, ForeignKey("users.id", ondelete="SET NULL")),
    Column("note_enc", LargeBinary),
    Index("ix_alerts_client_open", "client_id", "acknowledged_at"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Id, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_user_id", Id),
    Column("action", String(40), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(64)),
    # No foreign key: the audit stub outlives an erased client.
    Column("client_id", Id),
    Column("address", String(64)),
    Column("user_agent", String(200)),
    Index("ix_audit_events_client_at", "client_id", "at"),
    Index("ix_audit_events_at", "at"),
)

# --- accounts, sessions, tokens, sharing -------------------------------------------------------

auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("address", String(64)),
    Column("user_agent", String(200)),
    Index("ix_auth_sessions_user", "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scope", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
    CheckConstraint("scope in ('read','write')", name="scope"),
)

one_time_links = Table(
    "one_time_links",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", Id, ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    CheckConstraint("purpose in ('invite','reset')", name="purpose"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Id, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_email_at", "email", "at"),
    Index("ix_login_failures_address_at", "address", "at"),
)

shares = Table(
    "shares",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("supporter_id", Id, ForeignKey("users.id", ondelete="CASCADE")),
    Column("label", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("sections", JSON, nullable=False),
    Column("goal_ids", JSON, nullable=False),
    Column("message_enc", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_shares_client", "client_id"),
    Index("ix_shares_supporter", "supporter_id"),
)

share_views = Table(
    "share_views",
    metadata,
    Column("id", Id, primary_key=True),
    Column("share_id", Id, ForeignKey("shares.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("address", String(64)),
    Column("user_agent", String(200)),
    Index("ix_share_views_share", "share_id"),
)

# --- measurement ------------------------------------------------------------------------------

episodes = Table(
    "episodes",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("local_on", Date, nullable=False),
    Column("emotion", String(60)),
    Column("intensity", Integer),
    Column("duration_minutes", Float),
    Column("coping_rating", Integer),
    # situation, environment, preceding event, body, behaviour, coping strategy: one encrypted JSON.
    Column("details_enc", LargeBinary),
    Column("client_ref", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "client_ref"),
    Index("ix_episodes_client_on", "client_id", "local_on"),
)

abc_entries = Table(
    "abc_entries",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("local_on", Date, nullable=False),
    Column("intensity", Integer),
    Column("duration_minutes", Float),
    # antecedent, behaviour, consequence, setting: one encrypted JSON.
    Column("details_enc", LargeBinary, nullable=False),
    Column("client_ref", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "client_ref"),
    Index("ix_abc_entries_client_on", "client_id", "local_on"),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("local_on", Date, nullable=False),
    Column("body_enc", LargeBinary, nullable=False),
    Column("tags_enc", LargeBinary),
    Column("private", Boolean, nullable=False, default=True),
    Column("client_ref", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "client_ref"),
    Index("ix_journal_entries_client_on", "client_id", "local_on"),
)

therapy_sessions = Table(
    "therapy_sessions",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("number", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("instruments", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "number"),
    CheckConstraint("status in ('planned','attended','cancelled')", name="status"),
)

instrument_schedules = Table(
    "instrument_schedules",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("instrument", String(16), nullable=False),
    Column("every_days", Integer, nullable=False),
    Column("start_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "instrument"),
)

# --- goal work: plans, needs, obstacles, readiness -----------------------------------------------

plan_items = Table(
    "plan_items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    _client_fk(),
    Column("kind", String(16), nullable=False),
    Column("parent_id", Id, ForeignKey("plan_items.id", ondelete="CASCADE")),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("due_on", Date),
    Column("micro", Boolean, nullable=False, default=False),
    Column("depends_on_id", Id, ForeignKey("plan_items.id", ondelete="SET NULL")),
    Column("done_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind in ('milestone','step')", name="kind"),
    Index("ix_plan_items_goal", "goal_id", "position"),
)

needs_assessments = Table(
    "needs_assessments",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("assessed_on", Date, nullable=False),
    # concern areas and core emotional needs with ratings: encrypted JSON (client content).
    Column("data_enc", LargeBinary, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_needs_assessments_client", "client_id", "assessed_on"),
)

goal_obstacles = Table(
    "goal_obstacles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    _client_fk(),
    Column("obstacle", String(40), nullable=False),
    Column("strategy", String(200), nullable=False),
    Column("note_enc", LargeBinary),
    Column("logged_at", DateTime(timezone=True), nullable=False),
    Column("helped", Boolean),
    Column("outcome_at", DateTime(timezone=True)),
    Index("ix_goal_obstacles_goal", "goal_id"),
)

readiness = Table(
    "readiness",
    metadata,
    Column("id", Id, primary_key=True),
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("context", String(16), nullable=False),
    Column("importance", Integer, nullable=False),
    Column("confidence", Integer, nullable=False),
    Index("ix_readiness_goal", "goal_id", "at"),
)

# --- reviews: the 4-8 week goal review and the 3-6 month plan review ---------------------------

# A goal's Goal Attainment Scale (five levels with a description and, for a measured goal, a value
# range) and its weight; a goal without a row uses the scale derived from its baseline and target.
goal_gas_scales = Table(
    "goal_gas_scales",
    metadata,
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("weight", Float, nullable=False),
    Column("levels", JSON, nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("number", Integer, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("next_review_on", Date),
    Column("t_score", Float),
    # Free text about the client: encrypted like the journal.
    Column("notes_enc", LargeBinary),
    # A plan review repeats the needs assessment and says whether the active goals still fit.
    Column("needs_assessment_id", Id, ForeignKey("needs_assessments.id", ondelete="SET NULL")),
    Column("goals_fit", Boolean),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "number"),
    CheckConstraint("kind in ('goals','plan')", name="kind"),
    Index("ix_reviews_client_held", "client_id", "held_on"),
)

review_goals = Table(
    "review_goals",
    metadata,
    Column("id", Id, primary_key=True),
    Column("review_id", Id, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False),
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    Column("gas_level", Integer, nullable=False),
    Column("suggested_level", Integer),
    Column("weight", Float, nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reason_enc", LargeBinary),
    Column("new_target", Float),
    Column("new_deadline_on", Date),
    UniqueConstraint("review_id", "goal_id"),
    CheckConstraint("gas_level between -2 and 2", name="gas_level"),
    CheckConstraint(
        "decision in ('continue','adjust','add-steps','achieved','discontinue')", name="decision"
    ),
    Index("ix_review_goals_goal", "goal_id"),
)

# --- imports: one row per file imported, with the rule that mapped its values ----------------------

imports = Table(
    "imports",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("format", String(16), nullable=False),
    # SHA-256 of the file's bytes: the same file imported twice shows as the same hash.
    Column("file_sha256", String(64), nullable=False),
    # Options and mapping rules (e.g. Daylio's mood labels to levels and levels to the 1-10 scale).
    Column("options", JSON, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("imported", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_imports_client_at", "client_id", "created_at"),
)

# A private calendar subscription URL: only the token's SHA-256 is stored (like share links), and a
# revoked feed stays as a row so the audit log's references keep their meaning.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_calendar_feeds_client", "client_id"),
)

# Daily report cards (issue 16): a card has its own goal, whose metric holds each day's percentage as an
# observation; the card keeps each period's ratings (a re-rating supersedes the row, keeping it), its
# revisions, and its raters' private links (only the token's SHA-256 is stored, like share links).
cards = Table(
    "cards",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("goal_id", Id, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    Column("spec", JSON, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_cards_client", "client_id"),
)
card_revisions = Table(
    "card_revisions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("card_id", Id, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("spec", JSON, nullable=False),
    Column("changed_by", String(120), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("card_id", "revision"),
)
card_raters = Table(
    "card_raters",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("card_id", Id, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("email", String(254)),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_card_raters_card", "card_id"),
)
card_ratings = Table(
    "card_ratings",
    metadata,
    Column("id", Id, primary_key=True),
    _client_fk(),
    Column("card_id", Id, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
    Column("rated_on", Date, nullable=False),
    Column("period", String(40), nullable=False),
    Column("ratings", JSON, nullable=False),
    Column("comment_enc", LargeBinary),
    Column("rated_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("superseded_at", DateTime(timezone=True)),
    Index("ix_card_ratings_card_on", "card_id", "rated_on"),
)

# --- the application's own state ----------------------------------------------------------------

key_canaries = Table(
    "key_canaries",
    metadata,
    Column("id", Id, primary_key=True),
    # A known text encrypted with the current key: checking the key reads one small row instead of
    # searching the (possibly very large) record tables for any encrypted value.
    Column("value_enc", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
