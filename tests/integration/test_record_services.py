"""Episodes, ABC entries, the journal and therapy sessions on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Table, func, select
from tests.support.cast import Cast

from goalwise.core.errors import Conflict, InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.measurement import abc, episodes, journal, therapy_sessions
from goalwise.storage.tables import abc_entries, journal_entries
from goalwise.storage.tables import episodes as episodes_table
from goalwise.storage.tables import therapy_sessions as sessions_table


def _count(ctx: Context, table: Table) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _raw(ctx: Context, column: object) -> bytes:
    with ctx.db.read() as conn:
        return b"".join(bytes(v) for v in conn.execute(select(column)).scalars() if v is not None)  # type: ignore[call-overload]


# --- episodes ---------------------------------------------------------------------------------


def test_an_episode_keeps_every_field_and_encrypts_the_narrative(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    stored = episodes.add_episode(
        ctx,
        a.actor,
        a.client_id,
        situation="queue at the supermarket",
        environment="crowded, loud",
        preceding_event="late bus",
        physiological="racing heart",
        emotion="Panic",
        intensity=8,
        duration_minutes=20,
        behaviour="left the shop",
        coping_strategy="slow breathing",
        coping_rating=2,
    )
    (listed,) = episodes.list_episodes(ctx, a.actor, a.client_id)
    assert listed == stored
    assert (listed.emotion_category, listed.emotion, listed.intensity, listed.coping_rating) == (
        "panic",
        "Panic",
        8,
        2,
    )
    assert listed.situation == "queue at the supermarket" and listed.behaviour == "left the shop"
    raw = _raw(ctx, episodes_table.c.details_enc)
    assert b"supermarket" not in raw and b"breathing" not in raw


def test_an_unlisted_emotion_word_is_kept_encrypted_with_category_other(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    stored = episodes.add_episode(ctx, a.actor, a.client_id, emotion="dread of the phone")
    assert (stored.emotion_category, stored.emotion) == ("other", "dread of the phone")
    with ctx.db.read() as conn:
        assert conn.execute(select(episodes_table.c.emotion)).scalar_one() == "other"


def test_bad_episode_values_name_the_field_and_store_nothing(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        episodes.add_episode(ctx, a.actor, a.client_id, intensity=11, duration_minutes=-5, coping_rating=6)
    fields = {p.field: p.message for p in info.value.problems}
    assert fields == {
        "intensity": "intensity is 11; it runs from 1 to 10.",
        "coping_rating": "coping_rating is 6; it runs from 1 to 5.",
        "duration_minutes": "The duration is -5; a duration cannot be negative.",
    }
    assert _count(ctx, episodes_table) == 0


def test_an_episode_retry_with_the_same_ref_is_stored_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    one = episodes.add_episode(ctx, a.actor, a.client_id, situation="x", client_ref="ep-1")
    two = episodes.add_episode(ctx, a.actor, a.client_id, situation="x", client_ref="ep-1")
    assert one.id == two.id and _count(ctx, episodes_table) == 1


# --- ABC chart --------------------------------------------------------------------------------


def _abc(ctx: Context, cast: Cast, hour_utc: int, a: str, b: str, c: str) -> None:
    client = cast.client_a
    at = datetime(2024, 1, 15, hour_utc, 30, tzinfo=UTC)  # January: London is on UTC
    abc.add_entry(ctx, client.actor, client.client_id, antecedent=a, behaviour=b, consequence=c, at=at)


def test_the_abc_summary_ranks_antecedents_and_consequences_per_behaviour(ctx: Context, cast: Cast) -> None:
    _abc(ctx, cast, 8, "Asked to tidy", "shouting", "left alone")
    _abc(ctx, cast, 19, "asked to  tidy", "Shouting", "left alone")
    _abc(ctx, cast, 20, "tired", "shouting", "argument")
    _abc(ctx, cast, 2, "nightmare", "crying", "comforted")
    result = abc.summary(ctx, cast.client_a.actor, cast.client_a.client_id)
    assert result.entries == 4
    shouting, crying = result.behaviours
    assert (shouting.behaviour, shouting.count) == ("shouting", 3)
    assert [(f.text, f.count) for f in shouting.antecedents] == [("Asked to tidy", 2), ("tired", 1)]
    assert [(f.text, f.count) for f in shouting.consequences] == [("left alone", 2), ("argument", 1)]
    assert (crying.behaviour, crying.count) == ("crying", 1)
    # Local hours 8, 19, 20 and 2: one in the morning, two in the evening, one at night.
    assert dict(result.by_band) == {"night": 1, "morning": 1, "afternoon": 0, "evening": 2}
    assert [h for h, n in enumerate(result.by_hour) if n] == [2, 8, 19, 20]


def test_the_time_of_day_profile_uses_the_clients_local_time(ctx: Context, cast: Cast) -> None:
    b = cast.client_b  # America/New_York: 03:00 UTC on 15 January is 22:00 the evening before
    abc.add_entry(
        ctx,
        b.actor,
        b.client_id,
        antecedent="a",
        behaviour="b",
        consequence="c",
        at=datetime(2024, 1, 15, 3, 0, tzinfo=UTC),
    )
    result = abc.summary(ctx, b.actor, b.client_id)
    assert result.by_hour[22] == 1 and dict(result.by_band)["evening"] == 1


def test_an_abc_entry_needs_all_three_parts(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        abc.add_entry(
            ctx, a.actor, a.client_id, antecedent="", behaviour="shouting", consequence=" ", intensity=0
        )
    assert {p.field for p in info.value.problems} == {"antecedent", "consequence", "intensity"}
    assert _count(ctx, abc_entries) == 0


def test_abc_narrative_is_encrypted(ctx: Context, cast: Cast) -> None:
    _abc(ctx, cast, 9, "asked about homework", "slammed door", "phone taken away")
    raw = _raw(ctx, abc_entries.c.details_enc)
    assert b"homework" not in raw and b"slammed" not in raw


# --- journal ----------------------------------------------------------------------------------


def test_journal_entries_are_private_by_default(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    private = journal.add_entry(ctx, a.actor, a.client_id, "a hard day", triggers=["crowds"], coping=["walk"])
    shared = journal.add_entry(ctx, a.actor, a.client_id, "a better day", private=False)
    assert private.private and not shared.private
    assert (private.triggers, private.coping) == (("crowds",), ("walk",))
    assert [e.id for e in journal.list_entries(ctx, a.actor, a.client_id)] == [private.id, shared.id]
    assert [e.id for e in journal.list_entries(ctx, cast.therapist.actor, a.client_id)] == [shared.id]
    journal.set_private(ctx, a.actor, a.client_id, private.id, False)
    assert len(journal.list_entries(ctx, cast.therapist.actor, a.client_id)) == 2


def test_only_the_client_writes_their_journal(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    for person in (cast.therapist, cast.supporter, cast.client_b, cast.other_therapist):
        with pytest.raises(NotFound):
            journal.add_entry(ctx, person.actor, a.client_id, "notes")
    assert _count(ctx, journal_entries) == 0


def test_journal_body_and_tags_are_encrypted(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    journal.add_entry(ctx, a.actor, a.client_id, "the dentist visit went fine", triggers=["waiting rooms"])
    raw = _raw(ctx, journal_entries.c.body_enc) + _raw(ctx, journal_entries.c.tags_enc)
    assert b"dentist" not in raw and b"waiting" not in raw


def test_an_empty_journal_entry_is_refused(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        journal.add_entry(ctx, a.actor, a.client_id, "  ")
    assert info.value.problems[0].field == "body"


# --- therapy sessions -------------------------------------------------------------------------


def test_sessions_are_numbered_and_give_the_date_within_n_sessions(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    for day, status in ((8, "attended"), (15, "cancelled"), (22, "planned"), (29, "planned")):
        therapy_sessions.add_session(ctx, t, a.client_id, date(2024, 1, day), status=status)
    assert [s.number for s in therapy_sessions.list_sessions(ctx, a.actor, a.client_id)] == [1, 2, 3, 4]
    # Set in the session of 8 January: the cancelled 15th does not count, so 2 sessions end on the 29th.
    assert therapy_sessions.date_within_sessions(ctx, t, a.client_id, 2, as_of=date(2024, 1, 8)) == date(
        2024, 1, 29
    )
    assert therapy_sessions.date_within_sessions(ctx, t, a.client_id, 3, as_of=date(2024, 1, 8)) is None


def test_session_input_is_checked(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    with pytest.raises(InvalidInput) as info:
        therapy_sessions.add_session(
            ctx, t, a.client_id, date(2024, 1, 8), status="maybe", instruments_given=["xyz"]
        )
    assert {p.field for p in info.value.problems} == {"status", "instruments[1]"}
    therapy_sessions.add_session(ctx, t, a.client_id, date(2024, 1, 8), instruments_given=["PHQ-9", "gad7"])
    with pytest.raises(Conflict):
        therapy_sessions.add_session(ctx, t, a.client_id, date(2024, 1, 9), number=1)
    assert therapy_sessions.list_sessions(ctx, t, a.client_id)[0].instruments == ("phq9", "gad7")
    assert _count(ctx, sessions_table) == 1


def test_a_session_can_be_marked_attended(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    therapy_sessions.add_session(ctx, t, a.client_id, date(2024, 1, 8))
    changed = therapy_sessions.update_session(
        ctx, t, a.client_id, 1, status="attended", instruments_given=["phq9"]
    )
    assert (changed.status, changed.instruments) == ("attended", ("phq9",))


def test_supporters_and_strangers_cannot_touch_the_session_schedule(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    for person in (cast.supporter, cast.other_therapist, cast.client_b):
        with pytest.raises(NotFound):
            therapy_sessions.add_session(ctx, person.actor, a.client_id, date(2024, 1, 8))
    with pytest.raises(NotFound):
        therapy_sessions.list_sessions(ctx, cast.other_therapist.actor, a.client_id)
    assert _count(ctx, sessions_table) == 0
