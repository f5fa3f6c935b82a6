"""Control characters and lone surrogates are refused, naming the field; free text keeps line breaks."""

from __future__ import annotations

import pytest

from goalwise.core.text.characters import bad_characters_problem


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
