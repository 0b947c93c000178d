"""The counter's desk buttons through the real Kivy UI at 800x480 (touch audit on):
a price check that adds nothing, then a sale and its receipt printed again as a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_330, demo_dir, journal, play, sales

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
