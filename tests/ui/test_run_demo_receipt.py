"""``make run`` (scripts/run-demo.sh) gives the demo an e-receipt address, the one
``make run-fleet`` serves (http://127.0.0.1:8080/r/{sale_id}), so its thank-you screen
shows the QR; an address set before is kept, and the setting's default stays empty (a
real device shows no QR until it is provisioned). Played through the real UI under Xvfb
by passing a script to the demo script, which hands its arguments to ``kiosk run``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_e_receipt import dark_pixels
from tests.ui.test_kiosk_ui import ROOT, TEH_330, demo_dir, sales

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui
DEMO_FLEET = "http://127.0.0.1:8080/r/{sale_id}"


def setting(data: Path, key: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings",
                           "get", key], check=True, capture_output=True, text=True, timeout=60)  # fmt: skip
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", DEMO_FLEET),
        ("https://fleet.tokoku.id/r/{sale_id}", "https://fleet.tokoku.id/r/{sale_id}"),
    ],
)
def test_make_run_shows_the_e_receipt_qr(
    tmp_path: Path, demo_dir: Path, before: str, after: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    (data / ".demo-loaded").touch()  # the demo's catalog is there: no week of sales to wait for
    assert setting(data, "receipt.url") == ""  # a fresh device: no e-receipt address
    if before:
        subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), "settings",
                        "set", "receipt.url", before], check=True, timeout=60)  # fmt: skip
    script, shots = tmp_path / "script.jsonl", tmp_path / "shots"
    steps = [{"scan": TEH_330}, {"pay": {"method": "card"}}]
    script.write_text("\n".join(json.dumps(s) for s in steps) + "\n", encoding="utf-8")
    env = {**os.environ, "VENV": sys.prefix, "KIOSK_DATA_DIR": str(data),
           "KIOSK_WINDOW": "800x480", "KIVY_HOME": str(tmp_path / "kivy")}  # fmt: skip
    if not env.get("DISPLAY") and shutil.which("xvfb-run") is None:
        pytest.skip("needs a display or xvfb-run")
    done = subprocess.run(["bash", str(ROOT / "scripts" / "run-demo.sh"), "--mode",
                           "self-checkout", "--script", str(script), "--screenshots", str(shots)],
                          check=False, env=env, capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert setting(data, "receipt.url") == after
    assert len(sales(tmp_path)) == 1
    thanks = next(p for p in sorted(shots.iterdir()) if p.name.endswith("-thanks.png"))
    assert dark_pixels(thanks) > 5000  # the QR's black modules
