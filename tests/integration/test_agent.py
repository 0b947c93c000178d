"""``kiosk agent`` against a real broker, without Kivy: it drains sales, answers fleet
commands, is the device's only link (a second agent waits, the till follows it and picks
up a price change and a lane lock within a second), and stops with "offline", exit 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleet.ingest import IngestWorker
from kiosk import bootstrap
from kiosk.contract.messages import command_doc
from kiosk.domain.catalog import Product
from kiosk.ports import DeviceState, DeviceStatus
from kiosk.storage import catalog_store
from kiosk.telemetry.link import LinkFollower, read_devices
from kiosk.telemetry.sync import outbox_summary
from kiosk.testing.broker_process import (
    MosquittoProcess,
    TopicRecorder,
    eventually,
    mosquitto_binary,
)
from kiosk.testing.loadgen import commit_sales
from kiosk.testing.nats import NatsProcess, nats_binary

pytestmark = [pytest.mark.broker]
STORE, DEVICE = "toko", "k1"
PREFIX = f"pos/v1/{STORE}/{DEVICE}"


def prepare(data: Path, port: int, protocol: str = "5") -> None:
    settings = bootstrap.open_settings(data)
    settings.set_many({"store_id": STORE, "device_id": DEVICE, "broker.port": port,
                       "broker.protocol": protocol})  # fmt: skip
    settings.close()
    kiosk = bootstrap.build(data, with_devices=False)
    catalog_store.replace_all(kiosk.ledger.conn, [Product("TEH", "Teh", 5000, ("8991000000010",))])
    kiosk.close()


def start_agent(data: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KIOSK_DATA_DIR": str(data)}
    with log.open("wb") as err:
        return subprocess.Popen([sys.executable, "-m", "kiosk.cli.entry", "agent"], env=env,
                                stdout=subprocess.DEVNULL, stderr=err)  # fmt: skip


def stop(agent: subprocess.Popen[bytes]) -> int:
    if agent.poll() is None:
        agent.send_signal(signal.SIGTERM)
    return agent.wait(20)


def states(recorder: TopicRecorder) -> list[tuple[str, str]]:
    docs = [json.loads(p) for p in recorder.payloads(f"{PREFIX}/status")]
    return [(d["state"], d.get("reason", "")) for d in docs]


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    if mosquitto_binary() is None:
        pytest.skip("mosquitto is not installed")
    with MosquittoProcess(persistent=True) as process:
        yield process


def test_the_agent_is_the_one_link_and_the_till_follows_what_it_applies(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)
    fleet = TopicRecorder(broker.host, broker.port, [f"{PREFIX}/#"])
    agent = start_agent(data, tmp_path / "agent.log")
    till = None
    try:
        assert fleet.wait_for(lambda: ("online", "") in states(fleet)), (
            tmp_path / "agent.log"
        ).read_text()
        # Sales the till commits go out through the agent's drain.
        ids = commit_sales(data / "ledger.sqlite", STORE, DEVICE, 5)
        assert fleet.wait_for(lambda: len(fleet.payloads(f"{PREFIX}/sale")) == 5)
        assert [json.loads(p)["sale_id"] for p in fleet.payloads(f"{PREFIX}/sale")] == ids
        # The till started while the agent runs opens no second link: it follows.
        till = bootstrap.build(data, with_devices=False)
        changes: list[tuple[float, str]] = []
        locks: list[tuple[float, bool]] = []
        handle = till.start_telemetry(on_change=lambda n: changes.append((time.monotonic(), n)),
                                      on_lock=lambda x: locks.append((time.monotonic(), x)))  # fmt: skip
        assert isinstance(handle, LinkFollower)
        price = command_doc("prices", {"prices": [{"sku": "TEH", "price": 6000}]})
        sent = time.monotonic()
        fleet.client.publish(f"pos/v1/{STORE}/all/cmd/prices", json.dumps(price), qos=1)
        assert eventually(lambda: bool(changes), timeout=5)
        assert changes[0][1] == "prices" and changes[0][0] - sent < 1.0
        till.reload_catalog()  # what the app does on its main thread after on_change
        till.checkout.scan("8991000000010")
        assert till.checkout.priced().total == 6000
        result = f"{PREFIX}/cmd/prices/result"
        assert fleet.wait_for(lambda: bool(fleet.payloads(result)))
        assert json.loads(fleet.payloads(result)[0])["ok"] is True
        sent = time.monotonic()
        fleet.client.publish(f"{PREFIX}/cmd/lock", json.dumps(command_doc("lock", {})), qos=1)
        assert eventually(lambda: bool(locks), timeout=5)
        assert locks[0][1] is True and locks[0][0] - sent < 1.0
        # Only the agent was ever online: one birth.
        assert [s for s in states(fleet) if s[0] == "online"] == [("online", "")]
    finally:
        if till is not None:
            till.close()
        code = stop(agent)
    assert code == 0, (tmp_path / "agent.log").read_text()
    assert fleet.wait_for(lambda: states(fleet)[-1] == ("offline", "shutdown"))
    fleet.close()


def test_a_second_agent_waits_for_the_link_and_takes_it_over(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)
    fleet = TopicRecorder(broker.host, broker.port, [f"{PREFIX}/status"])
    first = start_agent(data, tmp_path / "first.log")
    second = None
    try:
        assert fleet.wait_for(lambda: ("online", "") in states(fleet))
        second = start_agent(data, tmp_path / "second.log")
        assert eventually(lambda: "waiting for process" in (tmp_path / "second.log").read_text(),
                          timeout=20)  # fmt: skip
        assert second.poll() is None
        assert stop(first) == 0
        # The second one takes the link: online again after the first one's offline.
        assert fleet.wait_for(lambda: states(fleet)[-2:] == [("offline", "shutdown"),
                                                             ("online", "")])  # fmt: skip
    finally:
        stop(first)
        if second is not None:
            assert stop(second) == 0
    fleet.close()


def test_the_agent_speaks_mqtt_3_1_1_to_nats_server(tmp_path: Path) -> None:
    if nats_binary() is None:
        pytest.skip("nats-server is not installed")
    with NatsProcess() as nats:
        data = tmp_path / "device"
        data.mkdir()
        prepare(data, nats.port, protocol="3.1.1")
        ingest = IngestWorker(f"sqlite:///{tmp_path / 'fleet.sqlite'}", nats.host, nats.port,
                              protocol="3.1.1").start()  # fmt: skip
        assert ingest.subscribed.wait(10), nats.log_text()
        ids = commit_sales(data / "ledger.sqlite", STORE, DEVICE, 3)
        agent = start_agent(data, tmp_path / "agent.log")
        try:
            assert eventually(lambda: ingest.sale_ids(DEVICE) == ids, timeout=20), (
                tmp_path / "agent.log"
            ).read_text()
            assert eventually(lambda: outbox_summary(data / "ledger.sqlite")["depth"] == 0)
        finally:
            code = stop(agent)
            ingest.stop()
        assert code == 0


def test_the_till_hands_its_device_statuses_to_the_agent(tmp_path: Path) -> None:
    """The agent opens no devices; the following till writes their statuses for it."""
    paper_out = DeviceStatus("printer", "printer-1", DeviceState.ERROR, "paper out",
                             {"paper": "out"})  # fmt: skip
    scanner = DeviceStatus("scanner", "scanner-1", DeviceState.IDLE)
    assert read_devices(tmp_path) == []
    follower = LinkFollower(tmp_path, devices=lambda: [paper_out, scanner]).start()
    try:
        assert eventually(lambda: read_devices(tmp_path) == [paper_out, scanner], timeout=5)
    finally:
        follower.stop()
