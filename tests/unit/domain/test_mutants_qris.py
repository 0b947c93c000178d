"""A QRIS payload's named form for people and JSON (written for mutants of
kiosk.domain.qris that survived `make mutation`)."""

from __future__ import annotations

from kiosk.domain import qris
from kiosk.domain.qris import QrisPayload

STATIC = (
    "00020101021126470014COM.GO-JEK.WWW01189360091400000000120303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200000000120303UMI5204541153033605802ID5909TOKO SARI6007BANDUNG6105401156304387E"
)


def test_a_static_payload_has_no_amount_and_no_additional_data() -> None:
    named = qris.parse(STATIC).to_dict()
    assert named["dynamic"] is False and named["merchant_name"] == "TOKO SARI"
    assert "amount_rupiah" not in named and "additional_data" not in named
    assert named["merchant_accounts"] == {
        "26": {"00": "COM.GO-JEK.WWW", "01": "936009140000000012", "03": "UMI"},
        "51": {"00": "ID.CO.QRIS.WWW", "02": "ID1020000000012", "03": "UMI"},
    }


def test_a_dynamic_payload_names_its_amount_and_bill() -> None:
    dynamic = qris.to_dynamic(qris.parse(STATIC), 15000, bill_number="INV1", terminal="K01")
    named = (qris.parse(dynamic) if isinstance(dynamic, str) else dynamic).to_dict()
    assert (named["dynamic"], named["amount"], named["amount_rupiah"]) == (True, "15000", 15000)
    assert named["additional_data"] == {"bill_number": "INV1", "terminal_label": "K01"}


def test_unknown_tags_keep_their_number() -> None:
    payload = QrisPayload((("00", "01"), ("99", "x"), ("62", (("01", "B1"), ("77", "y")))))
    assert payload.to_dict() == {
        "payload_format": "01", "99": "x", "additional_data": {"bill_number": "B1", "77": "y"},
        "dynamic": False,
    }  # fmt: skip
