"""The kiosk list's printer, scanner and drawer columns, on both engines: health documents
built from the real drivers' statuses, stored through ingest, shown in words in both
languages on the page and in its live events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from drivers.drawer import CashDrawerDevice
from drivers.printer import interpret_status
from drivers.sim.scanner import SimulatedScanner
from fleet.ingest.messages import store_message
from fleet.storage.repository import Partitions
from fleet.web import create_app
from fleet.web.display import devices_shown
from kiosk.contract.topics import DeviceTopics
from kiosk.ports import DeviceStatus
from kiosk.telemetry.health import _device_doc
from tests.fleet.accounts import signed_in

AT = "2026-11-27T06:00:00.000000Z"
PAPER_NEAR_END, PAPER_OUT = 0x0C, 0x60  # DLE EOT 4 answers (drivers/printer.py)


def health(device: str, statuses: list[DeviceStatus]) -> dict[str, Any]:
    return {"schema": 1, "at": AT, "store_id": "store-1", "device_id": device,
            "version": "1.4.0", "uptime_s": 60, "devices": [_device_doc(s) for s in statuses],
            "outbox": {"depth": 0, "oldest_created_at": None, "oldest_age_s": None},
            "disk_free_bytes": None, "cpu_temp_c": None}  # fmt: skip


def ingest(engine: sa.Engine, topic: str, doc: dict[str, Any]) -> None:
    with engine.begin() as conn:
        outcome = store_message(conn, topic, json.dumps(doc).encode(), received_at=AT,
                                partitions=Partitions())  # fmt: skip
    assert outcome == "new"


@pytest.fixture
def pins() -> Iterator[MockFactory]:
    factory = MockFactory()
    Device.pin_factory = factory
    yield factory
    factory.reset()
    Device.pin_factory = None


@pytest.fixture
def client(fleet_engine: sa.Engine, pins: MockFactory) -> Iterator[TestClient]:
    drawer = CashDrawerDevice(pin=17, sensor_pin=27)
    pins.pin(27).drive_high()  # the drawer's switch open: the drawer is open
    unplugged = SimulatedScanner("scanner-2")
    unplugged.connected = False
    kiosks = {
        "k1": [interpret_status("printer", 0, 0, PAPER_NEAR_END), SimulatedScanner().status(),
               drawer.status()],
        "k2": [interpret_status("printer", 0, 0, PAPER_OUT), unplugged.status()],
    }  # fmt: skip
    drawer.close()
    for device, statuses in kiosks.items():
        ingest(fleet_engine, DeviceTopics("store-1", device).health, health(device, statuses))
    status = {"schema": 1, "state": "online", "store_id": "store-1", "device_id": "k3", "at": AT}
    ingest(fleet_engine, DeviceTopics("store-1", "k3").status, status)  # no health yet
    with TestClient(create_app(fleet_engine, event_poll_s=0.05)) as test_client:
        signed_in(fleet_engine, test_client)
        yield test_client


def cells(html: str, device: str) -> list[str]:
    """The text of the kiosk's row's printer, scanner and drawer cells."""
    row = html.split(f">{device}</td>", 1)[1].split("</tr>", 1)[0]
    texts = [part.split("</td>", 1)[0].split(">", 1)[1] for part in row.split("<td")[1:]]
    return texts[3:6]  # status, last seen, version, then the three devices


def test_the_kiosk_list_shows_each_kiosks_devices_in_words(client: TestClient) -> None:
    english = client.get("/?lang=en").text
    assert "Printer" in english and "Scanner" in english and "Cash drawer" in english
    assert cells(english, "k1") == ["Paper low", "Ready", "Open"]
    assert cells(english, "k2") == ["Paper out", "Not connected", "None"]
    assert cells(english, "k3") == ["", "", ""]  # no health document yet: nothing to say
    indonesian = client.get("/?lang=id").text
    assert cells(indonesian, "k1") == ["Kertas hampir habis", "Siap", "Terbuka"]
    assert cells(indonesian, "k2") == ["Kertas habis", "Tidak terhubung", "Tidak ada"]
    assert 'class="bad">Kertas habis' in indonesian and 'class="warn">Kertas hampir' in indonesian
    api = {row["device_id"]: row["devices"] for row in client.get("/api/kiosks").json()}
    assert api["k1"]["printer"]["paper"] == "near_end" and api["k1"]["drawer"]["open"] is True
    assert api["k2"]["drawer"] is None and api["k3"] == dict.fromkeys(api["k3"])


def test_the_live_events_carry_the_same_words(client: TestClient) -> None:
    with client.stream("GET", "/events?limit=1&lang=id") as response:
        text = "".join(response.iter_text())
    rows = json.loads(next(line[6:] for line in text.splitlines() if line.startswith("data: ")))
    shown = {row["device_id"]: row["shown"] for row in rows}
    assert (shown["k1"]["printer"], shown["k1"]["scanner"], shown["k1"]["drawer"]) == (
        "Kertas hampir habis", "Siap", "Terbuka")  # fmt: skip
    assert (shown["k2"]["printer"], shown["k2"]["printer_class"]) == ("Kertas habis", "bad")
    assert shown["k2"]["scanner"] == "Tidak terhubung" and shown["k3"]["printer"] == ""


@pytest.mark.parametrize(
    ("device", "english", "indonesian"),
    [
        ({"state": "busy", "reason": "left open", "paper": "", "open": True},
         "Left open", "Terbuka terlalu lama"),
        ({"state": "idle", "reason": "", "paper": "", "open": False}, "Closed", "Tertutup"),
        ({"state": "idle", "reason": "", "paper": "", "open": None}, "Ready", "Siap"),
        ({"state": "error", "reason": "jammed", "paper": "", "open": None}, "Fault", "Bermasalah"),
    ],
)  # fmt: skip
def test_drawer_words(device: dict[str, Any], english: str, indonesian: str) -> None:
    row = {"has_health": True, "devices": {"drawer": device}}
    assert devices_shown(row, "en")["drawer"] == english
    assert devices_shown(row, "id")["drawer"] == indonesian
