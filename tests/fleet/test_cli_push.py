"""``fleet push`` end to end: a catalog imported into the fleet, pushed through a throwaway
mosquitto to a real ``kiosk agent``, which applies it; its answer comes back through
ingest. Then prices, promotions and a lane lock and unlock of one kiosk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

import fleet.cli.push
from fleet.cli import main
from fleet.ingest import IngestWorker
from fleet.services import catalog
from fleet.storage import schema
from fleet.storage.engine import open_engine
from kiosk import bootstrap
from kiosk.domain.catalog import Product
from kiosk.storage import catalog_store
from kiosk.telemetry.link import read_state
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, eventually
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

pytestmark = pytest.mark.broker
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)

PROMO = {"promo_id": "TEH3", "kind": "multibuy", "name": "3 teh", "skus": ["TEH"], "qty": 3,
         "price": 13500}  # fmt: skip


def push(capsys: pytest.CaptureFixture[str], url: str, port: int, *args: str) -> str:
    capsys.readouterr()  # what came before
    code = main(["push", "--db", url, "--broker", f"127.0.0.1:{port}", "--store", "toko", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out.strip()


def online(engine: sa.Engine) -> list[str]:
    d = schema.devices
    with engine.connect() as conn:
        return list(conn.execute(sa.select(d.c.device_id).where(d.c.state == "online")).scalars())


def result_of(engine: sa.Engine, command_id: str) -> dict[str, object] | None:
    r = schema.command_results
    with engine.connect() as conn:
        row = conn.execute(sa.select(r).where(r.c.command_id == command_id)).first()
    return None if row is None else {"device_id": row.device_id, "ok": bool(row.ok),
                                     "body": json.loads(row.body)}  # fmt: skip


def test_pushed_catalog_prices_promotions_and_a_lock_reach_a_real_kiosk(
    broker: MosquittoProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)  # store "toko", kiosk "k1", product TEH at Rp5.000
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    catalog_file = tmp_path / "katalog.json"
    products = [
        {"sku": "TEH", "barcode": "8991000000010", "name": "Teh Botol", "price": 5500,
         "category": "Minuman"},
        {"sku": "KOPI", "barcode": ["8991000000027"], "name": "Kopi", "price": 12500,
         "category": "Minuman", "tax_rate_percent": "11"},
    ]  # fmt: skip
    catalog_file.write_text(json.dumps({"products": products, "promotions": [PROMO]}))
    assert main(["catalog", "import", "--db", url, "--store", "toko", str(catalog_file)]) == 0
    engine = open_engine(url)
    worker = IngestWorker(url, broker.host, broker.port, reconnect_max_s=1).start()
    agent = start_agent(data, tmp_path / "agent.log")
    log = tmp_path / "agent.log"
    try:
        assert worker.subscribed.wait(10)
        assert eventually(lambda: online(engine), timeout=20), log.read_text()
        catalog_id = push(capsys, url, broker.port, "catalog")
        assert len(catalog_id) == 32
        assert eventually(lambda: result_of(engine, catalog_id), timeout=20), log.read_text()
        assert result_of(engine, catalog_id)["ok"] is True  # type: ignore[index]

        # A price changed in the fleet (a re-import), then pushed as prices alone.
        products[1]["price"] = 13000
        catalog_file.write_text(json.dumps({"products": products}))
        assert main(["catalog", "import", "--db", url, "--store", "toko", str(catalog_file)]) == 0
        prices_id = push(capsys, url, broker.port, "prices")
        promos_id = push(capsys, url, broker.port, "promotions")
        for command_id in (prices_id, promos_id):
            assert eventually(lambda c=command_id: result_of(engine, c), timeout=20)
            assert result_of(engine, command_id)["ok"] is True  # type: ignore[index]

        def locked() -> bool:
            return bool(read_state(data).get("lane_locked"))

        lock_id = push(capsys, url, broker.port, "--device", "k1", "--message", "Tutup", "lock")
        assert eventually(locked, timeout=20), log.read_text()
        with engine.connect() as conn:
            recorded = conn.execute(
                sa.select(schema.commands).where(schema.commands.c.command_id == lock_id)
            ).one()
        assert (recorded.device_id, recorded.name) == ("k1", "lock")
        assert recorded.issued_by.startswith("cli:")
        push(capsys, url, broker.port, "--device", "k1", "unlock")
        assert eventually(lambda: not locked(), timeout=20)
    finally:
        assert stop(agent) == 0
        worker.stop()
        engine.dispose()
    kiosk = bootstrap.build(data, with_devices=False)
    try:
        teh = catalog_store.get_product(kiosk.ledger.conn, "TEH")
        kopi = catalog_store.get_product(kiosk.ledger.conn, "KOPI")
        promotions = catalog_store.list_promotions(kiosk.ledger.conn)
    finally:
        kiosk.close()
    assert teh is not None and teh.price == 5500
    assert kopi is not None and kopi.price == 13000 and kopi.barcodes == ("8991000000027",)
    assert kopi.tax_rate_percent == "11"
    assert list(promotions) == ["TEH3"]


def test_nothing_to_push_or_no_broker_is_a_message_and_nothing_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fleet.cli.push, "CONNECT_TIMEOUT_S", 1)
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    args = ["push", "--db", url, "--broker", "127.0.0.1:1", "--store", "toko"]
    assert main([*args, "catalog"]) == 2
    assert "fleet catalog import first" in capsys.readouterr().err
    assert main([*args, "lock"]) == 2  # nothing listens on port 1
    assert "cannot reach the broker at 127.0.0.1:1" in capsys.readouterr().err
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(schema.commands))
            assert count.scalar() == 0
    finally:
        engine.dispose()


def test_every_store_gets_its_own_catalog_as_its_own_command(
    broker: MosquittoProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        catalog.store_file(conn, "toko-a", [Product("TEH", "Teh", 5000)], [])
        catalog.store_file(conn, "toko-b", [Product("KOPI", "Kopi", 9000)], [])
        catalog.store_file(conn, "toko-c", [], [PROMO])  # promotions only: no prices to send
    recorder = TopicRecorder(broker.host, broker.port, ["pos/v1/+/all/cmd/#"])
    try:
        capsys.readouterr()
        assert main(["push", "--db", url, "--broker", f"127.0.0.1:{broker.port}", "--store",
                     "all", "prices"]) == 0  # fmt: skip
        out = capsys.readouterr()
        sent = dict(line.split("\t") for line in out.out.splitlines())
        assert sorted(sent) == ["toko-a", "toko-b"]
        assert "toko-c passed over: the fleet holds no products on sale" in out.err

        def body(store: str) -> object:
            payloads = recorder.payloads(f"pos/v1/{store}/all/cmd/prices")
            return json.loads(payloads[0]) if payloads else None

        assert recorder.wait_for(lambda: bool(body("toko-a")) and bool(body("toko-b")))
        assert body("toko-a")["body"] == {"prices": [{"sku": "TEH", "price": 5000}]}  # type: ignore[index]
        assert body("toko-b")["command_id"] == sent["toko-b"]  # type: ignore[index]
        assert main(["push", "--db", url, "--broker", f"127.0.0.1:{broker.port}", "--store",
                     "all", "--device", "k1", "lock"]) == 2  # fmt: skip
    finally:
        recorder.close()
        engine.dispose()
