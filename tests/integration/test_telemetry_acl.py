"""examples/mosquitto/acl on a real mosquitto with a password file: a kiosk can publish and
read only its own topics, and the drain keeps a row the broker refused."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.contract.messages import command_doc
from kiosk.storage.db import open_db
from kiosk.telemetry.mqtt_config import MqttConfig
from kiosk.telemetry.sync import outbox_summary, start_telemetry, sync_once
from kiosk.testing.broker_process import (
    MosquittoProcess,
    TopicRecorder,
    eventually,
    mosquitto_binary,
)
from kiosk.testing.loadgen import commit_sales

ROOT = Path(__file__).resolve().parents[2]
ACL = ROOT / "examples" / "mosquitto" / "acl"
PASSWORDS = {"fleet": "fleet-secret", "D01": "d01-secret", "D02": "d02-secret"}

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        mosquitto_binary() is None or shutil.which("mosquitto_passwd") is None,
        reason="mosquitto and mosquitto_passwd are needed",
    ),
]


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MosquittoProcess]:
    workdir = tmp_path_factory.mktemp("acl-broker")
    passwd = workdir / "passwd"
    passwd.write_text("".join(f"{user}:{pw}\n" for user, pw in PASSWORDS.items()))
    subprocess.run(["mosquitto_passwd", "-U", str(passwd)], check=True)
    process = MosquittoProcess(
        allow_anonymous=False,
        workdir=workdir,
        extra_config=f"password_file {passwd}\nacl_file {ACL}\n",
    ).start()
    yield process
    process.close()


@pytest.fixture
def fleet(broker: MosquittoProcess) -> Iterator[TopicRecorder]:
    recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/#"], username="fleet",
                             password=PASSWORDS["fleet"])  # fmt: skip
    yield recorder
    recorder.close()


class Kiosk:
    """A raw paho client logged in as a kiosk, recording PUBACK reason codes."""

    def __init__(self, broker: MosquittoProcess, user: str, password: str) -> None:
        self.connack: Any = None
        self.pubacks: dict[int, int] = {}
        self.messages: list[str] = []
        self.subacks: list[list[int]] = []
        self._connected = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"raw-{user}",
                                  protocol=mqtt.MQTTv5)  # fmt: skip
        self.client.username_pw_set(user, password)
        self.client.on_connect = self._on_connect
        self.client.on_publish = lambda c, u, mid, rc, p: self.pubacks.__setitem__(mid, rc.value)
        self.client.on_subscribe = lambda c, u, mid, rcs, p: self.subacks.append(
            [rc.value for rc in rcs]
        )
        self.client.on_message = lambda c, u, msg: self.messages.append(msg.topic)
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self._connected.wait(5)

    def _on_connect(self, client: Any, userdata: Any, flags: Any, rc: Any, props: Any) -> None:
        self.connack = rc
        self._connected.set()

    def publish(self, topic: str) -> int:
        info = self.client.publish(topic, b'{"schema": 1}', qos=1)
        assert eventually(lambda: info.mid in self.pubacks)
        return self.pubacks[info.mid]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_a_wrong_password_is_refused(broker: MosquittoProcess) -> None:
    kiosk = Kiosk(broker, "D01", "guess")
    try:
        assert kiosk.connack is not None and kiosk.connack.is_failure
    finally:
        kiosk.close()


def test_a_kiosk_cannot_publish_as_another(broker: MosquittoProcess, fleet: TopicRecorder) -> None:
    kiosk = Kiosk(broker, "D01", PASSWORDS["D01"])
    try:
        assert kiosk.publish("pos/v1/S01/D02/sale") == 0x87  # Not authorized (MQTT v5)
        assert kiosk.publish("pos/v1/S02/D01/sale") == 0x87  # nor in another store
        assert kiosk.publish("pos/v1/S01/D01/cmd/prices") == 0x87  # nor command itself
        assert kiosk.publish("pos/v1/S01/D01/sale") in (0, 0x10)  # its own: accepted
        assert fleet.wait_for(lambda: fleet.payloads("pos/v1/S01/D01/sale"))
        topics = [t for t, _, _ in fleet.messages]
        assert "pos/v1/S01/D02/sale" not in topics and "pos/v1/S02/D01/sale" not in topics
    finally:
        kiosk.close()


def test_a_kiosk_cannot_read_another_kiosks_commands(
    broker: MosquittoProcess, fleet: TopicRecorder
) -> None:
    kiosk = Kiosk(broker, "D01", PASSWORDS["D01"])
    try:
        kiosk.client.subscribe([("pos/v1/S01/D02/cmd/+", 1), ("pos/v1/S01/D01/cmd/+", 1),
                                ("pos/v1/S01/all/cmd/+", 1), ("pos/v1/#", 1)])  # fmt: skip
        assert eventually(lambda: kiosk.subacks)
        for target in ("D02", "D01", "all"):
            fleet.client.publish(f"pos/v1/S01/{target}/cmd/lock", b"{}", qos=1)
        assert eventually(lambda: len(kiosk.messages) >= 2)
        time.sleep(0.3)  # give a forbidden delivery the chance to show up
        # (overlapping filters deliver a copy per filter, hence the set)
        assert sorted(set(kiosk.messages)) == ["pos/v1/S01/D01/cmd/lock", "pos/v1/S01/all/cmd/lock"]
    finally:
        kiosk.close()


def test_the_drain_works_under_the_acl_and_keeps_refused_rows(
    broker: MosquittoProcess,
    fleet: TopicRecorder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "kiosk.db"
    open_db(db).close()
    config = MqttConfig(store_id="S01", device_id="D01", host=broker.host, port=broker.port,
                        username="D01", password=PASSWORDS["D01"], health_interval_s=3600,
                        backoff_initial_s=0.1, backoff_max_s=0.5)  # fmt: skip
    ids = commit_sales(db, "S01", "D01", 5)
    handle = start_telemetry(db, config)
    try:
        assert eventually(lambda: len(fleet.payloads("pos/v1/S01/D01/sale")) == 5)
        assert eventually(lambda: fleet.payloads("pos/v1/S01/D01/status"))
        assert eventually(lambda: fleet.payloads("pos/v1/S01/D01/health"))
        assert eventually(lambda: handle.drain.stats.listening)
        command = command_doc("lock", {"reason": "test"})
        fleet.client.publish("pos/v1/S01/D01/cmd/lock", json.dumps(command), qos=1)
        result_topic = "pos/v1/S01/D01/cmd/lock/result"
        assert eventually(lambda: fleet.payloads(result_topic))
        result = json.loads(fleet.payloads(result_topic)[0])
        assert result["command_id"] == command["command_id"]
    finally:
        handle.stop()
    assert [json.loads(p)["sale_id"] for p in fleet.payloads("pos/v1/S01/D01/sale")] == ids
    assert outbox_summary(db)["depth"] == 0

    # Misconfigured: D01's credentials with D02's identity. The broker refuses each sale;
    # the rows stay in the outbox and `kiosk sync` says why.
    other = tmp_path / "other.db"
    open_db(other).close()
    commit_sales(other, "S01", "D02", 2)
    with pytest.raises(ConnectionError, match="Not authorized"):
        sync_once(other, config.with_changes(device_id="D02"), timeout=5)
    assert outbox_summary(other)["depth"] == 2
    assert "connected to mqtt://" in caplog.text and "password=set" in caplog.text
    assert PASSWORDS["D01"] not in caplog.text
