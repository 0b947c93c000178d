"""Filling a refusal's words: a template's fields with their specs, and a parameter the
refusal did not bring, as a rupiah field or a plain one (written for mutants of
kiosk.domain.error_codes that survived the fourth mutation run)."""

from __future__ import annotations

from kiosk.domain.error_codes import placeholders, word


def test_a_template_lists_each_field_with_its_spec() -> None:
    assert placeholders("{due:rp} still due on line {line}") == {"due": "rp", "line": ""}


def test_a_parameter_not_brought_shows_as_nothing() -> None:
    assert word("line {line}: {due:rp} still due", {}) == "Line :  still due"
    assert word("line {line}: {due:rp} still due", {"line": 2, "due": 1500}) == (
        "Line 2: Rp1.500 still due"
    )


def test_a_rupiah_field_given_words_shows_them_as_they_are() -> None:
    assert word("{due:rp} still due", {"due": "a quarter"}) == "A quarter still due"
