"""limits.max_qty at entry through the real counter UI (``kiosk run --script`` under
Xvfb): typing 99 and pressing Qty is refused on the spot, in the cashier's language, and
the keypad is cleared; the line keeps its quantity."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_330, demo_dir, run_kiosk, sales

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_the_counter_refuses_99_where_it_is_typed(
    tmp_path: Path, demo_dir: Path, size: str
) -> None:
    script = tmp_path / "qty.jsonl"
    script.write_text(f'{{"scan": "{TEH_330}"}}\n{{"qty": 99}}\n', encoding="utf-8")
    shots = tmp_path / "shots"
    done = run_kiosk(tmp_path, demo_dir, "counter", "--script", str(script),
                     "--screenshots", str(shots), size=size)  # fmt: skip
    assert done.returncode == 1  # the script stops at the refused step, nothing sold
    assert f"{script}:2: Batas jumlah: 50 per barang" in done.stderr
    assert sales(tmp_path) == [] and (shots / "03-failed.png").exists()
