"""A real `kiosk run` under Xvfb, as systemd runs it: NOTIFY_SOCKET and WATCHDOG_USEC set."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import __version__
from tests.appliance.notify_socket import NotifySocket

pytestmark = pytest.mark.ui


def start_kiosk(tmp_path: Path, demo_dir: Path, notify: str, *args: str) -> subprocess.Popen[bytes]:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    env = {**os.environ, "NOTIFY_SOCKET": notify, "WATCHDOG_USEC": "400000",
           "KIOSK_READY_FILE": str(tmp_path / "ready.json"),
           "KIOSK_WINDOW": "800x480", "KIOSK_WINDOWED": "1", "KIOSK_TELEMETRY": "0",
           "KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_ARGS": "1"}  # fmt: skip
    cmd = [sys.executable, "-m", "kiosk", "run", "--data-dir", str(data),
           "--hardware", "simulated", "--mode", "counter", *args]  # fmt: skip
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            pytest.skip("needs a display or xvfb-run")
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", *cmd]
    # Its own process group: SIGSTOP/SIGKILL reach the till, not only xvfb-run.
    with (tmp_path / "stderr.txt").open("wb") as log:
        return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log,
                                start_new_session=True)  # fmt: skip


def test_ready_after_the_first_frame_then_stopping(tmp_path: Path, demo_dir: Path) -> None:
    with NotifySocket() as systemd:
        proc = start_kiosk(tmp_path, demo_dir, systemd.path, "--exit-after-ready")
        got = systemd.wait_for("READY=1", 120)
        got += systemd.wait_for("STOPPING=1", 30)
        assert proc.wait(30) == 0, (tmp_path / "stderr.txt").read_text()[-2000:]
    assert got[0] == "READY=1\nSTATUS=ready to scan"
    assert got[-1] == "STOPPING=1"
    # What `kiosk update` waits for: this version came up and drew its first frame.
    ready = json.loads((tmp_path / "ready.json").read_text(encoding="utf-8"))
    assert ready["version"] == __version__ and ready["status"] == "ready to scan"


def test_watchdog_pings_while_alive_and_none_while_stopped(tmp_path: Path, demo_dir: Path) -> None:
    with NotifySocket() as systemd:
        proc = start_kiosk(tmp_path, demo_dir, systemd.path)
        try:
            systemd.wait_for("READY=1", 120)
            alive = systemd.receive(2.0)
            os.killpg(proc.pid, signal.SIGSTOP)
            time.sleep(0.1)  # a datagram sent just before the stop may still be queued
            systemd.receive(0.05)
            stopped = systemd.receive(1.5)
            os.killpg(proc.pid, signal.SIGCONT)
            resumed = systemd.receive(1.5)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    # Pings every WATCHDOG_USEC/2 = 0.2 s from Kivy's Clock.
    assert 5 <= alive.count("WATCHDOG=1") <= 12, alive
    assert stopped == []
    assert resumed.count("WATCHDOG=1") >= 3, resumed
