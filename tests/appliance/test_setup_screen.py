"""First boot under Xvfb: `kiosk run` on an image that is not set up shows "scan your
setup code" (READY with that status), refuses a tampered file from the USB stick, and is
provisioned by the good one, then exits for systemd to start the till."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fleet.setup_codes import main as fleet_main
from fleet.setup_codes import new_key
from kiosk.testing.broker_process import eventually
from tests.appliance.notify_socket import NotifySocket

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


def test_first_boot_waits_for_a_setup_code_then_provisions(tmp_path: Path) -> None:
    pub = new_key(tmp_path / "setup.key")
    out = tmp_path / "codes"
    assert fleet_main(["store", "--key", str(tmp_path / "setup.key"), "--store", "toko-1",
                       "--devices", "lane-9", "--broker-host", "mqtt.example",
                       "--out", str(out)]) == 0  # fmt: skip
    good = (out / "lane-9" / "kiosk-setup.txt").read_text(encoding="ascii")
    stick, data, shots = tmp_path / "stick", tmp_path / "data", tmp_path / "shots"
    stick.mkdir()
    env = {**os.environ, "KIOSK_REQUIRE_SETUP": "1", "KIOSK_SETUP_KEY": str(pub),
           "KIOSK_SETUP_PATHS": str(stick), "KIOSK_WINDOW": "800x480",
           "KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_ARGS": "1"}  # fmt: skip
    cmd = [sys.executable, "-m", "kiosk", "run", "--data-dir", str(data),
           "--hardware", "simulated", "--screenshots", str(shots)]  # fmt: skip
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            pytest.skip("needs a display or xvfb-run")
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", *cmd]
    with NotifySocket() as systemd:
        env["NOTIFY_SOCKET"] = systemd.path
        with (tmp_path / "stderr.txt").open("wb") as log:
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            got = systemd.wait_for("READY=1", 120)
            assert "STATUS=waiting for a setup code" in got[-1].split("\n")
            (stick / "kiosk-setup.txt").write_text(good[:40] + "A" + good[41:])  # damaged
            log = tmp_path / "stderr.txt"
            refused = "setup code refused (damaged): the setup code is damaged"  # not a fixed sleep
            assert eventually(lambda: refused in log.read_text(errors="replace"), 60)
            assert proc.poll() is None and not (data / "provisioned.json").exists()
            (stick / "kiosk-setup.txt").write_text(good)
            code = proc.wait(60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        stopping = systemd.wait_for("STOPPING=1", 5)
    stderr = (tmp_path / "stderr.txt").read_text(errors="replace")
    assert code == 0, stderr[-2000:]
    assert "setup code refused (damaged): the setup code is damaged" in stderr
    assert "provisioned: store toko-1, device lane-9" in stderr
    assert (data / "provisioned.json").exists() and stopping[-1] == "STOPPING=1"
    for name in ("setup-scan-code.png", "setup-refused.png", "setup-done.png"):
        assert (shots / name).stat().st_size > 1000
        if os.environ.get("KIOSK_UPDATE_DOCS") == "1":
            shutil.copy(shots / name, ROOT / "docs" / "screenshots" / name)
