"""QRIS payloads: published vectors, every refusal with its reason, static -> dynamic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain import qris
from kiosk.domain.qris import QrisError

# The sample merchant of the QRIS specification (ASPI) as it circulates publicly: its CRC
# is right, but template 51 says 38 characters where 31 follow, so the tags after it
# are misread and it must be refused.
ASPI_PUBLISHED = (
    "00020101021102154076620099999990415508999888888888265400020001189360000901234567890215"
    "ABCD123456789010303UMI27660021ID.CO.PERMATABANK.WWW01189360001329876543210215BDFHF12345"
    "6789051380008ID.GPNQR0215ABCDE12345678905204581253033605802ID5909BASO JONO6007JAKARTA"
    "6105103106304A76D"
)
# EMVCo's merchant-presented mode example (China, so not a QRIS), with its published CRC:
# it checks the CRC over UTF-8 bytes and lengths counted in characters.
EMVCO_SAMPLE = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115"
    "802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.72530315655020162"
    "33030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"
)


def bitwise_crc(data: bytes) -> str:
    """CRC-16/CCITT-FALSE written out bit by bit: an oracle independent of binascii."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def with_crc(body: str) -> str:
    body += "6304"
    return body + bitwise_crc(body.encode())


# A shop's static QRIS laid out as acquirers issue them (an e-wallet's template 26, the
# national repository's template 51), built tag by tag; the CRC comes from the oracle.
ACCOUNTS = tlv(
    "26", tlv("00", "COM.GO-JEK.WWW") + tlv("01", "936009140000000012") + tlv("03", "UMI")
) + tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1020000000012") + tlv("03", "UMI"))
STATIC_BODY = (
    tlv("00", "01")
    + tlv("01", "11")
    + ACCOUNTS
    + tlv("52", "5411")
    + tlv("53", "360")
    + tlv("58", "ID")
    + tlv("59", "TOKO SARI")
    + tlv("60", "BANDUNG")
    + tlv("61", "40115")
)
STATIC = with_crc(STATIC_BODY)


def variant(old: str, new: str) -> str:
    """The static payload with one piece replaced, CRC recomputed."""
    assert old in STATIC_BODY
    return with_crc(STATIC_BODY.replace(old, new))


def test_published_crcs_match() -> None:
    assert qris.crc16(ASPI_PUBLISHED[:-4]) == "A76D"
    assert qris.crc16(EMVCO_SAMPLE[:-4]) == "A13A"
    assert bitwise_crc(EMVCO_SAMPLE[:-4].encode()) == "A13A"


def test_published_aspi_sample_is_refused_for_its_template_length() -> None:
    with pytest.raises(QrisError, match="bad tag or length at position 254"):
        qris.parse(ASPI_PUBLISHED)


def test_static_payload_parses_into_named_fields() -> None:
    payload = qris.parse(STATIC)
    fields = payload.to_dict()
    assert fields["merchant_name"] == "TOKO SARI"
    assert fields["merchant_city"] == "BANDUNG"
    assert fields["postal_code"] == "40115"
    assert fields["merchant_category"] == "5411"
    assert fields["dynamic"] is False
    assert payload.amount is None
    assert fields["merchant_accounts"] == {
        "26": {"00": "COM.GO-JEK.WWW", "01": "936009140000000012", "03": "UMI"},
        "51": {"00": "ID.CO.QRIS.WWW", "02": "ID1020000000012", "03": "UMI"},
    }


def test_emvco_sample_is_read_but_refused_as_qris_for_its_currency() -> None:
    with pytest.raises(QrisError, match="currency"):
        qris.parse(EMVCO_SAMPLE)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (STATIC[:-1] + ("0" if STATIC[-1] != "0" else "1"), "CRC mismatch"),
        (STATIC[:-12] + STATIC[-8:], "bad tag or length at position 165"),
        ("hello", "must start with 000201"),
        (STATIC[:-8], "must end with the CRC"),
        (variant(tlv("52", "5411"), tlv("52", "54A1")), "merchant category"),
        (variant(ACCOUNTS, ""), "missing merchant account"),
        (variant("5909TOKO SARI", ""), "missing mandatory tag 59"),
        (variant("5303360", "5303360" + tlv("54", "10000001")), "over the QRIS limit"),
        (variant("5303360", "5303360" + tlv("54", "1.000,00")), "digits with an optional"),
        (variant("5303360", "5303360" + tlv("54", "0")), "above zero"),
        (variant("5303360", "5303360" + tlv("55", "02")), "tip indicator 02 needs tag 56"),
        (variant("5303360", "5303840"), "currency"),
        (variant("5802ID", "5802ID5802ID"), "appears twice"),
        (variant("5909TOKO SARI", tlv("59", "X" * 26)), "longer than 25"),
        (variant("0014ID.CO.QRIS.WWW", "0015ID.CO.QRIS.WWW"), "template 51"),
    ],
)
def test_invalid_payloads_are_refused_with_the_reason(payload: str, reason: str) -> None:
    with pytest.raises(QrisError, match=reason):
        qris.parse(payload)


def test_static_to_dynamic_matches_a_hand_built_payload() -> None:
    expected = with_crc(
        STATIC_BODY.replace("010211", "010212").replace("5303360", "5303360" + tlv("54", "25000"))
        + tlv("62", tlv("01", "INV-0001") + tlv("07", "LANE-2"))
    )
    got = qris.to_dynamic(STATIC, 25000, bill_number="INV-0001", terminal="LANE-2")
    assert got == expected
    parsed = qris.parse(got)
    assert parsed.dynamic and parsed.amount == 25000 and parsed.bill_number == "INV-0001"


def test_dynamic_of_a_dynamic_replaces_amount_and_keeps_other_additional_data() -> None:
    source = with_crc(STATIC_BODY + tlv("62", tlv("03", "TOKO-1")))
    first = qris.to_dynamic(source, 1000, bill_number="A")
    second = qris.to_dynamic(first, 2000, bill_number="B")
    parsed = qris.parse(second)
    assert parsed.amount == 2000
    assert parsed.template("62") == {"01": "B", "03": "TOKO-1"}


def test_midtrans_style_amount_with_cents_reads_as_whole_rupiah() -> None:
    payload = qris.parse(variant("5303360", "5303360" + tlv("54", "789000.00")))
    assert payload.amount == 789000
    with pytest.raises(QrisError, match="whole rupiah"):
        qris.parse(variant("5303360", "5303360" + tlv("54", "10.50")))


@pytest.mark.parametrize("amount", [0, -5, qris.QRIS_MAX_AMOUNT + 1, True])
def test_to_dynamic_refuses_amounts_out_of_range(amount: int) -> None:
    with pytest.raises(QrisError):
        qris.to_dynamic(STATIC, amount)


def test_to_dynamic_refuses_a_bill_number_that_does_not_fit() -> None:
    with pytest.raises(QrisError, match="bill number"):
        qris.to_dynamic(STATIC, 1000, bill_number="X" * 26)
    with pytest.raises(QrisError, match="terminal"):
        qris.to_dynamic(STATIC, 1000, terminal="kasir\n1")


printable = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=25
)


@given(
    amount=st.integers(min_value=1, max_value=qris.QRIS_MAX_AMOUNT),
    bill=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=25),
    name=printable,
)
def test_build_parse_round_trip(amount: int, bill: str, name: str) -> None:
    source = variant("5909TOKO SARI", tlv("59", name))
    text = qris.to_dynamic(source, amount, bill_number=bill)
    parsed = qris.parse(text)
    assert (parsed.amount, parsed.bill_number, parsed.merchant_name) == (amount, bill, name)
    assert qris.build(parsed) == text
    assert bitwise_crc(text[:-4].encode()) == text[-4:]
