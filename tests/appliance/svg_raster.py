"""Rasterises the filled <rect>s of our own SVGs (all their barcodes are made of them) so
zbar, an independent decoder, can read what would be printed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

RECT = re.compile(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/>')


def rasterise(svg: str, png: Path, px_per_mm: float = 12.0) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (int(210 * px_per_mm), int(297 * px_per_mm)), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in (tuple(float(v) * px_per_mm for v in m) for m in RECT.findall(svg)):
        draw.rectangle((round(x), round(y), round(x + w) - 1, round(y + h) - 1), fill=0)
    image.save(png)


def decode(png: Path) -> list[str]:
    """The data of every symbol zbarimg finds, one per line; a CR inside a symbol (as on
    programming labels) is kept, so lines are split on LF only."""
    if shutil.which("zbarimg") is None:
        pytest.skip("needs zbarimg (zbar-tools; scripts/ensure-system.sh installs it)")
    done = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sean13.enable",
                           "-Scode128.enable", "-Sqrcode.enable", "--nodbus", str(png)],
                          capture_output=True, timeout=60, check=False)  # fmt: skip
    return done.stdout.decode().split("\n")[:-1]  # bytes: text mode would turn CR into LF
