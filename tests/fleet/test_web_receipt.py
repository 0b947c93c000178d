"""The e-receipt page the kiosk's QR code opens (``/r/{sale_id}``), on both engines: a sale
the kiosk's ledger published, stored through ingest, rendered with the right totals in
both languages without a login; any other token gets a 404 that shows nothing of a sale."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest.messages import store_message
from fleet.shop import settings as shop_settings
from fleet.storage.repository import Partitions
from fleet.web import create_app
from kiosk.domain.money import format_rupiah
from kiosk.domain.receipt_link import receipt_link
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import sample_sale

RECEIVED = "2026-11-27T10:00:00Z"


def kiosk_sales(tmp_path: Path) -> list[dict[str, Any]]:
    """Two sales committed on a kiosk's ledger (card with a discount, an untaxed and a
    weighed line; cash with rounding and change), as its outbox publishes them."""
    ledger = SqliteLedger(tmp_path / "k01.db", "K01")
    try:
        for lines, tender in ((6, "card"), (5, "cash")):  # the cash one rounds Rp50 off
            ledger.commit_sale(dataclasses.replace(sample_sale(lines, tender=tender),
                                                   sale_id=uuid.uuid4().hex))  # fmt: skip
        # A sale whose id is short and sequential: stored, but guessable, so never served.
        ledger.commit_sale(dataclasses.replace(sample_sale(2), sale_id="K01-0001"))
    finally:
        ledger.close()
    rows = sqlite3.connect(tmp_path / "k01.db").execute("SELECT topic, payload FROM outbox")
    return [json.loads(payload) for suffix, payload in rows if suffix.startswith("sale")]


@pytest.fixture
def site(fleet_engine: sa.Engine, tmp_path: Path) -> Iterator[tuple[TestClient, list[Any]]]:
    docs = kiosk_sales(tmp_path)
    with fleet_engine.begin() as conn:
        for doc in docs:
            topic = f"pos/v1/{doc['store_id']}/{doc['device_id']}/sale"
            outcome = store_message(conn, topic, json.dumps(doc).encode(), received_at=RECEIVED,
                                    partitions=Partitions())  # fmt: skip
            assert outcome == "new"
        shop_settings.save(conn, "S01", {"name": "Toko Maju Jaya"})
    with TestClient(create_app(fleet_engine)) as client:  # nobody signed in
        yield client, docs


def rp(amount: int, lang: str = "id") -> str:
    return format_rupiah(amount, lang)


def test_the_kiosks_qr_address_opens_the_sale_with_its_totals(site: Any) -> None:
    client, (card, _, _) = site
    address = receipt_link(
        "http://testserver/r/{sale_id}", sale_id=card["sale_id"], store_id="S01", device_id="K01"
    )  # as the kiosk's QR holds it
    page = client.get(address, headers={"Accept-Language": "id-ID"})
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    html = page.text
    assert "Toko Maju Jaya" in html and f"No. struk {card['receipt_no']}" in html
    assert "27 Nov 2026 13.01 WIB" in html  # 06:01 UTC in the store's zone
    assert f'id="payable">{rp(card["payable"])}<' in html
    assert card["discount_total"] == 500 and rp(-500) in html
    assert "1,25 kg" in html and "Indomie Goreng 85g" in html
    for tax in card["taxes"]:
        if tax["ppn"]:
            assert f'PPN {tax["rate_percent"]}%</td><td class="num">{rp(tax["ppn"])}' in html
            assert f'DPP {tax["rate_percent"]}%</td><td class="num">{rp(tax["dpp"])}' in html
    # The card as its last four digits only: no first six, approval code or terminal.
    assert "Kartu •••• 1234" in html and card["tenders"][0]["masked_pan"] not in html
    assert "421234" not in html and "A1B2C3" not in html and "T0001" not in html
    share = f"https://wa.me/?text={quote('Struk belanja Toko Maju Jaya no. ', safe='')}"
    assert share in html and quote(address, safe="") in html
    assert "Bagikan lewat WhatsApp" in html


def test_a_cash_receipt_in_english(site: Any) -> None:
    client, (_, cash, _) = site
    html = client.get(f"/r/{cash['sale_id']}?lang=en").text
    given = cash["tenders"][0]["given"]
    assert f'Cash <span class="note">({rp(given, "en")} given)' in html
    assert f'Change</td><td class="num">{rp(cash["change"], "en")}' in html
    assert cash["cash_rounding"] == -50
    assert f'Cash rounding</td><td class="num">{rp(cash["cash_rounding"], "en")}' in html
    assert f'id="payable">{rp(cash["payable"], "en")}<' in html and "13:01 WIB" in html
    assert "Share on WhatsApp" in html and "Receipt+from" not in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_wrong_token_shows_nothing_of_any_sale(site: Any, lang: str) -> None:
    client, (card, cash, guessable) = site
    near = card["sale_id"][:-1] + ("0" if card["sale_id"][-1] != "0" else "1")
    wrong = [uuid.uuid4().hex, near, card["sale_id"].upper(), guessable["sale_id"], "1",
             card["sale_id"] + "0", "' OR 1=1 --"]  # fmt: skip
    for token in wrong:
        page = client.get(f"/r/{quote(token, safe='')}?lang={lang}")
        assert page.status_code == 404, token
        title = "Struk tidak ditemukan" if lang == "id" else "Receipt not found"
        assert title in page.text
        # The language link repeats the address asked for; beyond that, nothing of a sale.
        text = page.text.replace(quote(token, safe=""), "").replace(token, "")
        for doc in (card, cash, guessable):
            assert doc["sale_id"] not in text
        assert "Toko Maju Jaya" not in text and "Rp" not in text
        assert "S01" not in text and "K01" not in text


def test_the_receipt_lookup_has_an_index_on_both_engines(fleet_engine: sa.Engine) -> None:
    """The page knows only the sale id; the primary key (and PostgreSQL's partitions) start
    with the business day, so migration 0008 indexes the id."""
    indexes = {index["name"]: index["column_names"] for index in
               sa.inspect(fleet_engine).get_indexes("sales")}  # fmt: skip
    assert indexes.get("sales_by_id") == ["sale_id"]
