"""The e-receipt page in a real headless Chromium at a phone's size: a kiosk sale as
ingest stored it, readable without sideways scrolling, the total and the WhatsApp link
on screen. FLEET_SCREENSHOTS=dir saves what it saw (fleet-receipt-phone-*.png)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fleet.ingest.messages import store_message
from fleet.storage.repository import Partitions
from kiosk.domain.money import format_rupiah
from tests.fleet.test_browser_live import _saved, browser, fleet_site, pytestmark
from tests.fleet.test_web_receipt import RECEIVED, kiosk_sales

__all__ = ["browser", "fleet_site", "pytestmark"]  # the live test's fixtures and marks


def test_the_receipt_reads_on_a_phone(
    fleet_site: tuple[str, sa.Engine], browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    base, engine = fleet_site
    card = kiosk_sales(tmp_path)[0]
    with engine.begin() as conn:
        topic = f"pos/v1/{card['store_id']}/{card['device_id']}/sale"
        assert store_message(conn, topic, json.dumps(card).encode(), received_at=RECEIVED,
                             partitions=Partitions()) == "new"  # fmt: skip
    browser.set_window_size(390, 844)  # a common phone, CSS pixels
    for lang in ("id", "en"):
        browser.get(f"{base}/r/{card['sale_id']}?lang={lang}")
        width = browser.execute_script("return window.innerWidth;")
        assert browser.execute_script("return document.documentElement.scrollWidth;") <= width
        payable = browser.find_element(By.ID, "payable")
        assert payable.text == format_rupiah(card["payable"], lang)
        share = browser.find_element(By.CSS_SELECTOR, "a.share")
        assert share.get_attribute("href").startswith("https://wa.me/?text=")
        assert share.rect["x"] >= 0 and share.rect["x"] + share.rect["width"] <= width
        _saved(browser, f"fleet-receipt-phone-{lang}.png")
    browser.get(f"{base}/r/{'0' * 32}?lang=en")
    assert "Receipt not found" in browser.find_element(By.TAG_NAME, "h1").text
    _saved(browser, "fleet-receipt-missing-phone-en.png")
