"""The weigh prompt through the real UI (``kiosk run --script`` under Xvfb): as tall as
what it says, centred over the sale, on the 7" panel and a 1024x600 one, both faces.
Measured on the screenshot: the panel is the only pure-white run down the middle of the
screen (the sale behind it is dimmed by the scrim)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.ui.test_kiosk_ui import TEH_330, demo_dir, play

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui
PISANG = "8991999000015"  # demo fruit sold by weight: its plain barcode asks for the scale


def white_rows_down_the_middle(shot: Path) -> int:
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    return sum(image.getpixel((width // 2, y)) == (255, 255, 255) for y in range(height))


@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_the_weigh_panel_is_no_taller_than_what_it_says(
    tmp_path: Path, demo_dir: Path, mode: str, size: str
) -> None:
    _, shots = play(tmp_path, demo_dir, mode, [{"scan": TEH_330}, {"scan": PISANG}], size=size)
    height = int(size.split("x")[1])
    panel = white_rows_down_the_middle(shots / "03-scan.png")
    assert 0.2 * height < panel < 0.45 * height  # it was 404 of 480 px: mostly empty
