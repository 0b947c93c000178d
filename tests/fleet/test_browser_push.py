"""The owner's round in a real headless Chromium, against a real kiosk agent through a
throwaway mosquitto and the fleet's ingest: sign in, see the kiosk, open the store's day
report with the kiosk's sale in it, push a price change and watch the kiosk's answer
arrive on the commands page without reloading it by hand, then open the sale's digital
receipt. FLEET_SCREENSHOTS=dir saves what it saw (fleet-push-*.png)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fleet.ingest import IngestWorker
from fleet.services.commands import MqttPublisher
from fleet.storage.engine import open_engine
from fleet.web import create_app
from kiosk import bootstrap
from kiosk.domain.money import format_rupiah
from kiosk.domain.sale import TenderRecord
from kiosk.storage import catalog_store
from kiosk.testing.broker_process import MosquittoProcess, eventually
from kiosk.testing.sales import build_sale, sale_line
from tests.fleet.accounts import PASSWORD, add_account
from tests.fleet.test_browser_live import WAIT_S, _saved, browser, pytestmark, served
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import DEVICE, STORE, prepare, start_agent, stop

__all__ = ["browser"]  # the live test's fixture
pytestmark = [*pytestmark, pytest.mark.broker]
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)
DAY = "2026-11-27"


def sell_one(data: Path) -> dict[str, Any]:
    """One sale on the kiosk (two teas, cash): committed to its ledger, so its agent
    publishes it as the till would."""
    lines = [sale_line(1, 5000, 2, sku="TEH", category="Minuman")]
    sale = build_sale(lines, [TenderRecord(method="cash", amount=10000, given=10000)],
                      store_id=STORE, device_id=DEVICE, business_date=DAY,
                      created_at=f"{DAY}T06:01:02.000000Z", cashier="ana")  # fmt: skip
    kiosk = bootstrap.build(data, with_devices=False)
    try:
        stored = kiosk.ledger.commit_sale(sale)
    finally:
        kiosk.close()
    return stored.to_dict()


class Kiosk:
    """The kiosk's data and its running agent (the test stops and starts it)."""

    def __init__(self, data: Path, log: Path) -> None:
        self.data, self.log = data, log
        self.agent = start_agent(data, log)


@pytest.fixture
def fleet_with_kiosk(
    broker: MosquittoProcess, tmp_path: Path
) -> Iterator[tuple[str, Kiosk, dict[str, Any]]]:
    """The dashboard (uvicorn) over a SQLite fleet fed by ingest, and one kiosk agent
    that sold once; yields the dashboard's address, the kiosk and its sale."""
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)  # store "toko", kiosk "k1", TEH at Rp5.000
    sale = sell_one(data)
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    engine = open_engine(url)
    add_account(engine, "ani", role="manager", stores=[STORE])
    worker = IngestWorker(url, broker.host, broker.port, reconnect_max_s=1).start()
    publisher = MqttPublisher(broker.host, broker.port)
    kiosk = Kiosk(data, tmp_path / "agent.log")
    try:
        assert worker.subscribed.wait(10)
        assert eventually(lambda: sale["sale_id"] in worker.sale_ids(), timeout=20), (
            tmp_path / "agent.log"
        ).read_text()
        with served(create_app(engine, publish=publisher, event_poll_s=0.2)) as base:
            yield base, kiosk, sale
    finally:
        assert stop(kiosk.agent) == 0
        publisher.close()
        worker.stop()
        engine.dispose()


def test_sign_in_report_push_a_price_and_open_the_receipt(
    fleet_with_kiosk: tuple[str, Kiosk, dict[str, Any]], browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, kiosk, sale = fleet_with_kiosk
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(base + "/?lang=en")
    browser.find_element(By.NAME, "name").send_keys("ani")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait.until(lambda d: DEVICE in d.find_element(By.ID, "kiosks").text)

    browser.get(f"{base}/stores/{STORE}/report?date={DAY}&lang=en")
    report = " ".join(browser.find_element(By.TAG_NAME, "body").text.split())
    assert "Transactions 1" in report
    assert format_rupiah(10000, "en") in report
    _saved(browser, "fleet-push-report-en.png")

    # The kiosk's agent is away while the price goes out (its session keeps the command),
    # so the page first says it waits, and the answer arrives after the page was drawn.
    assert stop(kiosk.agent) == 0
    browser.get(f"{base}/stores/{STORE}/commands?lang=en")
    browser.find_element(By.NAME, "sku").send_keys("TEH")
    price = browser.find_element(By.NAME, "price")
    price.send_keys("6500")
    price.submit()
    wait.until(lambda d: "Waiting for the kiosks" in d.find_element(By.TAG_NAME, "table").text)
    kiosk.agent = start_agent(kiosk.data, kiosk.log)
    # Nobody reloads: the page looks again by itself until the kiosk's answer is there.
    wait.until(lambda d: f"{DEVICE}: Done" in d.find_element(By.TAG_NAME, "table").text)
    assert format_rupiah(6500, "en") in browser.find_element(By.TAG_NAME, "table").text
    _saved(browser, "fleet-push-result-en.png")
    till = bootstrap.build(kiosk.data, with_devices=False)
    try:
        product = catalog_store.get_product(till.ledger.conn, "TEH")
    finally:
        till.close()
    assert product is not None and product.price == 6500

    browser.get(f"{base}/r/{sale['sale_id']}?lang=en")
    assert browser.find_element(By.ID, "payable").text == format_rupiah(10000, "en")
    _saved(browser, "fleet-push-receipt-en.png")
