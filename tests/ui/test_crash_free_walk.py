"""The crash-free walk: both faces, through the real Kivy UI, tap their buttons screen
after screen (every one not yet pressed first) and scan each kind of barcode the demo
shop has, weighed items, labels, misreads, unknown codes and staff badges included. The
run must end with exit 0 and no exception; refusals on the way are expected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.domain.gtin import check_digit
from tests.ui.test_kiosk_ui import PISANG, PISANG_LABEL, ROKOK, TEH_330, demo_dir, play

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, shared


def ean(body: str) -> str:
    return body + check_digit(body)


CODES = [
    TEH_330,  # a plain item
    ROKOK,  # age-restricted: the lane stops for staff
    PISANG,  # sold by weight, its plain barcode: the scale is asked
    PISANG_LABEL,  # a scale's weight label (PLU 00001)
    ean("200000100750"),  # a scale's price label for PLU 00001
    ean("299999901250"),  # a scale label for a PLU nobody has
    ean("899000000001"),  # a valid EAN the shop does not sell
    TEH_330[:-1] + str((int(TEH_330[-1]) + 1) % 10),  # a misread (wrong check digit)
    "STAFF-0001",  # a cashier's badge
    "STAFF-0002",  # a supervisor's badge (the PIN must follow)
    "MIN-013",  # an in-store code typed as a SKU
]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_a_random_walk_through_every_screen_never_crashes(
    tmp_path: Path, demo_dir: Path, mode: str, seed: int
) -> None:
    steps = [{"walk": {"seed": seed * 10 + n, "taps": 120, "codes": CODES}} for n in range(3)]
    done, _ = play(tmp_path, demo_dir, mode, steps)
    assert "Traceback" not in done.stderr and "Error" not in _log_lines(done.stderr)
    pressed = [set(m.split()) for m in re.findall(r"walk pressed \d+: (.*)", done.stderr)]
    assert len(pressed) == 3
    everywhere = set().union(*pressed)
    assert len(everywhere) >= 15, sorted(everywhere)  # it went past the first screen


def _log_lines(stderr: str) -> str:
    """The log without the walk's own report (button names such as 'reject')."""
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("walk "))
