import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.sale import TenderRecord
from kiosk.domain.tenders import TenderError, TenderSession, check_masked_pan


def test_exact_cash() -> None:
    session = TenderSession(25_000)
    record = session.add_cash(25_000)
    assert record == TenderRecord("cash", 25_000, given=25_000)
    assert session.is_complete and session.change == 0 and session.remaining == 0


def test_cash_with_change() -> None:
    session = TenderSession(23_700)
    record = session.add_cash(50_000)
    assert (record.amount, record.given, session.change) == (23_700, 50_000, 26_300)


def test_cash_rounding_to_100() -> None:
    session = TenderSession(23_750, cash_rounding_step=100)
    assert session.cash_due == 23_700
    record = session.add_cash(50_000)
    assert (record.amount, session.cash_rounding, session.change) == (23_700, -50, 26_300)
    assert session.is_complete


def test_cash_rounding_to_500() -> None:
    session = TenderSession(23_950, cash_rounding_step=500)
    session.add_cash(23_500)
    assert (session.cash_rounding, session.change, session.is_complete) == (-450, 0, True)


def test_partial_cash_is_not_rounded() -> None:
    session = TenderSession(23_750, cash_rounding_step=100)
    session.add_cash(10_000)
    assert (session.remaining, session.cash_rounding) == (13_750, 0)
    session.add_cash(13_700)
    assert (session.cash_rounding, session.change) == (-50, 0)


def test_card_only_and_no_rounding_without_cash() -> None:
    session = TenderSession(23_750, cash_rounding_step=100)
    record = session.add_card(
        23_750,
        reference="RRN1",
        approval_code="A1",
        masked_pan="4212 34** **** 1234",
        terminal_id="T1",
    )
    assert record.masked_pan == "421234******1234"
    assert session.is_complete and session.cash_rounding == 0


def test_split_tender_in_any_order() -> None:
    session = TenderSession(100_050, cash_rounding_step=100)
    session.add_qris(30_000, reference="QR-1")
    session.add_cash(20_000)
    session.add_card(50_000, reference="RRN")
    assert session.remaining == 50 and session.cash_due == 0
    session.add_cash(0)  # rounding alone settles the last Rp50
    assert session.is_complete and session.cash_rounding == -50
    assert [r.method for r in session.records()] == ["qris", "cash", "card", "cash"]
    assert sum(r.amount for r in session.records()) == 100_000


def test_card_and_qris_cannot_exceed_remaining() -> None:
    session = TenderSession(10_000)
    session.add_cash(4_000)
    with pytest.raises(TenderError, match="card amount 7000 is more than the 6000 still due"):
        session.add_card(7_000, reference="R")
    with pytest.raises(TenderError, match="QRIS amount 6001"):
        session.add_qris(6_001, reference="Q")
    assert session.remaining == 6_000 and len(session.records()) == 1


def test_bad_tenders() -> None:
    session = TenderSession(10_000)
    with pytest.raises(TenderError, match="needs the reference"):
        session.add_qris(1_000, reference=" ")
    with pytest.raises(TenderError, match="more than Rp0"):
        session.add_cash(0)
    with pytest.raises(TenderError, match="whole rupiah"):
        session.add_cash(10.5)  # type: ignore[arg-type]
    with pytest.raises(TenderError, match="more than Rp0"):
        session.add_card(-5, reference="R")
    session.add_cash(10_000)
    with pytest.raises(TenderError, match="already paid in full"):
        session.add_cash(1_000)
    with pytest.raises(TenderError, match="rounding step must be one of"):
        TenderSession(1, cash_rounding_step=50)
    with pytest.raises(TenderError, match=">= 0"):
        TenderSession(-1)


def test_nothing_to_pay_is_complete() -> None:
    assert TenderSession(0).is_complete


@pytest.mark.parametrize(
    "pan",
    [
        "4212345678901234",
        "421234567890****",
        "4212 3456 7890 1234",
        "4212-34**-**90-1234",
        "4212abcd",
    ],
)
def test_full_card_numbers_are_refused(pan: str) -> None:
    with pytest.raises(TenderError):
        check_masked_pan(pan)


@pytest.mark.parametrize(
    ("pan", "kept"),
    [
        ("", ""),
        ("************1234", "************1234"),
        ("421234XXXXXX1234", "421234XXXXXX1234"),
        ("1234", "1234"),
    ],
)
def test_masked_card_numbers_are_kept(pan: str, kept: str) -> None:
    assert check_masked_pan(pan) == kept


@given(
    st.integers(0, 2_000_000),
    st.sampled_from([0, 100, 500]),
    st.lists(
        st.tuples(st.sampled_from(["cash", "card", "qris"]), st.integers(1, 800_000)), max_size=6
    ),
)
def test_tender_invariants(payable: int, step: int, attempts: list[tuple[str, int]]) -> None:
    session = TenderSession(payable, cash_rounding_step=step)
    for method, amount in attempts:
        if session.is_complete:
            break
        if method == "cash":
            if session.cash_due == 0:
                session.add_cash(0)
            else:
                session.add_cash(amount)
        else:
            try:
                if method == "card":
                    session.add_card(amount, reference="R")
                else:
                    session.add_qris(amount, reference="Q")
            except TenderError:
                assert amount > session.remaining
    if not session.is_complete:
        session.add_cash(max(session.cash_due, 1) if session.cash_due else 0)
    applied = sum(r.amount for r in session.records())
    assert session.is_complete
    assert applied == payable + session.cash_rounding
    assert session.change >= 0
    assert -step < session.cash_rounding <= 0 or session.cash_rounding == 0
    for record in session.records():
        assert record.amount >= 0
        if record.method == "cash":
            assert record.given is not None and record.given >= record.amount
