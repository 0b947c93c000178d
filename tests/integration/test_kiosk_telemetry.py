"""The kiosk as bootstrap wires it, against a real broker: a fleet price change reaches
the open checkout, and a report request is answered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import bootstrap
from kiosk.contract.messages import command_doc
from kiosk.domain.catalog import Product
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


@pytest.fixture
def kiosk(tmp_path: Path, broker: MosquittoProcess) -> Iterator[bootstrap.Kiosk]:
    settings = bootstrap.open_settings(tmp_path)
    settings.set_many({"store_id": "toko", "device_id": "k1", "broker.port": broker.port})
    settings.close()
    kiosk = bootstrap.build(tmp_path, with_devices=False)
    catalog_store.replace_all(kiosk.ledger.conn, [Product("TEH", "Teh", 5000, ("8991000000010",))])
    kiosk.reload_catalog()
    yield kiosk
    kiosk.close()


def test_price_command_reaches_the_checkout_and_reports_are_answered(
    kiosk: bootstrap.Kiosk, broker: MosquittoProcess
) -> None:
    changes: list[str] = []
    handle = kiosk.start_telemetry(on_change=changes.append)
    fleet = TopicRecorder(broker.host, broker.port, ["pos/v1/toko/k1/#"])
    try:
        assert eventually(lambda: handle.drain.stats.listening)
        kiosk.checkout.scan("8991000000010")
        kiosk.checkout.pay_cash(5000)
        kiosk.checkout.complete()
        price = command_doc("prices", {"prices": [{"sku": "TEH", "price": 6000}]})
        fleet.client.publish("pos/v1/toko/all/cmd/prices", json.dumps(price), qos=1)
        assert eventually(lambda: changes == ["prices"])
        kiosk.reload_catalog()  # what the app does on its main thread after on_change
        kiosk.checkout.scan("8991000000010")
        assert kiosk.checkout.priced().total == 6000

        today = kiosk.ledger.get_sale_by_receipt(1).business_date  # type: ignore[union-attr]
        for body in (
            {"kind": "z", "business_date": today},
            {"kind": "stock"},
            {"kind": "x", "business_date": "2001-01-01"},
        ):
            fleet.client.publish(
                "pos/v1/toko/k1/cmd/report", json.dumps(command_doc("report", body)), qos=1
            )
        topic = "pos/v1/toko/k1/cmd/report/result"
        assert fleet.wait_for(lambda: len(fleet.payloads(topic)) == 3)
        z, stock, stale_x = (json.loads(p) for p in fleet.payloads(topic))
        assert (
            z["ok"]
            and z["detail"]["report"]["transactions"] == 1
            and z["detail"]["report"]["net"] == 5000
        )
        assert stock["ok"] and stock["detail"]["skus"] == 1
        assert not stale_x["ok"] and "today" in stale_x["errors"][0]
        assert fleet.wait_for(
            lambda: any(
                json.loads(p)["kind"] == "snapshot" for p in fleet.payloads("pos/v1/toko/k1/stock")
            )
        )
        assert fleet.wait_for(lambda: len(fleet.payloads("pos/v1/toko/k1/sale")) == 1)
    finally:
        fleet.close()
