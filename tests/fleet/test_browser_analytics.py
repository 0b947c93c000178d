"""The analysis views in a real headless Chromium: each page in Indonesian and English,
its chart drawn with no script and no file from outside the fleet, its CSV link there.

FLEET_SCREENSHOTS=DIR saves what it saw there.
"""

from __future__ import annotations

import base64
import os
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fleet.storage import repository
from fleet.storage.engine import open_engine
from fleet.web import create_app
from fleet.web.analytics_routes import VIEW_NAMES
from tests.fleet.accounts import PASSWORD, add_account
from tests.fleet.analytics_sales import random_plan, ring_up_plan
from tests.fleet.test_browser_live import WAIT_S, browser, pytestmark, served  # noqa: F401

PERIOD = "start=2026-11-01&end=2026-11-28"
NO_MONEY = ("stock", "pairs")  # views without an amount of money


@pytest.fixture
def analytics_site(tmp_path: Path) -> Iterator[str]:
    engine = open_engine(f"sqlite:///{tmp_path / 'fleet.sqlite'}")
    rng = random.Random(7)
    for n, device in enumerate(("k1", "k2")):
        plan = random_plan(rng, date(2026, 10, 4), 56, 4)
        for i, item in enumerate(plan[::3]):  # some of them loyalty members
            item["member_id"] = f"M{i % 15:02d}"
        ring_up_plan(engine, tmp_path, device, plan, n)
    with engine.begin() as conn:  # what the kiosks count on hand after those sales
        items = [{"sku": f"SKU{n:03d}", "qty": (n * 7) % 60} for n in range(1, 44)]
        repository.store_stock(conn, {"stock_id": "k1-snap", "store_id": "store-1",
                                      "device_id": "k1", "kind": "snapshot",
                                      "at": "2026-11-29T01:00:00.000000Z", "items": items})  # fmt: skip
    add_account(engine, "ani", role="manager", stores=["store-1"])
    try:
        with served(create_app(engine)) as base:
            yield base
    finally:
        engine.dispose()


def _saved(driver: Any, name: str) -> None:
    folder = os.environ.get("FLEET_SCREENSHOTS")
    if folder:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        (Path(folder) / name).write_bytes(base64.b64decode(shot["data"]))


# Words that give away an English page (or an internal name) on an Indonesian one.
ENGLISH = ("Sales", "Previous", "Monday", "Download", "Transactions", "Busiest", "cells",
           "weekday", "None")  # fmt: skip


def sign_in_as_ani(driver: Any, base: str) -> None:
    """Through the login form, as a person types it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/login?lang=id")
    driver.find_element(By.NAME, "name").send_keys("ani")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()
    WebDriverWait(driver, WAIT_S).until(lambda d: "/login" not in d.current_url)


def test_every_view_in_both_languages(analytics_site: str, browser: Any) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    sign_in_as_ani(browser, analytics_site)
    for view in VIEW_NAMES:
        for lang in ("id", "en"):
            browser.get(f"{analytics_site}/stores/store-1/analytics/{view}?{PERIOD}&lang={lang}")
            text = browser.find_element(By.TAG_NAME, "body").text
            assert ("Rp" in text) != (view in NO_MONEY), (view, lang)
            assert "SKU0" in text or view not in NO_MONEY, (view, lang)
            if lang == "id":
                found = [word for word in ENGLISH if word in text]
                assert not found, (view, found)
            assert browser.find_elements(By.CSS_SELECTOR, "a.csv"), view
            sources = browser.execute_script(
                "return Array.from(document.querySelectorAll('script[src],link[href],img[src]'))"
                ".map(e => e.src || e.href);"
            )
            assert all(s.startswith(analytics_site) for s in sources), sources
            _saved(browser, f"fleet-analytics-{view}-{lang}.png")
    for period in ("week", "month"):  # the sales report beside the day
        for lang in ("id", "en"):
            url = f"{analytics_site}/stores/store-1/report?period={period}&date=2026-11-18"
            browser.get(f"{url}&lang={lang}")
            text = browser.find_element(By.TAG_NAME, "body").text
            span = "2026-11-16" if period == "week" else "2026-11-01"
            assert span in text and "Rp" in text, (period, lang)
            if lang == "id":
                assert not [word for word in ENGLISH if word in text], period
            _saved(browser, f"fleet-report-{period}-{lang}.png")
