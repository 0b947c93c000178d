from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.sale import TaxLine
from kiosk.domain.tax import TaxError, decompose, normalize_rate, taxes_for


@dataclass(frozen=True)
class Line:
    tax_rate_percent: str
    amount: int


def test_ppn_on_ten_thousand_at_eleven() -> None:
    assert decompose(10_000, "11") == (9009, 991)
    assert decompose(111, "11") == (100, 11)
    assert decompose(0, "11") == (0, 0)
    assert decompose(10_000, "0") == (10_000, 0)


def test_half_rounds_up() -> None:
    assert decompose(9_100, "1.1") == (9001, 99)  # 99.01
    assert decompose(555, "11") == (500, 55)  # exactly 55
    assert decompose(3, "20") == (2, 1)  # 0.5 -> 1, not banker's 0
    assert decompose(9, "20") == (7, 2)  # 1.5 -> 2


def test_refund_amounts_are_symmetric() -> None:
    assert decompose(-10_000, "11") == (-9009, -991)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("11", "11"), ("11.0", "11"), ("1.10", "1.1"), ("0.00", "0"), ("100", "100")],
)
def test_normalize_rate(raw: str, canonical: str) -> None:
    assert normalize_rate(raw) == canonical


@pytest.mark.parametrize("bad", ["eleven", "-1", "101", "NaN", ""])
def test_bad_rates(bad: str) -> None:
    with pytest.raises(TaxError):
        normalize_rate(bad)


def test_taxes_group_by_rate_sorted() -> None:
    lines = [Line("11", 10_000), Line("0", 5_000), Line("11.0", 5_000), Line("1.1", 2_000)]
    assert taxes_for(lines) == (
        TaxLine("0", 5_000, 5_000, 0),
        TaxLine("1.1", 2_000, 1_978, 22),
        TaxLine("11", 15_000, 13_514, 1_486),
    )
    assert taxes_for([]) == ()


@given(st.integers(-(10**12), 10**12), st.sampled_from(["0", "1.1", "11", "12", "10", "100"]))
def test_dpp_plus_ppn_is_taxable(taxable: int, rate: str) -> None:
    dpp, ppn = decompose(taxable, rate)
    assert dpp + ppn == taxable
    assert abs(ppn) <= abs(taxable)


@given(st.lists(st.tuples(st.sampled_from(["0", "11", "1.1"]), st.integers(0, 10**7)), max_size=30))
def test_tax_lines_add_up(raw: list[tuple[str, int]]) -> None:
    taxes = taxes_for([Line(r, a) for r, a in raw])
    assert sum(t.taxable for t in taxes) == sum(a for _, a in raw)
    assert all(t.dpp + t.ppn == t.taxable for t in taxes)


def test_bad_rate_message_names_the_value_given() -> None:
    with pytest.raises(TaxError, match="'sebelas' is not a number"):
        normalize_rate("sebelas")
    with pytest.raises(TaxError, match="from 0 to 100 percent, got '110'"):
        normalize_rate("110")


@pytest.mark.parametrize("zero", ["-0", "-0.00", "0E+2"])
def test_every_spelling_of_zero_is_the_one_exempt_rate(zero: str) -> None:
    assert normalize_rate(zero) == "0"
    lines = [Line(zero, 1_000), Line("0", 2_000)]
    assert taxes_for(lines) == (TaxLine("0", 3_000, 3_000, 0),)


def test_rates_are_sorted_as_numbers_not_as_text() -> None:
    lines = [Line("12", 1_200), Line("5", 1_050), Line("11", 1_110)]
    assert [t.rate_percent for t in taxes_for(lines)] == ["5", "11", "12"]
