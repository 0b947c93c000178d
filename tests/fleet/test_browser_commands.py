"""The commands page on a phone, in a real headless Chromium: each kiosk's refusal fits
the screen (no column cut off at the right edge, no sideways scrolling to read it).

FLEET_SCREENSHOTS=DIR saves what it saw there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fleet.storage import schema
from fleet.storage.engine import open_engine
from fleet.web import create_app
from tests.fleet.accounts import PASSWORD, add_account
from tests.fleet.test_browser_analytics import _saved
from tests.fleet.test_browser_live import WAIT_S, browser, pytestmark, served  # noqa: F401
from tests.fleet.test_web_command_refusals import AT, _store_results

PHONE = (375, 812)  # CSS pixels of a common phone
SKU, PRICE, LIMIT = "KOPI-SUSU-GULA-AREN", 250_000_000, 100_000_000  # words that cannot wrap


def _store_a_long_refusal(engine: sa.Engine) -> None:
    refusal = {"code": "catalog.price_limit", "params": {"sku": SKU, "price": PRICE,
                                                          "limit": LIMIT}}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.commands).values(
            command_id="c2", store_id="toko", device_id="all", name="prices",
            body=json.dumps({"prices": [{"sku": SKU, "price": PRICE}]}), issued_at=AT,
            issued_by="bos"))  # fmt: skip
        body = {"schema": 1, "command_id": "c2", "name": "prices", "ok": False,
                "duplicate": False, "errors": [f"the price of {SKU} is above the limit"],
                "refusals": [refusal], "at": AT, "store_id": "toko", "device_id": "k1",
                "detail": {}}  # fmt: skip
        conn.execute(sa.insert(schema.command_results).values(
            command_id="c2", device_id="k1", store_id="toko", ok=False, body=json.dumps(body),
            at=AT))  # fmt: skip


@pytest.fixture
def commands_site(tmp_path: Path) -> Iterator[str]:
    engine = open_engine(f"sqlite:///{tmp_path / 'fleet.sqlite'}")
    _store_results(engine)  # four kiosks' refusals of one price change
    _store_a_long_refusal(engine)
    add_account(engine, "bos")
    try:
        with served(create_app(engine)) as base:
            yield base
    finally:
        engine.dispose()


def test_refusals_fit_a_phone_screen(commands_site: str, browser: Any) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(*PHONE)
    browser.get(commands_site + "/login?lang=id")
    browser.find_element(By.NAME, "name").send_keys("bos")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/login" not in d.current_url)
    for lang in ("id", "en"):
        browser.get(f"{commands_site}/stores/toko/commands?lang={lang}")
        width = browser.execute_script("return document.documentElement.clientWidth;")
        lines = browser.find_elements(By.CSS_SELECTOR, "small.refusal")
        assert len(lines) >= 5, browser.page_source[:500]
        for line in lines:
            box = line.rect
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (lang, line.text, box)
        _saved(browser, f"fleet-commands-{lang}-phone.png")
