"""The e-receipt QR through the real UI (``kiosk run --script`` under Xvfb): offered only
where the shop set its fleet's receipt address (receipt.url), shown on the thank-you
screen (the seconds it then stays are the presenter's, tested with a clock)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.ui.test_kiosk_ui import TEH_330, demo_dir, play, sales

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui


def dark_pixels(shot: Path) -> int:
    return sum(Image.open(shot).convert("L").histogram()[:40])


@pytest.mark.parametrize(
    ("url", "qr"), [("https://fleet.tokoku.id/r/{sale_id}", True), ("", False)]
)
def test_the_thank_you_shows_the_qr_only_with_a_receipt_address(
    tmp_path: Path, demo_dir: Path, url: str, qr: bool
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings", "set",
                    "receipt.url", url], check=True, capture_output=True, timeout=60)  # fmt: skip
    _, shots = play(tmp_path, demo_dir, "self-checkout",
                    [{"scan": TEH_330}, {"pay": {"method": "card"}}])  # fmt: skip
    assert len(sales(tmp_path)) == 1
    thanks = next(p for p in sorted(shots.iterdir()) if p.name.endswith("-thanks.png"))
    # The QR's black modules; the thank-you screen has no other black.
    assert (dark_pixels(thanks) > 5000) is qr
