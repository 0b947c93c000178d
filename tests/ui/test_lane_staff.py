"""Staff at a self-checkout lane, through the real UI (``kiosk run --script`` under
Xvfb): an unknown item put aside is journaled as dismissed, never approved; a cashier
attending the lane gets a supervisor's approval on the spot for what her role may not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_330, TEH_600, demo_dir, journal, play, sales

__all__ = ["demo_dir"]  # the module's demo catalog fixture, shared
pytestmark = pytest.mark.ui
UNKNOWN = "8990000000006"


def test_an_unknown_item_put_aside_is_dismissed_not_approved(
    tmp_path: Path, demo_dir: Path
) -> None:
    steps = [{"scan": TEH_330}, {"scan": UNKNOWN}, {"pay": {"method": "card"}}]
    play(tmp_path, demo_dir, "self-checkout", steps)
    (sale,) = sales(tmp_path)
    assert [line["sku"] for line in sale["lines"]] == ["MIN-011"]
    (resolved,) = journal(tmp_path, "intervention_resolved")
    assert (resolved["kind"], resolved["outcome"]) == ("unknown_barcode", "dismissed")


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_a_supervisor_approves_on_the_spot_over_the_cashiers_lane(
    tmp_path: Path, demo_dir: Path, size: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "limits.max_amount", "10000"], check=True, capture_output=True, timeout=60)  # fmt: skip
    steps = [
        {"scan": TEH_330},
        {"scan": TEH_600},
        {"scan": TEH_330},  # Rp14.500 > Rp10.000: the lane stops for staff
        {"attend": {"pin": "1111"}},  # Ani, cashier, attends
        {"press": "approve"},  # her role may not pass the limit: a supervisor is asked
        {"attend": {"badge": "STAFF-0002", "pin": "2222"}},  # Budi signs on the spot
        {"press": "lock"},
        {"pay": {"method": "card"}},
    ]
    _, shots = play(tmp_path, demo_dir, "self-checkout", steps, size=size)
    (sale,) = sales(tmp_path)
    assert sale["total"] == 14_500
    (resolved,) = journal(tmp_path, "intervention_resolved")
    assert resolved["kind"] == "amount_limit" and resolved["outcome"] == "approved"
    assert (resolved["staff_name"], resolved["supervisor_name"]) == ("Ani", "Budi")
    assert (shots / "06-press.png").exists()  # the supervisor's PIN pad over the sale
    assert resolved["supervisor_role"] == "supervisor"


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_staff_cancel_a_customers_whole_sale_at_the_lane(
    tmp_path: Path, demo_dir: Path, size: str
) -> None:
    steps = [
        {"scan": TEH_330},
        {"scan": TEH_600},
        {"attend": {"pin": "1111"}},  # Ani comes to the lane
        {"press": "attendant_cancel"},  # Rp9.500: under the limit, hers to cancel
        {"press": "lock"},
    ]
    _, shots = play(tmp_path, demo_dir, "self-checkout", steps, size=size)
    assert sales(tmp_path) == []
    (record,) = journal(tmp_path, "sale_cancelled")
    assert (record["total"], record["staff_name"]) == (9500, "Ani")
    assert (shots / "04-attend.png").exists()
