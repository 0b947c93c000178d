"""Issue 15 end to end in a real headless Chromium at a phone's size: a customer orders
in the web shop and pays by QRIS (the simulated acquirer); the order goes through a
throwaway mosquitto to a real ``kiosk agent``, which stores it and holds the stock; the
till marks it ready (``kiosk replay``), the agent tells the fleet (ingest) and the
customer's page shows "Ready" with the pickup QR by itself; the pickup completes the
sale with its online tender; stock and reports agree on both sides.

SHOP_SCREENSHOTS=docs/screenshots saves the pages it saw there (the README's).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fleet.ingest import IngestWorker
from fleet.services import commands
from fleet.services.commands import MqttPublisher
from fleet.services.reports import day_report
from fleet.services.users import Access
from fleet.shop import catalog, settings
from fleet.shop.payments import SimulatedAcquirer
from fleet.storage.engine import open_engine
from fleet.web import create_app
from kiosk.testing.broker_process import MosquittoProcess, eventually
from kiosk.testing.cli import kiosk, replay
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.broker,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="needs Debian's chromium and chromium-driver (scripts/ensure-system.sh)",
    ),
]
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)
WAIT_S = 30
OWNER = Access("owner", "owner", None)
CATALOG = [
    {"sku": "TEH", "name": "Teh Botol", "price": 5000, "category": "Minuman",
     "barcodes": ["8991000000010"]},
    {"sku": "ROTI", "name": "Roti Tawar", "price": 15000, "category": "Roti"},
    {"sku": "KOPI", "name": "Kopi Susu", "price": 8000, "category": "Minuman"},
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def phone() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=390,844", "--hide-scrollbars", "--lang=id-ID"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_window_size(390, 844)  # a phone (the flag alone leaves a wider window)
    try:
        yield driver
    finally:
        driver.quit()


def _saved(driver: Any, name: str) -> None:
    folder = os.environ.get("SHOP_SCREENSHOTS")
    if folder:
        driver.save_screenshot(str(Path(folder) / name))


def _gone(element: Any) -> bool:
    """Whether ``element`` left the page. Chromium says so in two ways: a stale reference,
    or (selenium's ``staleness_of`` misses this one) "does not belong to the document"."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as err:
        if "does not belong to the document" not in str(err):
            raise
        return True
    return False


def _serve(app: Any) -> tuple[Any, threading.Thread, str]:
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=2)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert eventually(lambda: server.started, timeout=WAIT_S), "uvicorn did not start"
    return server, thread, f"http://127.0.0.1:{port}"


def _kiosk_orders(data: Path) -> list[dict[str, Any]]:
    listed = kiosk(data, "orders", "--json")
    return json.loads(listed.stdout) if listed.returncode == 0 else []


def test_a_customer_orders_pays_and_collects_and_both_sides_agree(
    broker: MosquittoProcess, tmp_path: Path, phone: Any
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)  # store toko, kiosk k1
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    engine = open_engine(url)
    worker = IngestWorker(url, broker.host, broker.port, reconnect_max_s=1).start()
    publisher = MqttPublisher(broker.host, broker.port)
    agent = start_agent(data, tmp_path / "agent.log")
    server, thread, base = _serve(create_app(engine, publish=publisher,
                                             acquirer=SimulatedAcquirer()))  # fmt: skip
    wait = WebDriverWait(phone, WAIT_S)
    try:
        assert worker.subscribed.wait(10)
        with engine.begin() as conn:
            settings.save(conn, "toko", {"name": "Toko Sari", "whatsapp": "+62812000111"})
        commands.send(engine, publisher, "catalog", {"mode": "snapshot", "products": CATALOG},
                      store_id="toko", device_id="all", by=OWNER)  # fmt: skip
        assert eventually(lambda: kiosk(data, "stock", "adjust", "TEH", "10", "--reason",
                                        "receiving").returncode == 0, timeout=WAIT_S)  # fmt: skip
        # The kiosk's stock change reaches the fleet: TEH is counted there now.
        assert eventually(lambda: _available(engine).get("TEH") == 10, timeout=WAIT_S)

        phone.get(base + "/shop/toko?lang=id")
        assert "Tersedia" in phone.page_source and "Toko Sari" in phone.title
        _saved(phone, "shop-catalog-phone.png")
        for _ in range(3):
            # Only a page done loading: a node found while the redirected page was still
            # being parsed could be gone by the click ("does not belong to the document").
            wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
            button = phone.find_element(By.CSS_SELECTOR, '[data-sku="TEH"] button')
            button.click()
            wait.until(lambda _d, b=button: _gone(b))  # the post redirected to a fresh page
        phone.find_element(By.CSS_SELECTOR, "a.cart").click()
        wait.until(lambda d: d.find_elements(By.ID, "checkout"))
        assert "Rp15.000" in phone.find_element(By.ID, "subtotal").text
        phone.find_element(By.ID, "name").send_keys("Sari")
        phone.find_element(By.ID, "phone").send_keys("081234567890")
        phone.find_element(By.ID, "pickup_time").send_keys("1730")
        _saved(phone, "shop-basket-phone.png")
        phone.find_element(By.CSS_SELECTOR, "#checkout button[type=submit]").click()
        wait.until(lambda d: d.find_elements(By.ID, "simulate-pay"))
        assert "Menunggu pembayaran" in phone.page_source
        _saved(phone, "shop-pay-qris-phone.png")
        phone.find_element(By.ID, "simulate-pay").click()

        def status() -> str:
            try:
                found = phone.find_elements(By.ID, "status")
                return str(found[0].get_attribute("data-status")) if found else ""
            except StaleElementReferenceException:  # the page reloaded meanwhile
                return ""

        # Paid: sent to the store; the agent stores it and says so; the page follows.
        wait.until(lambda d: status() == "received")
        [order] = _kiosk_orders(data)
        assert (order["status"], order["paid"], order["total"]) == ("received", True, 15000)
        assert eventually(lambda: _available(engine).get("TEH") == 7, timeout=WAIT_S)
        phone.execute_script("window.notReloaded = true;")
        done = replay(data, [{"order_accept": order["order_id"]},
                             {"order_ready": order["order_id"]}])  # fmt: skip
        assert done.returncode == 0, done.stderr
        wait.until(lambda d: status() == "ready")  # by itself, through SSE
        assert not phone.execute_script("return window.notReloaded === true;")
        qr = phone.find_element(By.ID, "pickup-qr")
        assert qr.is_displayed() and phone.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 100;", qr
        )  # the image really loads (an SVG without its namespace would not)
        assert "Siap diambil" in phone.page_source
        _saved(phone, "shop-order-ready-phone.png")

        # The customer shows the QR at the till: the sale completes with its online tender.
        collected = replay(data, [{"order_pickup": f"POSORDER:{order['order_id']}"}])
        assert collected.returncode == 0, collected.stderr
        sale = json.loads(collected.stdout)
        assert sale["tenders"][0]["method"] == "online" and sale["total"] == 15000
        wait.until(lambda d: status() == "collected")
        # Both sides agree: stock, the order, the day's sales split by channel.
        assert kiosk(data, "stock", "show", "TEH").stdout.split() == ["TEH", "7"]
        assert eventually(lambda: _available(engine).get("TEH") == 7, timeout=WAIT_S)
        day = sale["business_date"]
        z = json.loads(kiosk(data, "report", "z", "--date", day, "--json").stdout)
        assert z["channels"] == [{"channel": "web", "count": 1, "total": 15000}]

        def fleet_day() -> dict[str, Any]:
            with engine.connect() as conn:
                return day_report(conn, "toko", day)

        assert eventually(lambda: fleet_day()["transactions"] == 1, timeout=WAIT_S)
        assert fleet_day()["channels"] == z["channels"]
        assert fleet_day()["tenders"] == z["tenders"]
    finally:
        server.should_exit = True
        thread.join(15)
        assert stop(agent) == 0, (tmp_path / "agent.log").read_text()
        publisher.close()
        worker.stop()
        engine.dispose()


def _available(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return catalog.available(conn, "toko")
