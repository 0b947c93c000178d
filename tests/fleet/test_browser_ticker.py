"""The dashboard's sales ticker in a real headless Chromium: a sale that reaches the fleet
while the page is open appears on top of the ticker, marked new, without a reload; the
Indonesian page shows it in Indonesian.

FLEET_SCREENSHOTS=DIR saves what it saw there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fleet.storage.engine import open_engine
from fleet.web import create_app
from kiosk.domain.money import format_rupiah
from tests.fleet.accounts import add_account
from tests.fleet.analytics_sales import ring_up_plan
from tests.fleet.test_browser_analytics import _saved, sign_in_as_ani
from tests.fleet.test_browser_live import WAIT_S, browser, pytestmark, served  # noqa: F401

DAY = date(2026, 11, 20)


@pytest.fixture
def ticker_site(tmp_path: Path) -> Iterator[tuple[str, sa.Engine]]:
    engine = open_engine(f"sqlite:///{tmp_path / 'fleet.sqlite'}")
    ring_up_plan(engine, tmp_path, "k1", [{"day": DAY, "hour": h} for h in (9, 10, 11)], 1)
    add_account(engine, "ani", role="manager", stores=["store-1"])
    try:
        with served(create_app(engine, event_poll_s=0.2)) as base:
            yield base, engine
    finally:
        engine.dispose()


def test_a_new_sale_appears_on_the_ticker(
    ticker_site: tuple[str, sa.Engine],
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, engine = ticker_site
    wait = WebDriverWait(browser, WAIT_S)
    sign_in_as_ani(browser, base)
    browser.get(base + "/?lang=id")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#ticker tbody tr[data-sale]"))

    def rows() -> list[dict[str, str]]:
        """The ticker's rows, read in one go (the stream may redraw them at any moment)."""
        found: list[dict[str, str]] = browser.execute_script(
            "return Array.from(document.querySelectorAll('#ticker tbody tr'))"
            ".map(tr => ({sale: tr.dataset.sale || '', cls: tr.className, text: tr.innerText}));"
        )
        return found

    assert len(rows()) == 3 and "Penjualan terbaru" in browser.page_source
    browser.execute_script("window.notReloaded = true;")
    new = ring_up_plan(engine, tmp_path, "k2", [{"day": DAY, "hour": 20}], 2)[0]
    wait.until(lambda d: rows()[0]["sale"] == new["sale_id"])
    top = rows()[0]
    assert "new" in top["cls"] and len(rows()) == 4
    assert format_rupiah(new["total"], "id") in top["text"] and "20.00 WIB" in top["text"]
    assert "k2" in top["text"] and browser.execute_script("return window.notReloaded === true;")
    _saved(browser, "fleet-dashboard-ticker-id.png")
