"""The top bars' keys say what they do, in the till's language, through the real UI
under Xvfb: every key of the counter's bar and the self-checkout's (help, staff) has
its word under its icon, and the text audit (KIOSK_AUDIT, kiosk/ui/touch.py) fails a step
where a key's word is wider than the key or the message bar beside the keys is squeezed
below a readable width (about twenty characters a line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.ui.test_kiosk_ui import TEH_330, demo_dir, play
from tests.ui.test_loyalty_ui import settings

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui
WORDS = {
    ("counter", "id"): ["Tunda", "Lanjut", "Laci", "Salinan", "Laporan", "Keluar"],
    ("counter", "en"): ["Hold", "Resume", "Drawer", "Reprint", "Reports", "Sign out"],
    ("self-checkout", "id"): ["Petugas"],
    ("self-checkout", "en"): ["Staff"],
}
# The online-orders key shows on a wide bar (landscape) even with no order open.
ORDERS = {"id": "Pesanan", "en": "Orders"}


def demo_data_in(tmp_path: Path, demo_dir: Path, lang: str) -> None:
    """The demo's data directory where ``play`` looks for it, the till set to ``lang``."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    settings(data, ("language", lang))


@pytest.mark.parametrize("size", ["800x480", "1280x800", "480x800", "800x1280"])
@pytest.mark.parametrize(("mode", "lang"), sorted(WORDS))
def test_every_top_bar_key_has_a_word_that_fits(
    tmp_path: Path, demo_dir: Path, mode: str, lang: str, size: str
) -> None:
    demo_data_in(tmp_path, demo_dir, lang)
    start = [{"press": f"start_{lang}"}] if mode == "self-checkout" else []
    width, height = (int(n) for n in size.split("x"))
    wide = mode == "counter" and width > height
    words = [{"see": word} for word in [*WORDS[(mode, lang)], *([ORDERS[lang]] if wide else [])]]
    _, shots = play(tmp_path, demo_dir, mode, [*start, {"scan": TEH_330}, *words], size=size)
    shot = next(p for p in sorted(shots.iterdir()) if p.name.endswith("-scan.png"))
    with Image.open(shot) as image:
        assert image.size == (width, height)


@pytest.mark.parametrize(("lang", "one", "two"), [("en", "1 item", "2 items"),
                                                  ("id", "1 barang", "2 barang")])  # fmt: skip
def test_the_self_checkout_counts_one_item_in_the_singular(
    tmp_path: Path, demo_dir: Path, lang: str, one: str, two: str
) -> None:
    demo_data_in(tmp_path, demo_dir, lang)
    steps = [{"press": f"start_{lang}"}, {"scan": TEH_330}, {"see": one}, {"not_see": "1 items"},
             {"scan": TEH_330}, {"see": two}]  # fmt: skip
    play(tmp_path, demo_dir, "self-checkout", steps, size="800x480")
