"""Registry look-up, the public API, table invariants and purity of the instruments package."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import goalwise.core.instruments as instruments
from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import (
    AnswerOption,
    AnswerScale,
    Band,
    BandScheme,
    Instrument,
    Item,
    all_instruments,
    codes,
    get,
    score,
)
from goalwise.core.instruments.phq9 import PHQ9

PACKAGE_DIR = Path(instruments.__file__).parent
FORBIDDEN_IMPORTS = {"os", "sqlite3", "sqlalchemy", "fastapi", "starlette", "typer", "rich", "io", "pathlib"}


def test_codes_in_stable_order() -> None:
    assert codes() == ("phq9", "gad7", "phq2", "gad2", "hamd17", "who5")
    assert tuple(i.code for i in all_instruments()) == codes()


@pytest.mark.parametrize(
    ("given_code", "code"), [("PHQ-9", "phq9"), ("HAM-D 17", "hamd17"), ("gad_7", "gad7")]
)
def test_get_ignores_case_and_separators(given_code: str, code: str) -> None:
    assert get(given_code).code == code


@pytest.mark.parametrize("bad", ["phq8", "", "pcl5"])
def test_unknown_code_names_code_and_lists_valid_codes(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        score(bad, [0])
    (problem,) = caught.value.problems
    assert problem.field == "code"
    assert problem.code == "unknown_instrument"
    assert problem.message.endswith("valid codes are phq9, gad7, phq2, gad2, hamd17, who5.")


def test_non_string_code_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        get(9)  # type: ignore[arg-type]
    assert "a int" in caught.value.problems[0].message


def test_public_api_is_pinned() -> None:
    assert set(instruments.__all__) == {
        "AnswerOption",
        "AnswerScale",
        "Band",
        "BandScheme",
        "Instrument",
        "Item",
        "ProrationRule",
        "RiskItem",
        "Score",
        "SyndromeRule",
        "all_instruments",
        "codes",
        "counted_total",
        "get",
        "round_half_up",
        "score",
        "total_text",
    }
    for name in instruments.__all__:
        assert hasattr(instruments, name)


def test_score_and_instruments_are_frozen() -> None:
    result = score("phq9", [0] * 9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PHQ9.code = "x"  # type: ignore[misc]


@pytest.mark.parametrize("instrument", all_instruments(), ids=codes())
def test_each_instrument_documents_itself(instrument: Instrument) -> None:
    assert instrument.name and instrument.recall_period and instrument.licence
    assert instrument.scoring_rule and instrument.missing_policy and instrument.references
    if instrument.proration is None:
        assert "No published rule" in instrument.missing_policy
    for scheme in instrument.band_schemes:
        # every total in range falls in exactly one band, labels lower case
        for total in range(instrument.min_total, instrument.max_total + 1):
            assert sum(band.contains(total) for band in scheme.bands) == 1
        assert all(band.label == band.label.lower() for band in scheme.bands)


@pytest.mark.parametrize("instrument", all_instruments(), ids=codes())
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_complete_answers_total_is_their_sum(instrument: Instrument, data: st.DataObject) -> None:
    answers = [data.draw(st.integers(item.min_score, item.max_score)) for item in instrument.items]
    result = score(instrument.code, answers)
    assert result.total == sum(answers)
    assert instrument.min_total <= result.total <= instrument.max_total
    assert result.severity == instrument.scheme().band_for(sum(answers)).label


def test_band_scheme_with_a_gap_is_refused() -> None:
    scale = AnswerScale((AnswerOption(0, "no"), AnswerOption(1, "yes")))
    gappy = BandScheme("gappy", (Band(0, 0, "low"), Band(2, 2, "high")), "test")
    with pytest.raises(ValueError, match="gap or overlap"):
        Instrument(
            code="x",
            name="x",
            abbreviation="X",
            recall_period="",
            stem="",
            items=(Item(1, "a", scale), Item(2, "b", scale)),
            band_schemes=(gappy,),
            higher_is_better=False,
            loinc_panel=None,
            loinc_total=None,
            licence="",
            scoring_rule="",
            missing_policy="",
            references=(),
        )


def test_answer_scale_with_skipped_score_is_refused() -> None:
    with pytest.raises(ValueError, match="steps of one"):
        AnswerScale((AnswerOption(0, "no"), AnswerOption(2, "yes")))


def test_instruments_package_is_pure() -> None:
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    assert node.func.id != "open", f"{path.name} calls open()"
                continue
            assert not roots & FORBIDDEN_IMPORTS, f"{path.name} imports {roots & FORBIDDEN_IMPORTS}"
