"""Fleet-driven updates end to end: the fleet serves a signed release, an owner asks the
store's kiosks to update, a real kiosk agent (through a throwaway mosquitto) downloads it
from the fleet over HTTP, verifies it against its provisioned key and applies it in its
update window; what cannot be trusted is refused before anything is sent."""

from __future__ import annotations

import shlex
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fleet.ingest import IngestWorker
from fleet.services.commands import MqttPublisher
from fleet.services.release_shelf import ReleaseShelf
from fleet.storage.engine import open_engine
from fleet.web import create_app
from kiosk import bootstrap
from kiosk.appliance import fleet_update
from kiosk.testing.broker_process import MosquittoProcess, eventually
from tests.appliance.release_server import signed_release, trusting
from tests.fleet.accounts import signed_in
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

pytestmark = pytest.mark.broker
broker = agent_tests.broker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: FastAPI, port: int) -> Iterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert eventually(lambda: server.started, timeout=15)
        yield
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_store_is_updated_from_the_fleets_shelf(broker: MosquittoProcess, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    shelf_dir = tmp_path / "shelf"
    wheel = signed_release(shelf_dir, key, "9.1.0")
    (shelf_dir / "pi_pos-9.2.0-py3-none-any.whl").write_bytes(b"unsigned")  # never offered
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)  # store "toko", kiosk "k1"
    trusting(data, key)
    applied = tmp_path / "applied.whl"
    script = f"import shutil, sys; shutil.copy(sys.argv[1], {str(applied)!r})"
    settings = bootstrap.open_settings(data)
    settings.set_many({
        "update.window": "00:00-24:00",
        "update.apply_command": f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {{path}}",
    })  # fmt: skip
    settings.close()

    url = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    engine = open_engine(url)
    port = free_port()
    shelf = ReleaseShelf(shelf_dir, f"http://127.0.0.1:{port}")
    publisher = MqttPublisher(broker.host, broker.port)
    worker = IngestWorker(url, broker.host, broker.port, reconnect_max_s=1).start()
    app = create_app(engine, publish=publisher, releases=shelf)
    client = TestClient(app)
    csrf = signed_in(engine, client, "manager", role="manager", stores=["toko"])
    agent = start_agent(data, tmp_path / "agent.log")
    try:
        with served(app, port):
            assert worker.subscribed.wait(10)
            listed = client.get("/api/releases").json()
            assert [r["name"] for r in listed] == [wheel.name]  # the unsigned one is not
            headers = {"X-CSRF-Token": csrf}
            refused = client.post("/api/stores/toko/update", headers=headers,
                                  json={"release": "pi_pos-9.2.0-py3-none-any.whl"})  # fmt: skip
            assert refused.status_code == 422 and "not signed" in refused.json()["detail"]
            assert eventually(lambda: client.get("/api/kiosks").json() != [], timeout=15)
            sent = client.post("/api/stores/toko/update", headers=headers,
                               json={"release": wheel.name})  # fmt: skip
            assert sent.status_code == 202, sent.text
            assert sent.json()["body"]["url"] == f"http://127.0.0.1:{port}/releases/{wheel.name}"

            def result() -> list[dict[str, object]]:
                listed = client.get("/api/stores/toko/commands").json()
                return listed[0]["results"] if listed else []

            log = tmp_path / "agent.log"
            assert eventually(result, timeout=20), log.read_text()
            assert result()[0]["ok"] is True, result()
            assert eventually(applied.exists, timeout=20), log.read_text()
        assert applied.read_bytes() == wheel.read_bytes()
        pending = fleet_update.read_pending(data)
        assert pending is not None and pending.state == "applying"
        # The wheel is public (the kiosk trusts only its own key); the list is not.
        anonymous = TestClient(app)
        assert anonymous.get(f"/releases/{wheel.name}").content == wheel.read_bytes()
        assert anonymous.get("/releases/pi_pos-9.2.0-py3-none-any.whl").status_code == 404
        assert anonymous.get("/releases/..%2Fsecret").status_code == 404
        assert anonymous.get("/api/releases").status_code == 401
    finally:
        assert stop(agent) == 0
        publisher.close()
        worker.stop()
        engine.dispose()


def test_a_viewer_cannot_update_and_a_kiosk_without_a_key_refuses(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    wheel = signed_release(tmp_path / "shelf", key)
    engine = open_engine(f"sqlite:///{tmp_path / 'fleet.sqlite'}")
    sent: list[tuple[str, bytes]] = []
    app = create_app(engine, publish=lambda topic, payload: sent.append((topic, payload)),
                     releases=ReleaseShelf(tmp_path / "shelf", "http://fleet"))  # fmt: skip
    viewer = TestClient(app)
    csrf = signed_in(engine, viewer, "vera", role="viewer", stores=["toko"])
    answer = viewer.post("/api/stores/toko/update", headers={"X-CSRF-Token": csrf},
                         json={"release": wheel.name})  # fmt: skip
    assert answer.status_code == 403 and sent == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM commands")).scalar() == 0
    engine.dispose()

    # A kiosk that was never given a release key trusts no release: the command is refused.
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)
    kiosk = bootstrap.build(data, with_devices=False)
    try:
        from kiosk.telemetry.command_types import CommandContext, CommandRejectedError
        from kiosk.telemetry.update_handler import update_handler

        handler = update_handler(data, "01:00-05:00", lambda: False)
        body = ReleaseShelf(tmp_path / "shelf", "http://fleet").update_body(wheel.name)
        with pytest.raises(CommandRejectedError, match="no release key"):
            handler.apply(kiosk.ledger.conn, body, CommandContext("update", "c1", "toko", "k1"))
    finally:
        kiosk.close()
    assert fleet_update.read_pending(data) is None
