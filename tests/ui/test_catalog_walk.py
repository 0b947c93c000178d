"""The whole demo catalog through the till in Indonesian: every barcode the demo shop
has is scanned on each face, with taps between, and every screen on the way is read
(kiosk.ui.text_audit): an English message, a SKU, a snake_case id or a hex reference
on screen fails the run with the script line and what was seen."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import demo_dir, play

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, shared


def demo_barcodes(data: Path) -> list[str]:
    exported = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "catalog", "export"],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    rows = csv.DictReader(io.StringIO(exported.stdout))
    return [code for row in rows for code in row["barcode"].split("|") if code]


@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_every_demo_item_through_the_till_reads_in_indonesian(
    tmp_path: Path, demo_dir: Path, mode: str
) -> None:
    codes = demo_barcodes(demo_dir)
    assert len(codes) >= 250
    walk = {"seed": 5, "taps": len(codes) * 3, "codes": [*codes, "STAFF-0002", "2222"],
            "scan_share": 0.5, "in_order": True, "check_texts": True}  # fmt: skip
    done, _ = play(tmp_path, demo_dir, mode, [{"walk": walk}])
    assert "Traceback" not in done.stderr
