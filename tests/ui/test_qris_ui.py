"""QRIS through the (simulated) acquirer on both faces, through the real Kivy UI under
Xvfb: the QR panel comes up with the amount, the merchant and a countdown, the customer
pays, the sale is committed once with the payment's order id, and the payment is marked
applied in the ledger. Screenshots at 800x480 are kept for a look."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.testing.fake_acquirers import sample_static_qris
from tests.ui.test_kiosk_ui import TEH_330, TEH_600, play, sales, to_docs

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--data-dir", str(data)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    return data


def qris_rows(data: Path) -> list[tuple[str, str, int, str | None]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return conn.execute(
            "SELECT order_id, state, amount, sale_id FROM qris_payments ORDER BY created_at"
        ).fetchall()


def qris_tenders(data: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return conn.execute(
            "SELECT sale_id, amount, reference FROM tenders WHERE method = 'qris'"
            " AND reference LIKE 'QR-%'"
        ).fetchall()


def test_self_checkout_pays_by_qris_through_the_acquirer(tmp_path: Path, demo: Path) -> None:
    steps = [{"scan": TEH_330}, {"scan": TEH_600}, {"pay": {"method": "qris"}}]
    _, shots = play(tmp_path, demo, "self-checkout", steps)
    (sale,) = sales(tmp_path)
    (payment,) = qris_rows(tmp_path / "data")
    order_id, state, amount, sale_id = payment
    assert state == "applied" and sale_id == sale["sale_id"] and amount == sale["total"]
    assert qris_tenders(tmp_path / "data") == [(sale_id, amount, order_id)]
    assert any(p.name.endswith("-qris.png") for p in shots.iterdir())
    to_docs(shots, {"04-qris.png": "self-checkout-qris.png"})


def test_counter_splits_cash_and_qris(tmp_path: Path, demo: Path) -> None:
    steps = [
        {"scan": TEH_330},
        {"scan": TEH_600},
        {"pay": {"method": "cash", "amount": 2000}},
        {"pay": {"method": "qris"}},
    ]
    _, shots = play(tmp_path, demo, "counter", steps)
    (sale,) = sales(tmp_path)
    (payment,) = qris_rows(tmp_path / "data")
    assert payment[1] == "applied" and payment[3] == sale["sale_id"]
    assert payment[2] == sale["total"] - 2000
    assert any(p.name.endswith("-qris.png") for p in shots.iterdir())


def test_counter_static_qris_confirmed_by_staff_pin(tmp_path: Path, demo: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo, data)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "payments.qris.static_payload", sample_static_qris("TOKO SARI")],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    pin = [{"press": f"static_pin_{d}"} for d in "2222"]
    steps = [{"scan": TEH_330}, {"press": "pay"}, {"press": "tender_qris_static"}, *pin,
             {"press": "static_pin_enter"}]  # fmt: skip
    _, shots = play(tmp_path, demo, "counter", steps)
    (sale,) = sales(tmp_path)
    (tender,) = sale["tenders"]
    assert tender["method"] == "qris" and str(tender["reference"]).startswith("STATIC-")
    assert qris_rows(data) == []  # no acquirer payment: unverified until a report matches it
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        (payload,) = conn.execute(
            "SELECT payload FROM journal WHERE kind = 'qris_static_confirmed'"
        ).fetchone()
    assert '"staff_name":"Budi"' in payload
    assert (shots / "04-press.png").exists()
    to_docs(shots, {"08-press.png": "counter-static-qris.png"})
