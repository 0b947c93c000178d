"""Issue 8: an empty catalog snapshot sent store-wide must not empty the till. Against a
real broker and the kiosk as bootstrap wires it: refused with a reason, the catalog
intact; sent again on purpose it applies, and one command brings the catalog back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import bootstrap
from kiosk.contract.messages import command_doc
from kiosk.domain.catalog import Product
from kiosk.services.changes import CLI
from kiosk.storage import catalog_store
from kiosk.testing.broker_process import (
    MosquittoProcess,
    TopicRecorder,
    eventually,
    mosquitto_binary,
)

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(mosquitto_binary() is None, reason="mosquitto is not installed"),
]
SHOP = [Product(f"SKU{i:04}", f"Item {i}", 1_000 + i) for i in range(200)]


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    process = MosquittoProcess().start()
    yield process
    process.close()


@pytest.fixture
def kiosk(tmp_path: Path, broker: MosquittoProcess) -> Iterator[bootstrap.Kiosk]:
    settings = bootstrap.open_settings(tmp_path)
    settings.set_many({"store_id": "toko", "device_id": "k1", "broker.port": broker.port})
    settings.close()
    kiosk = bootstrap.build(tmp_path, with_devices=False)
    kiosk.admin.catalog.import_products(SHOP, by=CLI, source="shop.csv")
    kiosk.reload_catalog()
    yield kiosk
    kiosk.close()


def on_sale(kiosk: bootstrap.Kiosk) -> int:
    return len(catalog_store.load_products(kiosk.ledger.conn, active_only=True))


def test_an_empty_store_wide_snapshot_is_refused_and_undo_restores(
    kiosk: bootstrap.Kiosk, broker: MosquittoProcess
) -> None:
    handle = kiosk.start_telemetry()
    fleet = TopicRecorder(broker.host, broker.port, ["pos/v1/toko/k1/cmd/+/result"])
    results = "pos/v1/toko/k1/cmd/catalog/result"

    def send(name: str, doc: dict[str, object]) -> dict[str, object]:
        seen = len(fleet.payloads(f"pos/v1/toko/k1/cmd/{name}/result"))
        fleet.client.publish(f"pos/v1/toko/all/cmd/{name}", json.dumps(doc), qos=1)
        topic = f"pos/v1/toko/k1/cmd/{name}/result"
        assert fleet.wait_for(lambda: len(fleet.payloads(topic)) > seen)
        answer: dict[str, object] = json.loads(fleet.payloads(topic)[-1])
        return answer

    try:
        assert eventually(lambda: handle.drain.stats.listening)
        wipe = command_doc("catalog", {"mode": "snapshot", "products": []}, command_id="w-1")
        refused = send("catalog", wipe)
        assert refused["ok"] is False
        assert "200 of the 200 products on sale" in str(refused["errors"])
        assert on_sale(kiosk) == 200
        # A refused command is not recorded: corrected, it may come again under its id.
        meant = command_doc("catalog", {"mode": "snapshot", "products": [],
                                        "allow_mass_removal": True}, command_id="w-1")  # fmt: skip
        assert send("catalog", meant)["ok"] is True
        assert on_sale(kiosk) == 0
        # Once applied, the id is bound to that body: another one is refused, not skipped.
        other = command_doc("catalog", {"mode": "delta", "products": [
            {"sku": "NEW", "name": "New", "price": 1}]}, command_id="w-1")  # fmt: skip
        reused = send("catalog", other)
        assert reused["ok"] is False and reused["duplicate"] is False
        assert "command_id w-1 was already used" in str(reused["errors"])
        assert catalog_store.load_products(kiosk.ledger.conn) == []
        undone = send("catalog_undo", command_doc("catalog_undo", {}, command_id="u-1"))
        assert undone["ok"] is True, undone["errors"]
        assert catalog_store.load_products(kiosk.ledger.conn) == SHOP
        assert len(fleet.payloads(results)) == 3
    finally:
        fleet.close()
