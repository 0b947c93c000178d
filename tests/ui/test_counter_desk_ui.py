"""The counter's desk buttons through the real Kivy UI at 800x480 (touch audit on):
a price check that adds nothing, then a sale and its receipt printed again as a copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import (
    COUNTER,
    SELF_CHECKOUT,
    TEH_330,
    demo_dir,
    journal,
    play,
    sales,
    to_docs,
)

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, shared


def test_price_check_then_reprint_at_the_counter(tmp_path: Path, demo_dir: Path) -> None:
    steps = [
        {"press": "price_check"},
        {"scan": TEH_330},  # only said: the basket stays empty
        {"scan": TEH_330},
        {"pay": {"method": "cash", "amount": 10000}},
        {"press": "new_sale"},
        {"press": "reprint"},
    ]
    _, shots = play(tmp_path, demo_dir, "counter", steps)
    (sale,) = sales(tmp_path)
    assert [(line["sku"], line["qty"]) for line in sale["lines"]] == [("MIN-011", 1)]
    (reprint,) = journal(tmp_path, "reprint")
    assert reprint["receipt_no"] == sale["receipt_no"] and reprint["staff_id"]
    assert (shots / "07-press.png").exists()
    to_docs(shots, {"03-scan.png": "counter-price-check.png"})


@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_the_till_in_english(tmp_path: Path, demo_dir: Path, mode: str) -> None:
    """The same sales with the till set to English (the screenshots in the README)."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "language", "en"], check=True, capture_output=True, timeout=60)  # fmt: skip
    steps = SELF_CHECKOUT if mode == "self-checkout" else COUNTER
    _, shots = play(tmp_path, demo_dir, mode, steps)
    assert len(sales(tmp_path)) == 1
    if mode == "self-checkout":
        to_docs(shots, {"07-sku.png": "self-checkout-basket-en.png",
                        "04-intervention.png": "self-checkout-age-check-en.png"})  # fmt: skip
    else:
        to_docs(shots, {"08-discount.png": "counter-sale-en.png",
                        "10-pay.png": "counter-change-en.png"})  # fmt: skip
