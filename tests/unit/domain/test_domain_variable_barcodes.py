import pytest

from kiosk.domain.gtin import check_digit
from kiosk.domain.variable_barcodes import (
    DEFAULT_RULES,
    RuleError,
    VariableBarcodeRule,
    find_rule,
    parse_rules,
)


def label(body12: str) -> str:
    return body12 + check_digit(body12)


def test_default_rules_split_price_and_weight() -> None:
    kinds = {r.prefix: r.kind for r in DEFAULT_RULES}
    assert [kinds[str(p)] for p in range(20, 25)] == ["price"] * 5
    assert [kinds[str(p)] for p in range(25, 30)] == ["weight"] * 5
    assert all(r.pattern == "PPIIIIIVVVVVC" for r in DEFAULT_RULES)


def test_decode_price_label() -> None:
    code = label("211234515000")
    rule = find_rule(code, DEFAULT_RULES)
    assert rule is not None
    read = rule.decode(code)
    assert (read.item, read.value, rule.kind) == ("12345", 15000, "price")
    assert read.template == label("211234500000")


def test_decode_with_value_check_digit_ignored() -> None:
    rule = VariableBarcodeRule("2", "PIIIIIIXVVVVC", "weight")
    read = rule.decode(label("212345671250"))
    assert (read.item, read.value) == ("123456", 1250)
    assert read.template == label("212345600000")


def test_parse_rules_round_trip() -> None:
    rules = parse_rules([r.to_dict() for r in DEFAULT_RULES])
    assert tuple(rules) == DEFAULT_RULES
    six = parse_rules([{"prefix": "22", "pattern": "ppiiiivvvvvvc", "kind": "price"}])
    assert six[0].decode(label("221234123456")).value == 123456


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"prefix": "2a", "pattern": "PPIIIIIVVVVVC", "kind": "price"}, "prefix must be"),
        ({"prefix": "20", "pattern": "PPIIIIIVVVVV", "kind": "price"}, "13 characters, got 12"),
        ({"prefix": "20", "pattern": "PPIIIIIVVVVQC", "kind": "price"}, r"\['Q'\]"),
        ({"prefix": "20", "pattern": "PIIIIIIVVVVVC", "kind": "price"}, "exactly 2 P"),
        ({"prefix": "20", "pattern": "PPIIIIIVVVVCV", "kind": "price"}, "end with the one check"),
        ({"prefix": "20", "pattern": "PPIIIIIIIIIIC", "kind": "price"}, "needs item digits I"),
        ({"prefix": "20", "pattern": "PPIIIIIVVVVVC", "kind": "volume"}, "kind must be"),
        ({"prefix": "20", "pattern": "PPIIIIIVVVVVC"}, "required strings"),
        ({"prefix": "20", "pattern": "PPIIIIIVVVVVC", "kind": "price", "x": 1}, "unknown field"),
    ],
)
def test_parse_rules_errors_name_the_rule(entry: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message) as info:
        parse_rules([entry])
    assert str(info.value).startswith("rule 1:")


def test_parse_rules_rejects_overlapping_prefixes() -> None:
    with pytest.raises(RuleError, match="rule 2: prefix 21 overlaps the rule for prefix 2"):
        parse_rules(
            [
                {"prefix": "2", "pattern": "PIIIIIIVVVVVC", "kind": "price"},
                {"prefix": "21", "pattern": "PPIIIIIVVVVVC", "kind": "price"},
            ]
        )


def test_find_rule_needs_13_digits_and_prefix() -> None:
    assert find_rule("8992761111113", DEFAULT_RULES) is None
    assert find_rule("20123", DEFAULT_RULES) is None
