"""The kiosk list's live script in a real headless Chromium (Debian's chromium and
chromium-driver, driven by selenium): sign in through the form, see the granted kiosks,
then watch rows change as ingest stores new status and health, without a page reload.

FLEET_SCREENSHOTS=docs/screenshots also saves the pages it saw there (the README's).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fleet.storage import repository
from fleet.storage.engine import open_engine
from fleet.web import create_app
from tests.fleet.accounts import PASSWORD, add_account

webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="needs Debian's chromium and chromium-driver (scripts/ensure-system.sh)",
    ),
]
WAIT_S = 20


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def fleet_site(tmp_path: Path) -> Iterator[tuple[str, sa.Engine]]:
    """The dashboard served by uvicorn on a free port, over a SQLite fleet database."""
    engine = open_engine(f"sqlite:///{tmp_path / 'fleet.sqlite'}")
    now = _now()
    with engine.begin() as conn:
        for store, device in (("toko-a", "k1"), ("toko-b", "k9")):
            repository.store_status(conn, {"store_id": store, "device_id": device,
                                           "state": "online", "at": now}, received_at=now)  # fmt: skip
    add_account(engine, "ani", role="manager", stores=["toko-a"])
    try:
        with served(create_app(engine, event_poll_s=0.2)) as base:
            yield base, engine
    finally:
        engine.dispose()


@contextmanager
def served(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free port; its base address."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=2)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = datetime.now(UTC).timestamp() + WAIT_S
        while not server.started and datetime.now(UTC).timestamp() < deadline:
            threading.Event().wait(0.05)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1100,700", "--lang=en-US"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def _saved(driver: Any, name: str) -> None:
    folder = os.environ.get("FLEET_SCREENSHOTS")
    if folder:
        driver.save_screenshot(str(Path(folder) / name))


def test_the_kiosk_list_updates_live_in_a_real_browser(
    fleet_site: tuple[str, sa.Engine], browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, engine = fleet_site
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(base + "/?lang=en")
    assert "/login" in browser.current_url  # nothing without signing in
    _saved(browser, "fleet-login-desktop.png")
    browser.find_element(By.NAME, "name").send_keys("ani")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#kiosks tbody tr"))

    def rows() -> list[str]:
        """Each row's text, read in one go: the live script may redraw the table between
        finding a row and reading it (its first event redraws what the server sent)."""
        found: list[str] = browser.execute_script(
            "return Array.from(document.querySelectorAll('#kiosks tbody tr')).map(tr =>"
            " Array.from(tr.cells).map(td => td.innerText).join(' ').replace(/\\s+/g, ' ').trim());"
        )
        return found

    assert len(rows()) == 1 and "toko-a k1 Online" in rows()[0]  # toko-b is not granted
    browser.execute_script("window.notReloaded = true;")
    # Ingest stores news: k1 goes offline with an old unsent sale, a second kiosk of
    # toko-a appears, toko-b changes (and must stay out of sight).
    now = _now()
    with engine.begin() as conn:
        repository.store_status(conn, {"store_id": "toko-a", "device_id": "k1",
                                       "state": "offline", "at": now}, received_at=now)  # fmt: skip
        repository.store_health(conn, {"store_id": "toko-a", "device_id": "k1", "at": now,
                                       "version": "1.4.0", "outbox": {"depth": 7,
                                       "oldest_age_s": 5400}, "devices": [
                                       {"kind": "printer", "name": "printer", "state": "error",
                                        "reason": "paper out", "detail": {"paper": "out"}}]},
                                     received_at=now)  # fmt: skip
        repository.store_status(conn, {"store_id": "toko-a", "device_id": "k2",
                                       "state": "online", "at": now}, received_at=now)  # fmt: skip
        repository.store_status(conn, {"store_id": "toko-b", "device_id": "k10",
                                       "state": "online", "at": now}, received_at=now)  # fmt: skip
    wait.until(lambda d: len(rows()) == 2 and "Offline" in rows()[0])
    first, second = rows()
    assert "toko-a k1 Offline" in first and "1.4.0 Paper out None None 7 1 h 30 min" in first
    assert "toko-a k2 Online" in second and "toko-b" not in " ".join(rows())
    assert browser.execute_script("return window.notReloaded === true;")  # the same page
    assert "UTC" not in first and "5400" not in first and "T" not in first.split()[4]
    _saved(browser, "fleet-kiosks-live-desktop.png")
    # Signing out ends the stream: later news no longer reaches the page.
    browser.find_element(By.CSS_SELECTOR, "form.me button").click()
    wait.until(lambda d: "/login" in d.current_url)


PHONE = (375, 812)  # CSS pixels of a common phone


def test_on_a_phone_each_kiosk_is_a_card_of_labelled_lines(
    fleet_site: tuple[str, sa.Engine], browser: Any
) -> None:
    """Twelve columns do not fit 375 px: below 40rem each kiosk (and each sale of the
    ticker) is a block of "heading  value" lines, also after the live script redraws it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, engine = fleet_site
    wait = WebDriverWait(browser, WAIT_S)
    browser.set_window_size(*PHONE)
    browser.get(base + "/login?lang=id")
    browser.find_element(By.NAME, "name").send_keys("ani")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait.until(lambda d: "/login" not in d.current_url)
    browser.get(base + "/?lang=id")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#kiosks tbody tr"))

    def card() -> dict[str, Any]:
        """The first kiosk as shown: each line's label and text, and whether it all fits."""
        found: dict[str, Any] = browser.execute_script(
            "const table = document.querySelector('#kiosks');"
            "const box = table.parentElement;"
            "const lines = Array.from(table.tBodies[0].rows[0].cells).map(td => ["
            "  getComputedStyle(td, '::before').content.replace(/^\"|\"$/g, ''),"
            "  td.innerText.trim()]);"
            "return {lines, fits: box.scrollWidth <= box.clientWidth + 1"
            "  && document.documentElement.scrollWidth <= window.innerWidth + 1};"
        )
        return found

    shown = card()
    assert shown["fits"], shown
    labels = [label for label, _ in shown["lines"]]
    assert labels[:4] == ["Toko", "Kios", "Status", "Terakhir terlihat"], shown
    assert len(labels) == 12 and all(labels) and "Jurnal" in labels, shown
    assert ["Status", "Daring"] in shown["lines"] and ["Kios", "k1"] in shown["lines"], shown
    now = _now()
    with engine.begin() as conn:  # the live script redraws the row
        repository.store_status(conn, {"store_id": "toko-a", "device_id": "k1",
                                       "state": "offline", "at": now}, received_at=now)  # fmt: skip
    wait.until(lambda d: ["Status", "Luring"] in card()["lines"])
    shown = card()
    assert shown["fits"] and ["Jurnal", "Utuh"] in shown["lines"], shown
    _saved(browser, "fleet-kiosks-id-phone.png")
