"""The till's warnings on the real screen (``kiosk run --script`` under Xvfb): with the
disk floor (``disk.min_free_mb``) above the free space, each face shows its banner in
Bahasa Indonesia; once the floor is lowered while the till runs, the banner goes at the
next check. The script waits for the text on a visible widget ({"see"} / {"not_see"})."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.storage.disk_space import MB, measure
from kiosk.storage.settings import SCHEMA, Settings
from tests.ui.test_kiosk_ui import demo_dir

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui
SHOWN = {
    "self-checkout": "Untuk petugas: memori penyimpanan hampir penuh",
    "counter": "Memori penyimpanan hampir penuh: beri tahu manajer",
}


def set_floor(data: Path, megabytes: int) -> None:
    settings = Settings(data / "settings.json")
    try:
        settings.set("disk.min_free_mb", megabytes)
    finally:
        settings.close()


@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_the_low_disk_banner_shows_in_indonesian_and_goes_when_it_clears(
    tmp_path: Path, demo_dir: Path, mode: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    highest = int(SCHEMA["disk.min_free_mb"].allowed.split("..")[1])
    assert measure(data, highest * MB).low, "this machine has more free space than the floor"
    set_floor(data, highest)
    text = SHOWN[mode]
    script = tmp_path / "script.jsonl"
    script.write_text(f'{{"see": "{text}"}}\n{{"not_see": "{text}"}}\n', encoding="utf-8")
    shots = tmp_path / "shots"
    env = {**os.environ, "KIOSK_WINDOW": "800x480", "KIOSK_AUDIT": "1", "KIVY_NO_ARGS": "1",
           "KIVY_HOME": str(tmp_path / "kivy"), "KIOSK_WARNINGS_EVERY_S": "0.5"}  # fmt: skip
    cmd = [sys.executable, "-m", "kiosk", "run", "--data-dir", str(data), "--hardware",
           "simulated", "--mode", mode, "--script", str(script), "--screenshots", str(shots)]  # fmt: skip
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            pytest.skip("needs a display or xvfb-run")
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1280x24", *cmd]
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as till:  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while not (shots / "02-see.png").exists():  # the banner was found on screen
                assert till.poll() is None, till.communicate()[1][-3000:]
                assert time.monotonic() < deadline, "the banner never showed"
                time.sleep(0.1)
            set_floor(data, 16)  # the lowest floor: this machine is above it
            _out, err = till.communicate(timeout=120)
        finally:
            if till.poll() is None:
                till.kill()
    assert till.returncode == 0, err[-3000:]  # and {"not_see"} found the banner gone
    assert sorted(p.name for p in shots.iterdir()) == ["01-ready.png", "02-see.png",
                                                       "03-not_see.png"]  # fmt: skip
