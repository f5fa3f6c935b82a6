"""Formula-leading cells are neutralised in every CSV we write; numbers stay numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from goalwise.core.spreadsheet import safe_cell, safe_row

SRC = Path(__file__).resolve().parents[2] / "src" / "goalwise"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x.example/","click")', '\'=HYPERLINK("http://x.example/","click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-3", "-3"),
        ("-0.5", "-0.5"),
        ("+1", "+1"),
        ("-1e3", "-1e3"),
        ("walked 2 km", "walked 2 km"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_safe_cell_neutralises_formulas_and_keeps_numbers(cell: str, written: str) -> None:
    assert safe_cell(cell) == written


def test_values_that_are_not_text_are_kept() -> None:
    assert safe_row([-3, -0.5, None, True, "=1"]) == [-3, -0.5, None, True, "'=1"]


def test_every_module_that_writes_csv_uses_safe_cells() -> None:
    writers = [
        path
        for path in SRC.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert writers, "no CSV writer found; the test looks in the wrong place"
    # Either the helper itself, or the export cells built on it (core.transfer.cells, reversible on import).
    uses = ("goalwise.core.spreadsheet import", "goalwise.core.transfer.cells import")
    for path in writers:
        text = path.read_text(encoding="utf-8")
        assert any(u in text for u in uses), f"{path} writes CSV without core.spreadsheet's safe cells"
