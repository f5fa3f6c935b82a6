"""Control characters and lone surrogates are refused, naming the field; free text keeps line breaks."""

from __future__ import annotations

import pytest

from goalwise.core.cards.day import parse_ratings
from goalwise.core.text.characters import bad_characters_problem
from goalwise.core.text.numbers import plain_int


@pytest.mark.parametrize("value", ["Ro\x00bin", "a\x1b[31m", "\ud800", "two\nlines", "tab\there", "bell\x07"])
def test_names_refuse_control_characters(value: str) -> None:
    problem = bad_characters_problem("name", value)
    assert problem is not None
    assert problem.field == "name"
    assert value not in problem.message


@pytest.mark.parametrize("value", ["Two lines\nand a tab\t.\r\n", "Zoë 😀 ‍👩‍💻", "", None])
def test_free_text_keeps_line_breaks_tabs_and_emoji(value: str | None) -> None:
    assert bad_characters_problem("body", value, multiline=True) is None


@pytest.mark.parametrize(("value", "code"), [("a\x00b", "U+0000"), ("\ud800", "U+D800"), ("\x7f", "U+007F")])
def test_free_text_refuses_nul_surrogates_and_delete(value: str, code: str) -> None:
    problem = bad_characters_problem("body", value, multiline=True)
    assert problem is not None and code in problem.message


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"])
def test_one_line_text_refuses_bidi_embeddings_overrides_and_isolates(char: str) -> None:
    problem = bad_characters_problem("title", f"Walk daily{char}live")
    assert problem is not None and problem.field == "title"
    assert f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize("value", ["Dana \u200e(left mark)", "\u05e9\u05dc\u05d5\u05dd\u200f", "Zoë"])
def test_one_line_text_keeps_direction_marks(value: str) -> None:
    assert bad_characters_problem("name", value) is None


@pytest.mark.parametrize(("text", "number"), [("7", 7), (" 42 ", 42), ("0", 0), ("9" * 18, 10**18 - 1)])
def test_plain_whole_numbers_are_read(text: str, number: int) -> None:
    assert plain_int(text) == number


NOT_PLAIN = ["", " ", None, "²", "٣", "-1", "+1", "1.0", "1e3", "9" * 19, "9" * 5000, "0x1"]


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_else_is_not_a_number_rather_than_an_error(text: str | None) -> None:
    # "²".isdigit() is True yet int("²") raises; int("9" * 5000) raises past 4,300 digits.
    assert plain_int(text) is None


@pytest.mark.parametrize("key", ["²", "9" * 5000])
def test_card_ratings_with_odd_target_numbers_are_a_named_problem(key: str) -> None:
    ratings, problems = parse_ratings(f"{key}=yes", 2)
    assert ratings == {} and [p.code for p in problems] == ["rating-shape"]


def test_a_proportion_reads_as_a_percentage_of_its_unit() -> None:
    from goalwise.core.metric import value_unit

    assert value_unit("proportion", "targets met") == "% of targets met"
    assert value_unit("proportion", "of social encounters with a 5-minute conversation") == (
        "% of social encounters with a 5-minute conversation"
    )
    assert value_unit("proportion", "% of days") == "% of days"
    assert value_unit("proportion", None) == "%"
    assert value_unit("count", "walks") == "walks" and value_unit("rating", "") is None
