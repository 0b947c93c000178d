"""Push a price change from the dashboard to a real kiosk agent through a throwaway
mosquitto, and see the kiosk's answer (stored by ingest) on the page and in the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.ingest import IngestWorker
from fleet.services.commands import MqttPublisher
from fleet.storage import schema
from fleet.storage.engine import open_engine
from fleet.web import create_app
from kiosk import bootstrap
from kiosk.storage import catalog_store
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, eventually
from tests.fleet.accounts import signed_in
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

pytestmark = pytest.mark.broker
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)


def test_a_price_change_reaches_the_kiosk_and_its_result_shows(
    broker: MosquittoProcess, tmp_path: Path, fleet_url: str
) -> None:
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)  # store "toko", kiosk "k1", product TEH at Rp5.000
    engine = open_engine(fleet_url)
    worker = IngestWorker(fleet_url, broker.host, broker.port, reconnect_max_s=1).start()
    recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/toko/all/cmd/#"])
    publisher = MqttPublisher(broker.host, broker.port)
    agent = start_agent(data, tmp_path / "agent.log")
    client = TestClient(create_app(engine, publish=publisher))
    csrf = signed_in(engine, client, "manager", role="manager", stores=["toko"])
    try:
        assert worker.subscribed.wait(10)
        assert eventually(lambda: client.get("/api/kiosks").json() != [], timeout=15)
        # A bad body is refused before anything is recorded or sent.
        bad = client.post("/api/stores/toko/commands", json={"name": "prices", "body": {}},
                          headers={"X-CSRF-Token": csrf})  # fmt: skip
        assert bad.status_code == 422 and "prices" in bad.json()["detail"]
        form = {"lang": "en", "name": "prices", "device": "all", "sku": "TEH", "price": "6500",
                "csrf": csrf}  # fmt: skip
        sent = client.post("/stores/toko/commands", data=form, follow_redirects=False)
        assert sent.status_code == 303 and "error" not in sent.headers["location"]
        assert recorder.wait_for(lambda: bool(recorder.payloads("pos/v1/toko/all/cmd/prices")))
        doc = json.loads(recorder.payloads("pos/v1/toko/all/cmd/prices")[0])
        assert doc["body"] == {"prices": [{"sku": "TEH", "price": 6500}]}

        def answered() -> list[dict[str, object]]:
            listed = client.get("/api/stores/toko/commands").json()
            return listed[0]["results"] if listed else []

        assert eventually(answered, timeout=15), (tmp_path / "agent.log").read_text()
        assert answered()[0]["device_id"] == "k1" and answered()[0]["ok"] is True
        page = client.get("/stores/toko/commands?lang=en").text
        assert "k1: Done" in page and "Rp6,500" in page
        with engine.connect() as conn:
            assert (
                conn.execute(sa.select(sa.func.count()).select_from(schema.commands)).scalar() == 1
            )
        wrong = client.post("/stores/toko/commands", data={**form, "price": "6.500"},
                            follow_redirects=False)  # fmt: skip
        assert wrong.headers["location"].endswith("error=bad_price")
        assert "digits only" in client.get(wrong.headers["location"]).text
    finally:
        assert stop(agent) == 0
        publisher.close()
        recorder.close()
        worker.stop()
        engine.dispose()
    kiosk = bootstrap.build(data, with_devices=False)
    try:
        product = catalog_store.get_product(kiosk.ledger.conn, "TEH")
    finally:
        kiosk.close()
    assert product is not None and product.price == 6500


def test_without_a_broker_the_page_says_so(fleet_engine: sa.Engine) -> None:
    client = TestClient(create_app(fleet_engine))
    csrf = signed_in(fleet_engine, client)
    assert "Not connected to the kiosks' message server" in client.get(
        "/stores/toko/commands?lang=en"
    ).text.replace("&#39;", "'")
    indonesian = client.get("/stores/toko/commands?lang=id").text
    assert "Tidak terhubung ke server pesan kios" in indonesian and "broker" not in indonesian
    refused = client.post("/api/stores/toko/commands", json={"name": "lock"},
                          headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert refused.status_code == 503
