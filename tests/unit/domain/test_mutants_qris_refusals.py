"""Every QRIS refusal word for word, at the exact limits, and the dynamic payload's
defaults (written for mutants of kiosk.domain.qris that survived the second and third
mutation runs: the domain tests matched most messages by a fragment only)."""

from __future__ import annotations

import pytest

from kiosk.domain import qris
from kiosk.domain.qris import QrisError, QrisPayload

STATIC = (
    "00020101021126470014COM.GO-JEK.WWW01189360091400000000120303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200000000120303UMI5204541153033605802ID5909TOKO SARI6007BANDUNG6105401156304387E"
)


def variant(**tags: str | None) -> str:
    """STATIC with tags set (``t59="..."``) or dropped (``t26=None``), CRC recomputed."""
    elements = qris.parse(STATIC).elements
    for key, value in tags.items():
        tag = key[1:]
        kept = tuple(e for e in elements if e[0] != tag)
        elements = kept if value is None else (*kept, (tag, value))
    return qris.build(QrisPayload(elements))


def refused(text: str, **kwargs: int) -> str:
    with pytest.raises(QrisError) as caught:
        qris.parse(text, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("X" + STATIC, "payload must start with 000201 (payload format indicator 01)"),
        ("00020101AB", "payload: bad tag or length at position 6: '01AB' (a length before it may be wrong)"),
        ("0002010102", "payload: tag 01 says 2 characters but only 0 remain"),
        (STATIC[:-8], "payload must end with the CRC (tag 63, 4 characters)"),
        (STATIC[:-4] + "0000", "CRC mismatch: payload says 0000, content gives 387E"),
        (variant(t59=None), "missing mandatory tag 59 (merchant name)"),
        (variant(t26=None, t51=None), "missing merchant account information (tags 02-51)"),
        (variant(t59="A" * 26), "tag 59 is longer than 25 characters"),
        (variant(t60="B" * 16), "tag 60 is longer than 15 characters"),
        (variant(t61="1" * 11), "tag 61 is longer than 10 characters"),
        (variant(t01="13"), "point of initiation (tag 01) must be 11 (static) or 12 (dynamic)"),
        (variant(t53="840"), "currency (tag 53) must be 360 (rupiah)"),
        (variant(t58="SG"), "country (tag 58) must be ID"),
        (variant(t52="541"), "merchant category (tag 52) must be 4 digits"),
        (variant(t52="54A1"), "merchant category (tag 52) must be 4 digits"),
        (variant(t54="1,500"), "amount (tag 54) must be digits with an optional '.': '1,500'"),
        (variant(t54=".5"), "amount (tag 54) must be digits with an optional '.': '.5'"),
        (variant(t54="15000.50"), "amount (tag 54) must be whole rupiah: '15000.50'"),
        (variant(t54="0"), "amount (tag 54) must be above zero"),
        (variant(t55="04"), "tip indicator (tag 55) must be 01, 02 or 03"),
        (variant(t55="02"), "tip indicator 02 needs tag 56"),
        (variant(t55="03"), "tip indicator 03 needs tag 57"),
    ],
)  # fmt: skip
def test_a_payload_at_fault_is_refused_with_the_reason(text: str, message: str) -> None:
    assert refused(text) == message


def test_a_tag_twice_is_named() -> None:
    twice = QrisPayload((*qris.parse(STATIC).elements, ("58", "ID")))
    assert refused(qris.build(twice)) == "tag 58 appears twice"


@pytest.mark.parametrize(
    "text",
    [
        STATIC[:-4] + "387e",  # a lower-case CRC
        variant(t59="A" * 25, t60="B" * 15, t61="1" * 10),
        variant(t26=None),  # one merchant account is enough
        variant(t51=None),
        variant(t55="01"),
        variant(t55="02", t56="1000"),
        variant(t55="03", t57="5"),
    ],
)
def test_payloads_at_the_limits_are_read(text: str) -> None:
    assert qris.parse(text).get("00") == "01"


def test_amounts_up_to_the_limit_are_read_as_whole_rupiah() -> None:
    assert qris.parse(variant(t01="12", t54="15000.00")).amount == 15000
    assert qris.parse(variant(t01="12", t54="15000"), max_amount=15000).amount == 15000
    assert refused(variant(t01="12", t54="15000"), max_amount=14999) == (
        "amount 15000 is over the QRIS limit of 14999"
    )


def test_a_value_of_more_than_99_characters_cannot_be_encoded() -> None:
    fits = QrisPayload((*qris.parse(STATIC).elements, ("62", (("08", "x" * 95),))))
    assert qris.parse(qris.build(fits)).template("62") == {"08": "x" * 95}
    too_long = QrisPayload((*qris.parse(STATIC).elements, ("62", (("08", "x" * 96),))))
    with pytest.raises(QrisError) as caught:
        qris.build(too_long)
    assert str(caught.value) == "tag 62 is longer than 99 characters"


@pytest.mark.parametrize(
    ("amount", "kwargs", "message"),
    [
        (0, {}, "amount must be whole rupiah above zero"),
        (True, {}, "amount must be whole rupiah above zero"),
        (1.5, {}, "amount must be whole rupiah above zero"),
        (15000, {"max_amount": 14999}, "amount 15000 is over the QRIS limit of 14999"),
        (100, {"bill_number": "B" * 26}, "bill number must be at most 25 printable ASCII characters"),
        (100, {"terminal": "K\n"}, "terminal must be at most 25 printable ASCII characters"),
        (100, {"terminal": "Kasir é"}, "terminal must be at most 25 printable ASCII characters"),
    ],
)  # fmt: skip
def test_a_dynamic_payload_is_refused_with_the_reason(
    amount: object, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(QrisError) as caught:
        qris.to_dynamic(STATIC, amount, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_dynamic_payload_without_labels_has_no_additional_data() -> None:
    plain = qris.parse(qris.to_dynamic(STATIC, 15000, max_amount=15000))
    assert (plain.dynamic, plain.amount, plain.get("62")) == (True, 15000, None)
    labelled = qris.to_dynamic(STATIC, 100, bill_number="B" * 25, terminal="T" * 25)
    assert qris.parse(labelled).template("62") == {"01": "B" * 25, "07": "T" * 25}
    # a static payload's own additional data is kept beside the new labels
    kept = qris.to_dynamic(variant(t62="0303S01"), 100, terminal="K1")
    assert qris.parse(kept).template("62") == {"03": "S01", "07": "K1"}


def test_a_crc_tag_of_the_wrong_length_is_refused_as_such() -> None:
    assert (
        refused(STATIC[:-8] + "6303ABC") == "payload must end with the CRC (tag 63, 4 characters)"
    )


def test_tag_02_alone_is_a_merchant_account() -> None:
    card_only = variant(t26=None, t51=None, t02="4111111111111111")
    assert qris.parse(card_only).get("02") == "4111111111111111"


def test_a_template_tag_has_no_plain_value() -> None:
    payload = qris.parse(STATIC)
    assert payload.get("26") is None
    assert payload.template("26")["00"] == "COM.GO-JEK.WWW"


def test_a_shop_with_a_higher_limit_may_ask_for_more() -> None:
    big = qris.to_dynamic(STATIC, 20_000_000, max_amount=50_000_000)
    assert qris.parse(big, max_amount=50_000_000).amount == 20_000_000
    again = qris.to_dynamic(big, 30_000_000, max_amount=50_000_000)
    assert qris.parse(again, max_amount=50_000_000).amount == 30_000_000
