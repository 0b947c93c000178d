"""A member's sale at the counter through the real Kivy UI (under Xvfb): the points are
earned with the first sale and spent on the second through the tender screen's Points
button, by the same loyalty service as ``kiosk replay``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_600, demo_dir, play, sales

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, used here too
PHONE = "081234567890"  # Siti Rahayu, M0001 of the demo members


def test_a_member_earns_and_redeems_points_at_the_counter(tmp_path: Path, demo_dir: Path) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo_dir), str(data)], check=True)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "loyalty.earn_rupiah_per_point", "100"], check=True, capture_output=True,
                   timeout=60)  # fmt: skip
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"scan": TEH_600}, {"member": PHONE}, {"pay": {"method": "cash", "amount": 5000}},
        {"scan": TEH_600}, {"member": PHONE}, {"redeem": 20},
        {"pay": {"method": "cash", "amount": 2500}},
    ])  # fmt: skip
    first, second = sales(tmp_path)
    assert first["member_id"] == second["member_id"] == "M0001"
    earned = first["total"] // 100
    assert [(t["method"], t["given"]) for t in second["tenders"]] == [
        ("points", 20), ("cash", second["tenders"][1]["given"])]  # fmt: skip
    assert second["tenders"][0]["amount"] == 2_000
    with sqlite3.connect(data / "ledger.sqlite") as db:
        moves = db.execute("SELECT kind, points FROM points_moves ORDER BY id").fetchall()
    assert moves == [("earn", earned), ("redeem", -20), ("earn", (second["total"] - 2_000) // 100)]
    assert (shots / "07-redeem.png").exists()


def test_a_member_earns_points_at_the_self_checkout(tmp_path: Path, demo_dir: Path) -> None:
    play(tmp_path, demo_dir, "self-checkout",
         [{"scan": TEH_600}, {"member": PHONE}, {"pay": {"method": "card"}}])  # fmt: skip
    (sale,) = sales(tmp_path)
    assert sale["member_id"] == "M0001"
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        moves = db.execute("SELECT kind, points, spend FROM points_moves").fetchall()
    assert moves == [("earn", sale["total"] // 10_000, sale["total"])]
