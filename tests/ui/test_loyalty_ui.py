"""A member's sale at the counter and the self-checkout through the real Kivy UI (under
Xvfb): the points are earned with the first sale and spent on the second through the
counter's Points tender or the self-checkout's points keypad, by the same loyalty service
as ``kiosk replay``, on the real SQLite ledger."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_600, demo_dir, play, sales, to_docs

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


def settings(data: Path, *pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                        key, value], check=True, capture_output=True, timeout=60)  # fmt: skip


def member_moves(data: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(data / "ledger.sqlite") as db:
        rows = db.execute("SELECT kind, points FROM points_moves WHERE member_id = 'M0001'"
                          " ORDER BY id").fetchall()  # fmt: skip
    return [(str(kind), int(n)) for kind, n in rows]


def test_a_member_pays_part_with_points_at_the_self_checkout(
    tmp_path: Path, demo_dir: Path
) -> None:
    """Their balance on the payment screen, 20 points typed on the points keypad (at most
    half the sale by default), the card pays the rest; both screens in Indonesian."""
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo_dir), str(data)], check=True)
    settings(data, ("loyalty.earn_rupiah_per_point", "100"))
    before = member_moves(data)
    _, shots = play(tmp_path, demo_dir, "self-checkout", [
        {"scan": TEH_600}, {"member": PHONE}, {"pay": {"method": "card"}},
        {"scan": TEH_600}, {"scan": TEH_600}, {"member": PHONE}, {"redeem": 20},
        {"pay": {"method": "card"}},
    ])  # fmt: skip
    first, second = sales(tmp_path)
    assert first["member_id"] == second["member_id"] == "M0001"
    assert [(t["method"], t["amount"], t["given"]) for t in second["tenders"]] == [
        ("points", 2_000, 20), ("card", second["total"] - 2_000, None)]  # fmt: skip
    earned = [("earn", first["total"] // 100), ("redeem", -20),
              ("earn", (second["total"] - 2_000) // 100)]  # fmt: skip
    assert member_moves(data) == before + earned
    names = sorted(p.name for p in shots.iterdir())
    assert any(n.endswith("-points.png") for n in names), names
    to_docs(shots, {next(n for n in names if n.endswith("-points.png")):
                    "self-checkout-points.png"})  # fmt: skip


def test_a_member_pays_a_whole_sale_with_points_at_the_self_checkout(
    tmp_path: Path, demo_dir: Path
) -> None:
    """With loyalty.max_redeem_percent 100 the points pay the whole basket: the sale
    completes without a card or cash and the receipt choice follows."""
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo_dir), str(data)], check=True)
    settings(data, ("loyalty.earn_rupiah_per_point", "100"), ("loyalty.max_redeem_percent", "100"))
    with sqlite3.connect(data / "ledger.sqlite") as db:
        (price,) = db.execute("SELECT price FROM products JOIN barcodes USING (sku)"
                              " WHERE barcode = ?", (TEH_600,)).fetchone()  # fmt: skip
    assert price % 100 == 0  # so its points pay it to the rupiah
    before = member_moves(data)
    play(tmp_path, demo_dir, "self-checkout", [
        {"scan": TEH_600}, {"member": PHONE}, {"pay": {"method": "card"}},
        {"scan": TEH_600}, {"member": PHONE}, {"redeem": price // 100},
        {"scan": TEH_600}, {"pay": {"method": "card"}},  # the next customer goes on as usual
    ])  # fmt: skip
    _, second, third = sales(tmp_path)
    assert [(t["method"], t["amount"]) for t in second["tenders"]] == [("points", price)]
    assert not third["member_id"]  # a new basket: nobody on it
    assert member_moves(data) == [*before, ("earn", price // 100), ("redeem", -(price // 100)),
                                  ("earn", 0)]  # fmt: skip
