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


def refused(call: object, *args: object, **kwargs: object) -> tuple[str, dict[str, object], str]:
    """The refusal's code (what the screens translate), parameters and English message."""
    with pytest.raises(TenderError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.code, caught.value.params, str(caught.value)


def test_opening_a_payment_refuses_with_a_code_per_reason() -> None:
    assert refused(TenderSession, -1) == (
        "tender.payable_negative",
        {},
        "amount payable must be >= 0, got -1",
    )
    assert refused(TenderSession, 1.5) == (
        "tender.not_whole",
        {},
        "amount payable must be whole rupiah, got 1.5",
    )
    assert refused(TenderSession, 10**9 + 1) == (
        "tender.over_limit",
        {"limit": 10**9},
        "amount payable: is more than the limit of Rp1.000.000.000",
    )
    assert refused(TenderSession, 100, cash_rounding_step=50) == (
        "tender.rounding_step", {},
        "cash rounding step must be one of (0, 100, 200, 500, 1000), got 50")  # fmt: skip


def test_cash_refusals_and_change() -> None:
    session = TenderSession(1)
    assert refused(session.add_cash, 0) == (
        "tender.cash_zero",
        {},
        "cash given must be more than Rp0, got 0",
    )
    assert refused(session.add_cash, 1.5) == (
        "tender.not_whole",
        {},
        "cash given must be whole rupiah, got 1.5",
    )
    assert refused(session.add_cash, 10**8 + 1) == (
        "tender.over_limit", {"limit": 10**8},
        "cash given: is more than the limit of Rp100.000.000")  # fmt: skip
    part = TenderSession(10_000)
    part.add_cash(4_000)
    assert (part.change, part.remaining) == (0, 6_000)
    part.add_cash(6_000)
    assert refused(part.add_cash, 100) == (
        "tender.paid", {}, "the sale is already paid in full")  # fmt: skip


@pytest.mark.parametrize(
    ("method", "over", "reference"),
    [
        ("card", ("tender.card_over", "card amount 6000 is more than the 5000 still due; "
                  "a card payment cannot give change"),
         ("tender.card_reference", "card payment needs the reference from the card provider")),
        ("qris", ("tender.qris_over", "QRIS amount 6000 is more than the 5000 still due; "
                  "a QRIS payment cannot give change"),
         ("tender.qris_reference", "QRIS payment needs the reference from the QRIS provider")),
        ("online", ("tender.online_over", None),
         ("tender.online_reference", None)),
    ],
)  # fmt: skip
def test_electronic_refusals_have_their_own_codes(
    method: str, over: tuple[str, str | None], reference: tuple[str, str | None]
) -> None:
    # (the online wording, "a online payment payment", is left to whoever rewords it)
    pay = getattr(TenderSession(5_000), f"add_{method}")
    code, params, message = refused(pay, 6_000, reference="R")
    assert (code, params) == (over[0], {"due": 5_000})
    assert over[1] is None or message == over[1]
    code, _, message = refused(pay, 5_000, reference="  ")
    assert code == reference[0] and (reference[1] is None or message == reference[1])


def test_masked_card_numbers_keep_at_most_six_and_four_digits() -> None:
    card = TenderSession(5_000).add_card
    for visible in ("4212341234", "421234******1234", "4212 34** **** 1234"):
        assert card(1, reference="R", masked_pan=visible).masked_pan == visible.replace(" ", "")
    for unmasked in ("42123451234", "4212345****1234", "421234****51234"):
        assert refused(card, 1, reference="R", masked_pan=unmasked) == (
            "tender.card_unmasked", {},
            "card number is not masked: only the first 6 and last 4 digits may be kept")  # fmt: skip
    assert refused(card, 1, reference="R", masked_pan="4212ab******1234") == (
        "tender.masked_card", {},
        "masked card number may hold only digits and mask characters (*)")  # fmt: skip


def test_points_at_their_edges() -> None:
    session = TenderSession(10_000)
    assert session.add_points(1, 1).amount == 1
    assert refused(session.add_points, 1.5, 100) == (
        "tender.not_whole",
        {},
        "points must be whole rupiah, got 1.5",
    )
    assert refused(session.add_points, 10, 2.5) == (
        "tender.not_whole",
        {},
        "points value must be whole rupiah, got 2.5",
    )
    assert refused(session.add_points, 0, 100)[0] == "points.whole"
    session.add_points(999, 9_999)  # exactly what remains
    assert session.is_complete  # fmt: skip


def test_card_records_keep_approval_and_terminal_and_negative_cash_is_named() -> None:
    card = TenderSession(5_000).add_card(5_000, reference="RRN", approval_code="A1",
                                         terminal_id="T9")  # fmt: skip
    assert (card.approval_code, card.terminal_id) == ("A1", "T9")
    assert refused(TenderSession(5_000).add_cash, -5) == (
        "tender.cash_zero", {}, "cash given must be more than Rp0, got -5")  # fmt: skip
    session = TenderSession(1_000)
    assert refused(session.add_points, 200, 2_000)[:2] == ("tender.points_over", {"due": 1_000})
