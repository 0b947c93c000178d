"""One Indonesian word for one thing, on the till, on its slips and on the fleet's pages:
an owner who reads "hari buka" on the printed Z report reads it on the dashboard too, and
no English word stands in an Indonesian text where Indonesian has one in use."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.shop.payments import SimulatedAcquirer
from fleet.storage import schema
from fleet.web import create_app
from fleet.web.i18n import LANGS, TEXTS
from fleet.web.refusal_i18n import REFUSAL_TEXTS
from fleet.web.shop_i18n import SHOP_TEXTS
from kiosk.contract.schemas import COMMANDS
from kiosk.domain.books_report import report_labels
from kiosk.domain.receipt import labels as receipt_labels
from kiosk.domain.refund_slip import refund_labels
from kiosk.ui.i18n import translations
from kiosk.ui.i18n.extract import load
from tests.fleet.accounts import signed_in
from tests.fleet.test_web_shop import Broker, add, checkout, shop

__all__ = ["shop"]  # test_web_shop's fixture: a store with a catalog, stock and settings


def indonesian_texts() -> dict[str, str]:
    """Every Indonesian text a person reads, by where it comes from."""
    texts = {}
    for message in load("id"):
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        shown = message.string if isinstance(message.string, str) else message.string[0]
        if msgid:
            texts[f"kiosk.po {msgid!r}"] = shown
    for name, words in (("report", report_labels("id")), ("receipt", receipt_labels("id")),
                        ("refund slip", refund_labels("id"))):  # fmt: skip
        texts.update({f"{name} {key}": text for key, text in words.items()})
    for name, table in (("fleet", TEXTS), ("shop", SHOP_TEXTS), ("refusal", REFUSAL_TEXTS)):
        texts.update({f"{name} {key}": words["id"] for key, words in table.items()})
    return texts


# The word in use (kiosk screens, printed reports and slips), and the ones it replaced.
TERMS = {
    "business day": ("hari buka", r"\bhari (usaha|kerja|bisnis|dagang)\b"),
    "refund": ("refund", r"\bpengembalian\b"),
    "member": ("member", r"\banggota\b"),
    "payment provider": ("penyedia", r"\bacquirer\b"),
    "online orders": ("pesanan", r"\border\b"),
}


@pytest.mark.parametrize("term", sorted(TERMS))
def test_one_indonesian_word_for_each_thing(term: str) -> None:
    _, others = TERMS[term]
    found = {where: text for where, text in indonesian_texts().items()
             if re.search(others, text, re.IGNORECASE)}  # fmt: skip
    assert found == {}, f"{term}: use {TERMS[term][0]!r}"


def test_the_business_day_is_called_the_same_on_the_till_its_reports_and_the_fleet() -> None:
    indonesian = translations("id").gettext
    assert indonesian("Business day {day} is already closed (Z {number})").startswith("Hari buka")
    assert "hari buka" in indonesian("Z {number} closed the business day {day}")
    assert indonesian("close the business day") == "menutup hari buka"
    assert report_labels("id")["day"] == "Hari buka"
    assert TEXTS["report_days"]["id"].startswith("Hari buka ")


def test_the_online_orders_key_is_indonesian() -> None:
    assert translations("id").gettext("Orders") == "Pesanan"
    assert translations("en").gettext("Orders") == "Orders"


# An Indonesian text the same as its English: only words Indonesian shares (brands, tax
# names, loanwords the till uses throughout) and texts that are only numbers and names.
SAME_IN_BOTH = {"Member", "Member: {name}", "QRIS", "Refund", "Total", "supervisor",
                "{name}: {grams} g, {amount}", "{name}: {price}", "{price} per kg"}  # fmt: skip


def test_no_english_msgid_stands_untranslated_in_indonesian() -> None:
    same = {str(m.id) for m in load("id") if m.id and m.string == m.id}
    assert same <= SAME_IN_BOTH, sorted(same - SAME_IN_BOTH)


def test_every_command_a_store_page_lists_is_named_in_the_pages_language(
    fleet_engine: sa.Engine,
) -> None:
    """A command sent by ``fleet push`` or the web shop (an undo, settings, an online
    order, ...) is listed by its name in words, not its internal one (``catalog_undo``)."""
    with fleet_engine.begin() as conn:
        for number, name in enumerate(sorted(COMMANDS)):
            conn.execute(sa.insert(schema.commands).values(
                command_id=f"c{number}", store_id="toko", device_id="all", name=name,
                body="{}", issued_at=f"2026-11-30T10:{number:02d}:00Z", issued_by="cli:bos"))  # fmt: skip
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "bos")
    for lang in LANGS:
        page = client.get(f"/stores/toko/commands?lang={lang}").text
        rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)", page)
        cells = [cell.strip() for _, cell in rows]
        assert sorted(cells) == sorted(TEXTS[f"cmd_{name}"][lang] for name in COMMANDS)
        assert not set(cells) & set(COMMANDS), cells
        # when, in the store's time (Jakarta without a kiosk to say otherwise), not UTC
        clock = "." if lang == "id" else ":"
        assert all(re.fullmatch(rf"(30 \S+ (2026 )?)?17{clock}\d\d WIB", at)
                   for at, _ in rows), rows  # fmt: skip


def test_the_owners_orders_page_says_when_in_the_stores_time_and_the_channel_in_words(
    shop: tuple[TestClient, Broker, SimulatedAcquirer], fleet_engine: sa.Engine
) -> None:
    """An order's time in the store's zone ("13.05 WIB"), not a UTC stamp cut to
    "2026-11-30 06:05"; the web shop as "Toko online", not its channel id ``web``."""
    client, _, _ = shop
    add(client, "TEH")
    assert checkout(client, pickup_time="17:30").status_code == 303
    signed_in(fleet_engine, client, "bos")
    for lang, channel in (("id", "Toko online"), ("en", "Web shop")):
        page = client.get(f"/stores/toko/orders?lang={lang}").text
        found = re.search(r'data-order="[^"]+"><td>([^<]*)</td><td>([^<]*)</td>', page)
        assert found is not None, page
        assert re.fullmatch(r"(\d+ \S+ )?\d\d[.:]\d\d WIB", found[1]), found[1]
        assert found[2] == channel


# A figure of the printed Z report (kiosk/domain/books_report.py) -> the fleet's words for
# the same figure on the day report, the analytics and the loss-prevention view.
Z_FIGURES = {
    "transactions": ("transactions", "fig_transactions"),
    "average": ("average_ticket", "fig_average_ticket"),
    "voids": ("voids",),
    "gross": ("gross",),
    "net": ("net", "fig_net"),
    "discounts": ("discounts", "fig_discounts"),
    "returns": ("returns",),
    "rounding": ("cash_rounding",),
    "per_basket": ("units_per_sale",),
    "z_number": ("z_number",),
    "channels": ("sales_by_channel",),
}


def test_the_fleet_names_a_figure_as_the_printed_z_report_does() -> None:
    """The owner lays the printed Z beside the dashboard: "Rata-rata transaksi" and
    "Batal baris" on paper are the same words on the pages, and a label made from one
    reads on from it ("Batal baris per 100 transaksi", the flag "batal baris")."""
    printed = report_labels("id")
    assert {key: [TEXTS[k]["id"] for k in keys] for key, keys in Z_FIGURES.items()} == {
        key: [printed[key]] * len(keys) for key, keys in Z_FIGURES.items()
    }
    assert TEXTS["lp_voids_rate"]["id"] == "Batal baris per 100 transaksi"
    assert TEXTS["lp_voids"]["id"] == "batal baris"
