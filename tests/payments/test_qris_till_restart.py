"""A till killed (SIGKILL) while the customer's QR is on screen, through the real
``kiosk run`` and a local Midtrans acquirer: on restart the till asks the acquirer. Paid
-> the kept basket's sale is committed, once (a second restart adds nothing); expired ->
the basket is open again and nothing is sold."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.testing.fake_acquirers import FakeMidtrans
from tests.faults.test_sigterm_basket import kiosk

CHILD = Path(__file__).with_name("qris_till_child.py")
TEH_330, TEH_600 = "8991000000003", "8991000000010"
SERVER_KEY = "SB-Mid-server-RESTART"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    kiosk("demo-data", "--days", "0", data=data)
    return data


@pytest.fixture
def acquirer() -> Iterator[FakeMidtrans]:
    fake = FakeMidtrans(SERVER_KEY)
    with fake.serving():
        yield fake


LAUNCHED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def no_till_left() -> Iterator[None]:
    """A failed test must not leave its till running."""
    yield
    while LAUNCHED:
        process = LAUNCHED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(10)


class Till:
    def __init__(self, data: Path, display: str, tmp: Path, codes: tuple[str, ...] = ()):
        env = {**os.environ, "DISPLAY": display, "KIOSK_WINDOW": "800x480", "KIVY_NO_ARGS": "1",
               "KIVY_HOME": str(tmp / "kivy"), "KIOSK_HARDWARE": "simulated",
               "KIOSK_TELEMETRY": "0", "FEED_CODES": ",".join(codes)}  # fmt: skip
        self.out = tmp / f"till-{time.monotonic_ns()}.out"
        self.err = self.out.with_suffix(".err")
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen([sys.executable, str(CHILD), str(data)], env=env,
                                            stdout=out, stderr=err)  # fmt: skip
        LAUNCHED.append(self.process)

    def said(self, key: str, timeout: float = 90) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.out.read_text().splitlines():
                if line.startswith("{") and key in (doc := json.loads(line)):
                    return doc[key]
            assert self.process.poll() is None, self.err.read_text()[-2000:]
            time.sleep(0.1)
        raise AssertionError(f"the till never said {key}: {self.err.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(20) == 0

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)


def sales(data: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(data / "ledger.sqlite") as db:
        return [json.loads(r[0]) for r in db.execute("SELECT body FROM sales ORDER BY rowid")]


def payment(data: Path, order_id: str) -> tuple[str, str | None, int]:
    with sqlite3.connect(data / "ledger.sqlite") as db:
        row = db.execute("SELECT state, sale_id, refund_due FROM qris_payments WHERE order_id = ?",
                         (order_id,)).fetchone()  # fmt: skip
    return row[0], row[1], row[2]


def killed_at_the_qr(
    demo: Path, display: str, tmp: Path, acquirer: FakeMidtrans
) -> tuple[Path, str]:
    data = tmp / "data"
    subprocess.run(["cp", "-a", str(demo), str(data)], check=True)
    for key, value in (("payments.qris.gateway", "midtrans"),
                       ("payments.midtrans.base_url", acquirer.url),
                       ("payments.midtrans.server_key", SERVER_KEY)):  # fmt: skip
        kiosk("settings", "set", key, value, data=data)
    till = Till(data, display, tmp, (TEH_330, TEH_600))
    order_id = str(till.said("qris"))
    till.kill()
    assert acquirer.txns[order_id].status == "pending" and payment(data, order_id)[0] == "pending"
    return data, order_id


def test_killed_while_waiting_then_paid_commits_the_sale_once(
    demo: Path, display: str, tmp_path: Path, acquirer: FakeMidtrans
) -> None:
    data, order_id = killed_at_the_qr(demo, display, tmp_path, acquirer)
    before = len(sales(data))
    acquirer.settle(order_id)  # the customer's bank paid while the till was down
    till = Till(data, display, tmp_path)
    ready = till.said("ready")
    till.stop()
    (sale,) = sales(data)[before:]
    assert [(t["method"], t["reference"]) for t in sale["tenders"]] == [("qris", order_id)]
    assert sale["tenders"][0]["amount"] == sale["total"] and len(sale["lines"]) == 2
    assert payment(data, order_id) == ("applied", sale["sale_id"], 0)
    assert (
        ready["lines"] == 0
        and "QRIS" in ready["message"]
        and str(sale["receipt_no"]) in ready["message"]
    )
    again = Till(data, display, tmp_path)  # a second start finds nothing left to do
    assert again.said("ready")["lines"] == 0
    again.stop()
    assert len(sales(data)) == before + 1


def test_killed_while_waiting_then_expired_reopens_the_basket(
    demo: Path, display: str, tmp_path: Path, acquirer: FakeMidtrans
) -> None:
    data, order_id = killed_at_the_qr(demo, display, tmp_path, acquirer)
    before = len(sales(data))
    acquirer.expire(order_id)
    till = Till(data, display, tmp_path)
    ready = till.said("ready")
    till.stop()
    assert ready["lines"] == 2 and ready["total"] > 0 and ready["qris"] == ""
    assert len(sales(data)) == before
    assert payment(data, order_id) == ("expired", None, 0)
