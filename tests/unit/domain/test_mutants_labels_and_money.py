"""Scale-label rules at their limits with exact messages, and cash rounding's guard
(written for mutants of kiosk.domain.variable_barcodes and money that survived
`make mutation`)."""

from __future__ import annotations

import pytest

from kiosk.domain.money import round_down_to
from kiosk.domain.variable_barcodes import RuleError, VariableBarcodeRule, parse_rules


def test_a_three_digit_prefix_is_the_longest() -> None:
    assert VariableBarcodeRule("212", "PPPIIIIVVVVVC", "price").prefix == "212"
    with pytest.raises(
        RuleError, match=r"^variable barcode rule '2123': prefix must be 1 to 3 digits$"
    ):
        VariableBarcodeRule("2123", "PPPPIIIVVVVVC", "price")


@pytest.mark.parametrize("pattern", ["IPPIIIIVVVVVC", "PPIIIIPVVVVVC", "PIIIIIIVVVVVC"])
def test_the_prefix_digits_lead_the_pattern_one_each(pattern: str) -> None:
    with pytest.raises(RuleError) as caught:
        VariableBarcodeRule("21", pattern, "price")
    assert str(caught.value) == (
        f"variable barcode rule '21': pattern {pattern!r} must start with exactly 2 P "
        "(one per prefix digit)"
    )


def test_decode_reads_the_label_and_keeps_it() -> None:
    rule = VariableBarcodeRule("21", "PPIIIIIVVVVVC", "price")
    label = rule.decode("2100042012508")
    assert (label.rule, label.code, label.item, label.value) == (
        rule,
        "2100042012508",
        "00042",
        1250,
    )
    with pytest.raises(RuleError) as caught:
        rule.decode("2200042012508")
    assert str(caught.value) == "'2200042012508' is not a 13-digit label with prefix 21"


def test_a_rule_that_is_not_an_object_is_named() -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules([{"prefix": "21", "pattern": "PPIIIIIVVVVVC", "kind": "price"}, "21"])
    assert str(caught.value) == "rule 2: expected an object, got str"


def test_cash_rounding_needs_a_positive_step() -> None:
    assert round_down_to(12_345, 1) == 12_345 and round_down_to(12_345, 100) == 12_300
    for step in (0, -100):
        with pytest.raises(ValueError, match=r"^rounding step must be positive$"):
            round_down_to(12_345, step)
