"""The README's dashboard screenshots, taken the way a person sees the pages: the demo
data of `make run-fleet` served by uvicorn, headless Chromium (Debian's, through
selenium) signed in as the demo owner, desktop and phone widths.

Usage: fleet_screenshots.py [OUT_DIR] (default docs/screenshots). Needs chromium,
chromium-driver (scripts/ensure-system.sh) and selenium (the dev extra).
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from fleet.storage.engine import open_engine
from fleet.web import create_app

SIZES = {"desktop": (1200, 900), "phone": (390, 844)}
PAGES = {  # name -> path (the day is the demo's last)
    "kiosks": "/?lang={lang}",
    "report": "/stores/toko-depok/report?date={day}&lang={lang}",
    "analytics": "/stores/toko-depok/analytics?end={day}&lang={lang}",
    "commands": "/stores/toko-depok/commands?lang={lang}",
    "report-week": "/stores/toko-depok/report?period=week&date={day}&lang={lang}",
    "heatmap": "/stores/toko-depok/analytics/heatmap?end={day}&lang={lang}",
    "comparison": "/stores/toko-depok/analytics/comparison?end={day}&lang={lang}",
    "abc": "/stores/toko-depok/analytics/abc?end={day}&lang={lang}",
}


def _demo(db: Path, day: str) -> None:
    spec = importlib.util.spec_from_file_location(
        "fleet_demo", Path(__file__).with_name("fleet_demo.py")
    )
    assert spec is not None and spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    demo.main(str(db), day)


def main(out: str = "docs/screenshots") -> int:
    day = date.today().isoformat()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        _demo(db, day)
        engine = open_engine(f"sqlite:///{db}")
        config = uvicorn.Config(create_app(engine), host="127.0.0.1", port=port,
                                log_level="warning", timeout_graceful_shutdown=2)  # fmt: skip
        server = uvicorn.Server(config)
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        options = Options()
        options.binary_location = shutil.which("chromium") or ""
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
        base = f"http://127.0.0.1:{port}"
        try:
            driver.get(base + "/login?lang=en")
            driver.find_element(By.NAME, "name").send_keys("demo")
            driver.find_element(By.NAME, "password").send_keys("demo-pos")
            driver.find_element(By.CSS_SELECTOR, "form.login button").click()
            for size, (width, height) in SIZES.items():
                driver.set_window_size(width, height)
                for name, path in PAGES.items():
                    driver.get(base + path.format(day=day, lang="en"))
                    time.sleep(0.5)  # the live list's first event
                    driver.save_screenshot(str(Path(out) / f"fleet-{name}-{size}.png"))
        finally:
            driver.quit()
            server.should_exit = True
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
