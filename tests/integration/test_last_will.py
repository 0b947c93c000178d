"""The retained last will: a kiosk that dies without a goodbye is shown "offline".

A real mosquitto and a real kiosk process killed with SIGKILL (no DISCONNECT, no
"offline" of its own): only the will the broker holds can say it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.storage.db import open_db
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, mosquitto_binary

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(mosquitto_binary() is None, reason="mosquitto is not installed"),
]
STORE, DEVICE = "S01", "D09"
STATUS = f"pos/v1/{STORE}/{DEVICE}/status"

CHILD = """
import time
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.telemetry.sync import start_telemetry
config = MqttConfig(store_id={store!r}, device_id={device!r}, host="127.0.0.1", port={port},
                    health_interval_s=3600)
start_telemetry({db!r}, config)
time.sleep(600)
"""


def states(recorder: TopicRecorder) -> list[tuple[str, str, bool]]:
    """(state, reason, retained) of every status message the recorder saw."""
    found = []
    for topic, payload, retained in recorder.messages:
        if topic == STATUS:
            doc = json.loads(payload)
            found.append((doc["state"], doc.get("reason", ""), retained))
    return found


def test_a_killed_kiosk_is_shown_offline_by_its_retained_will(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    db = tmp_path / "kiosk.db"
    open_db(db).close()
    code = CHILD.format(store=STORE, device=DEVICE, port=broker.port, db=str(db))
    watcher = TopicRecorder(broker.host, broker.port, [STATUS])
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    try:
        assert watcher.wait_for(lambda: ("online", "", False) in states(watcher), timeout=15)
        child.send_signal(signal.SIGKILL)
        child.wait(5)
        assert watcher.wait_for(lambda: states(watcher)[-1][0] == "offline", timeout=10)
        assert states(watcher)[-1][:2] == ("offline", "connection lost")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        watcher.close()
    # A dashboard that connects later still learns it: the will was published retained.
    late = TopicRecorder(broker.host, broker.port, [STATUS])
    try:
        assert late.wait_for(lambda: bool(states(late)), timeout=5)
        assert states(late) == [("offline", "connection lost", True)]
    finally:
        late.close()
