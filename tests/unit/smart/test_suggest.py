"""From free text to templates and open questions, ordered by keyword score or by the needs assessment."""

from __future__ import annotations

from goalwise.core.need import Concern, ConcernArea, CoreNeed, Impact, NeedRating, NeedsAssessment
from goalwise.core.phrases import VAGUE_PHRASES
from goalwise.core.suggest import suggest
from goalwise.core.template import TEMPLATES


def ids(text: str, **kwargs: object) -> list[str]:
    return [m.template_id for m in suggest(text, **kwargs).templates]  # type: ignore[arg-type]


def test_every_template_the_vague_catalog_links_exists() -> None:
    known = {t.id for t in TEMPLATES}
    for entry in VAGUE_PHRASES:
        assert entry.template_ids and set(entry.template_ids) <= known, entry.phrase


def test_vague_catalog_has_at_least_twelve_entries_each_with_a_rewrite() -> None:
    phrases = [entry.phrase for entry in VAGUE_PHRASES]
    assert len(phrases) >= 12
    required = [
        "feel better",
        "be happier",
        "stop worrying",
        "be less anxious",
        "get my life together",
        "be normal",
        "be more confident",
        "sleep better",
        "be less stressed",
        "be more productive",
        "get healthier",
        "be more social",
    ]
    for phrase in required:
        assert phrase in phrases
    assert all(any(ch.isdigit() for ch in entry.rewrite) for entry in VAGUE_PHRASES)


def test_panic_text_finds_the_panic_templates_first() -> None:
    result = suggest("I keep having panic attacks")
    # panic-reduce and panic-weekly-to-monthly score 2 ("panic attack") + 1 ("panic") + 1 ("attack").
    assert [m.template_id for m in result.templates[:2]] == ["panic-reduce", "panic-weekly-to-monthly"]
    assert result.templates[0].score == 4
    assert result.templates[0].matched == ("panic", "panic attack", "attack")


def test_feel_better_suggests_the_linked_templates_the_rewrite_and_all_questions() -> None:
    result = suggest("I want to feel better")
    assert set(ids("I want to feel better")) >= {"mood-rating", "who5-wellbeing", "pleasant-activities"}
    assert result.rewrites and "mood 1-10" in result.rewrites[0]  # the check-in's mood scale
    assert [q.id for q in result.questions] == ["measure", "baseline", "target", "deadline"]
    assert "daily mood rating" in result.questions[0].text
    assert {p.code[0] for p in result.problems} >= {"S", "M", "T"}


def test_a_smart_sentence_leaves_no_questions() -> None:
    result = suggest("Have 2 panic attacks a week or fewer, down from 5, within 10 weeks")
    assert result.questions == ()
    assert result.problems == ()
    assert result.templates[0].template_id == "panic-reduce"


def test_avoidance_wording_asks_what_to_do_instead() -> None:
    result = suggest("Stop avoiding the bus 3 times a week within 8 weeks")
    assert [q.id for q in result.questions] == ["instead"]
    assert "exposure-practice" in [m.template_id for m in result.templates]


def test_limit_caps_the_number_of_templates() -> None:
    assert len(suggest("sleep tired energy bed", limit=2).templates) == 2
    assert suggest("sleep", limit=0).templates == ()


def test_nothing_matches_without_keywords_or_needs() -> None:
    assert suggest("xyzzy").templates == ()


def test_needs_assessment_puts_the_highest_priority_area_first() -> None:
    text = "I want to feel better and sleep better"
    plain = ids(text)
    # Without needs: who5-wellbeing and mood-rating score 4 ("feel better" keyword 2 + catalog link 2),
    # the sleep templates 3 ("sleep" 1 + link 2), pleasant-activities 2 (link).
    assert plain == [
        "who5-wellbeing",
        "mood-rating",
        "sleep-duration",
        "sleep-regularity",
        "pleasant-activities",
    ]
    needs = NeedsAssessment(concerns=(Concern(ConcernArea.BEHAVIOURAL_PATTERNS, Impact.HIGH, 1),))
    ordered = ids(text, needs=needs)
    # sleep-duration and sleep-regularity serve behavioural patterns, the priority-1 concern.
    assert ordered[:2] == ["sleep-duration", "sleep-regularity"]
    assert sorted(ordered) == sorted(plain)


def test_least_met_need_breaks_ties_between_equal_concerns() -> None:
    needs = NeedsAssessment(needs=(NeedRating(CoreNeed.CONNECTION, 1), NeedRating(CoreNeed.PURPOSE, 4)))
    ordered = ids("I want to be happier and be more social", needs=needs)
    assert ordered[0] in {"social-interactions", "conversations-80pct"}
    purpose_first = NeedsAssessment(
        needs=(NeedRating(CoreNeed.CONNECTION, 5), NeedRating(CoreNeed.PURPOSE, 1))
    )
    assert ids("I want to be happier and be more social", needs=purpose_first)[0] in {
        "pleasant-activities",
        "who5-wellbeing",
    }


def test_without_a_match_the_needs_still_suggest_where_to_start() -> None:
    needs = NeedsAssessment(needs=(NeedRating(CoreNeed.CONNECTION, 1),))
    result = suggest("xyzzy", needs=needs)
    assert [m.template_id for m in result.templates] == ["social-interactions", "conversations-80pct"]
    assert all(m.score == 0 for m in result.templates)
