"""Sharing with a supporter: scoped, hashed, read-only, revocable, expiring, and every view recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.storage.tables import goals, journal_entries, shares


def _goal(ctx: Context, client_id: int, title: str) -> int:
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        return int(
            conn.execute(
                insert(goals)
                .values(
                    client_id=client_id,
                    status="active",
                    title=title,
                    priority="primary",
                    spec={"title": title},
                    revision=1,
                    created_at=now,
                    updated_at=now,
                )
                .returning(goals.c.id)
            ).scalar_one()
        )


def test_share_token_is_stored_only_as_a_hash(ctx: Context, cast: Cast) -> None:
    gid = _goal(ctx, cast.client_a.client_id, "Walk daily")  # type: ignore[arg-type]
    info, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[gid]
    )
    with ctx.db.read() as conn:
        row = conn.execute(select(shares).where(shares.c.id == info.id)).one()
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert row.message_enc is None


def test_share_scope_is_checked(ctx: Context, cast: Cast) -> None:
    other = _goal(ctx, cast.client_b.client_id, "B's goal")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as info:
        sharing.create_share(
            ctx, cast.client_a.actor, label="", sections=["goals", "diary"], goal_ids=[other]
        )
    assert {p.field for p in info.value.problems} == {"label", "sections", "goal_ids"}
    with pytest.raises(NotFound):  # therapists do not share on a client's behalf
        sharing.create_share(ctx, cast.therapist.actor, label="x", sections=["assessments"], goal_ids=[])


def test_supporter_sees_only_shared_goals_and_sections(ctx: Context, cast: Cast) -> None:
    a1 = _goal(ctx, cast.client_a.client_id, "Walk daily")  # type: ignore[arg-type]
    _goal(ctx, cast.client_a.client_id, "Secret goal")  # type: ignore[arg-type]
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        conn.execute(
            insert(journal_entries).values(
                client_id=cast.client_a.client_id,
                at=now,
                local_on=date.today(),
                private=False,
                created_at=now,
                body_enc=ctx.keys.encrypt("a journal line", context=b"journal_entries.body_enc"),
            )
        )
    _, token = sharing.create_share(
        ctx,
        cast.client_a.actor,
        label="Mum",
        sections=["goals", "assessments"],
        goal_ids=[a1],
        message="Ask me about my walks.",
    )
    view = sharing.open_share(ctx, token, address="127.0.0.9")
    assert [g["title"] for g in view.goals] == ["Walk daily"]
    assert view.journal == [] and "journal" not in view.sections  # never unless chosen explicitly
    assert view.message == "Ask me about my walks."
    assert view.client_name == "Client A"
    shares_now = sharing.list_shares(ctx, cast.client_a.actor)
    assert len(shares_now[0].views) == 1  # the client sees the view


def test_revoked_and_expired_shares_stop_working(ctx: Context, cast: Cast) -> None:
    info, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Friend", sections=["assessments"], goal_ids=[], expires_days=30
    )
    assert sharing.open_share(ctx, token)
    with pytest.raises(NotFound):
        sharing.open_share(ctx, token, now=datetime.now(UTC) + timedelta(days=31))
    sharing.revoke_share(ctx, cast.client_a.actor, info.id)
    with pytest.raises(NotFound):
        sharing.open_share(ctx, token)
    with pytest.raises(NotFound):  # another client cannot revoke it
        sharing.revoke_share(ctx, cast.client_b.actor, info.id)


def test_supporter_page_shows_a_banner_and_is_read_only(ctx: Context, cast: Cast, api: TestClient) -> None:
    gid = _goal(ctx, cast.client_a.client_id, "Walk daily")  # type: ignore[arg-type]
    _, token = sharing.create_share(
        ctx,
        cast.client_a.actor,
        label="Mum",
        sections=["goals"],
        goal_ids=[gid],
        message="<script>alert(1)</script>",
    )
    page = api.get(f"/s/{token}")
    assert page.status_code == 200
    assert "Client A</strong> shared this with <strong>Mum" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<form" not in page.text.split("</header>", 1)[1]  # no forms: read-only
    assert api.post(f"/s/{token}").status_code == 405
    assert api.get("/s/not-a-real-token").status_code == 404


def test_a_shared_goal_shows_progress_fields_only(ctx: Context, cast: Cast) -> None:
    now = datetime.now(UTC)
    spec = {
        "title": "Walk",
        "behaviour": "private definition",
        "confidence": 4,
        "baseline": {"value": 1},
        "target": {"value": 3, "comparator": ">="},
        "direction": "increase",
    }
    with ctx.db.write() as conn:
        gid = conn.execute(
            insert(goals)
            .values(
                client_id=cast.client_a.client_id,
                status="active",
                title="Walk",
                priority="primary",
                spec=spec,
                revision=1,
                created_at=now,
                updated_at=now,
            )
            .returning(goals.c.id)
        ).scalar_one()
    _, token = sharing.create_share(ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[gid])
    shared_spec = sharing.open_share(ctx, token).goals[0]["spec"]
    assert shared_spec == {
        "title": "Walk",
        "direction": "increase",
        "target": {"value": 3, "comparator": ">="},
    }
