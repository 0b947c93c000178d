"""Electronic tenders at their edges: nothing for Rp0, whole rupiah only, and no card
details invented for a payment that has none (written for mutants of
kiosk.domain.tenders that survived `make mutation`)."""

from __future__ import annotations

import pytest

from kiosk.domain.sale import TenderRecord
from kiosk.domain.tenders import TenderError, TenderSession


@pytest.mark.parametrize(("method", "label"), [("card", "card"), ("qris", "QRIS"),
                                               ("online", "online payment")])  # fmt: skip
def test_an_electronic_payment_of_nothing_is_refused(method: str, label: str) -> None:
    session = TenderSession(10_000)
    pay = getattr(session, f"add_{method}")
    with pytest.raises(TenderError) as caught:
        pay(0, reference="R1")
    assert (caught.value.code, str(caught.value)) == (
        f"tender.{'qris' if method == 'qris' else method}_zero",
        f"{label} amount must be more than Rp0, got 0",
    )
    with pytest.raises(TenderError, match=rf"^{method} amount must be whole rupiah, got 1.5$"):
        pay(1.5, reference="R1")
    assert session.records() == ()


def test_qris_and_online_records_carry_no_card_details() -> None:
    session = TenderSession(10_000)
    session.add_qris(6_000, reference=" QR1 ")
    session.add_online(4_000, reference="WEB7")
    assert session.records() == (
        TenderRecord("qris", 6_000, reference="QR1"),
        TenderRecord("online", 4_000, reference="WEB7"),
    )
    card = TenderSession(5_000).add_card(5_000, reference="RRN")
    assert (card.approval_code, card.masked_pan, card.terminal_id) == ("", "", "")


def test_points_pay_their_value_and_never_give_change() -> None:
    session = TenderSession(10_000)
    assert session.add_points(400, 4_000) == TenderRecord("points", 4_000, given=400)
    assert (session.remaining, session.points_spent) == (6_000, 400)
    with pytest.raises(TenderError) as caught:
        session.add_points(700, 7_000)
    assert (caught.value.code, str(caught.value)) == (
        "tender.points_over",
        "points worth 7000 are more than the 6000 still due; points cannot give change",
    )
    for points, value in ((0, 1_000), (100, 0)):
        with pytest.raises(TenderError, match="^points to redeem must be above zero$"):
            session.add_points(points, value)
    session.add_cash(6_000)
    assert session.is_complete and session.points_spent == 400
