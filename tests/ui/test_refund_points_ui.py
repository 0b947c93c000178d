"""A refund at the counter desk of one unit of a sale paid whole with one loyalty point,
through the real Kivy UI (under Xvfb): half a point cannot come back, so the unit's worth
is paid out of the drawer and the desk says why, in Bahasa Indonesia (ADR 7)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_600, demo_dir, play, sales
from tests.ui.test_loyalty_ui import PHONE, settings

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, used here too


def test_one_unit_of_a_sale_paid_with_one_point_comes_back_in_cash(
    tmp_path: Path, demo_dir: Path
) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo_dir), str(data)], check=True)
    with sqlite3.connect(data / "ledger.sqlite") as db:
        (price,) = db.execute("SELECT price FROM products JOIN barcodes USING (sku)"
                              " WHERE barcode = ?", (TEH_600,)).fetchone()  # fmt: skip
    settings(data, ("loyalty.earn_rupiah_per_point", "100"),
             ("loyalty.max_redeem_percent", "100"), ("loyalty.point_value", str(2 * price)))  # fmt: skip
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"shift_open": {"float": 100_000}},
        {"scan": TEH_600}, {"member": PHONE}, {"pay": {"method": "cash", "amount": price}},
        {"scan": TEH_600}, {"qty": 2}, {"member": PHONE}, {"redeem": 1},
        {"refund": {"receipt_no": 2, "lines": [[1, 1]]}},
    ])  # fmt: skip
    _, paid_with_a_point = sales(tmp_path)
    assert [(t["method"], t["amount"]) for t in paid_with_a_point["tenders"]] == [
        ("points", 2 * price)]  # fmt: skip
    with sqlite3.connect(data / "ledger.sqlite") as db:
        (refund,) = [json.loads(r[0]) for r in db.execute("SELECT body FROM refunds")]
    assert refund["tenders"] == [
        {"index": 0, "method": "points", "amount": -price, "paid_as": "cash"}]  # fmt: skip
    assert (refund["total"], refund["cash"]) == (-price, price)
    (shot,) = [p for p in shots.iterdir() if p.name.endswith("-refund.png")]
    assert shot.stat().st_size > 0  # passed the layout and language audit (KIOSK_AUDIT)
