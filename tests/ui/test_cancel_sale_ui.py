"""Cancelling the whole sale through the real counter UI (``kiosk run --script`` under
Xvfb): Ani (cashier) picks a reason; the sale is above the shop's limit, so Budi types
his supervisor PIN over the sale; the journal names the reason and both of them, and
nothing is sold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_330, TEH_600, demo_dir, journal, play, sales

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_a_supervisor_approves_cancelling_a_sale_over_the_limit(
    tmp_path: Path, demo_dir: Path, size: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "limits.max_cancel_amount", "5000"], check=True, capture_output=True,
                   timeout=60)  # fmt: skip
    ani = [{"press": f"pin_{key}"} for key in "1111"] + [{"press": "pin_enter"}]
    budi = [{"press": f"sup_{key}"} for key in "2222"] + [{"press": "sup_enter"}]
    steps = [
        {"press": "logout"},  # the run signs in a supervisor; Ani takes the till
        *ani,
        {"scan": TEH_330},
        {"scan": TEH_600},  # Rp9.500 > Rp5.000: Ani may not cancel it alone
        {"press": "cancel_sale"},
        {"press": "cancel_reason_0"},
        *budi,
    ]
    _, shots = play(tmp_path, demo_dir, "counter", steps, size=size)
    assert sales(tmp_path) == []
    (record,) = journal(tmp_path, "sale_cancelled")
    assert (record["reason"], record["total"]) == ("The customer changed their mind", 9500)
    assert (record["staff_name"], record["supervisor_name"]) == ("Ani", "Budi")
    assert (shots / "15-press.png").exists()  # the supervisor's PIN pad over the sale


def test_a_supervisor_approves_a_cashiers_discount_on_the_spot(
    tmp_path: Path, demo_dir: Path
) -> None:
    ani = [{"press": f"pin_{key}"} for key in "1111"] + [{"press": "pin_enter"}]
    budi = [{"press": f"sup_{key}"} for key in "2222"] + [{"press": "sup_enter"}]
    steps = [
        {"press": "logout"},
        *ani,
        {"scan": TEH_330},
        {"press": "key_1"},
        {"press": "key_0"},
        {"press": "disc_order"},  # Ani may not discount: Budi's PIN, over her sale
        *budi,
        {"pay": {"method": "cash", "amount": 5000}},
    ]
    _, shots = play(tmp_path, demo_dir, "counter", steps)
    (sale,) = sales(tmp_path)
    assert sale["cashier"] == "c1" and sale["discount_total"] == 500
    (approval,) = journal(tmp_path, "supervisor_approval")
    assert (approval["action"], approval["staff_name"], approval["supervisor_name"]) == (
        "discount", "Ani", "Budi")  # fmt: skip
    assert (shots / "11-press.png").exists()  # the supervisor's PIN pad over the sale
