"""The commands page sends the store's catalog, all its prices or its promotions as the
fleet holds them (``fleet catalog import``), through a throwaway mosquitto: what goes out
is the stored catalog, a store without one gets a clear message, a viewer cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fleet.services import catalog
from fleet.services.commands import MqttPublisher
from fleet.storage.engine import open_engine
from fleet.web import create_app
from kiosk.domain.catalog import Product
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder
from tests.fleet.accounts import add_account, sign_in, signed_in
from tests.integration import test_agent as agent_tests

pytestmark = pytest.mark.broker
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)
PROMO = {"promo_id": "TEH3", "kind": "multibuy", "name": "3 teh", "skus": ["TEH"], "qty": 3,
         "price": 13500}  # fmt: skip


def test_the_stored_catalog_prices_and_promotions_go_out_from_the_page(
    broker: MosquittoProcess, fleet_url: str, tmp_path: Path
) -> None:
    engine = open_engine(fleet_url)
    with engine.begin() as conn:
        products = [Product("TEH", "Teh", 5000, ("8991000000010",), category="Minuman"),
                    Product("KOPI", "Kopi", 12500, active=False)]  # fmt: skip
        catalog.store_file(conn, "toko", products, [PROMO])
    recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/+/+/cmd/#"])
    publisher = MqttPublisher(broker.host, broker.port)
    client = TestClient(create_app(engine, publish=publisher))
    try:
        csrf = signed_in(engine, client, "manager", role="manager", stores=["toko", "kosong"])
        form = {"lang": "en", "device": "all", "csrf": csrf}
        for name in ("catalog", "prices_all", "promotions"):
            sent = client.post("/stores/toko/commands", data={**form, "name": name},
                               follow_redirects=False)  # fmt: skip
            assert sent.status_code == 303 and "error" not in sent.headers["location"], name

        def doc(name: str) -> dict[str, object]:
            payloads = recorder.payloads(f"pos/v1/toko/all/cmd/{name}")
            return json.loads(payloads[0]) if payloads else {}

        assert recorder.wait_for(lambda: all(doc(n) for n in ("catalog", "prices", "promotions")))
        body = doc("catalog")["body"]
        assert body["mode"] == "snapshot"  # type: ignore[index]
        assert [(p["sku"], p["active"]) for p in body["products"]] == [  # type: ignore[index]
            ("KOPI", False), ("TEH", True)]  # fmt: skip
        assert doc("prices")["body"] == {"prices": [{"sku": "TEH", "price": 5000}]}
        assert doc("promotions")["body"] == {"mode": "snapshot", "promotions": [PROMO]}
        page = client.get("/stores/toko/commands?lang=en").text
        assert "Send the catalog" in page and "2 SKU" in page

        empty = client.post("/stores/kosong/commands", data={**form, "name": "catalog"},
                            follow_redirects=False)  # fmt: skip
        assert empty.headers["location"].endswith("error=no_catalog")
        assert "There is no catalog of this store here yet" in client.get(
            empty.headers["location"]).text  # fmt: skip
        indonesian = client.get("/stores/kosong/commands?lang=id&error=no_catalog").text
        assert "Belum ada katalog toko ini" in indonesian

        add_account(engine, "viewer", role="viewer", stores=["toko"])
        viewer = TestClient(create_app(engine, publish=publisher))
        token = sign_in(viewer, "viewer")
        refused = viewer.post("/stores/toko/commands", follow_redirects=False,
                              data={**form, "csrf": token, "name": "catalog"})  # fmt: skip
        assert refused.status_code == 403
        assert not recorder.payloads("pos/v1/kosong/all/cmd/catalog")
        assert len(recorder.payloads("pos/v1/toko/all/cmd/catalog")) == 1
    finally:
        publisher.close()
        recorder.close()
        engine.dispose()
