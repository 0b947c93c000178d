"""The dashboard on both engines: the kiosk list (page, API, live events), a store's day
report page and API, both languages, the OpenAPI spec."""

from __future__ import annotations

import importlib.util
import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.storage import repository
from fleet.storage.engine import open_engine
from fleet.web import create_app
from fleet.web.i18n import LANGS, TEXTS, pick_lang
from kiosk.testing.broker_process import eventually
from tests.fleet.accounts import sign_in, signed_in
from tests.fleet.test_fleet_reports import publish_to_fleet, ring_up

AT = "2026-11-27T06:00:00.000000Z"


def health(store: str, device: str, depth: int, age: int | None) -> dict[str, object]:
    return {"store_id": store, "device_id": device, "at": AT, "version": "1.4.0",
            "outbox": {"depth": depth, "oldest_age_s": age}}  # fmt: skip


@pytest.fixture
def client(fleet_engine: sa.Engine, tmp_path: Path) -> Iterator[TestClient]:
    publish_to_fleet(fleet_engine, ring_up(tmp_path, "k1", 4, seed=3), "k1")  # store-1
    with fleet_engine.begin() as conn:
        repository.store_status(conn, {"store_id": "store-1", "device_id": "k1",
                                       "state": "online", "at": AT}, received_at=AT)  # fmt: skip
        repository.store_health(conn, health("store-1", "k1", 3, 125), received_at=AT)
        repository.store_status(conn, {"store_id": "store-2", "device_id": "k9",
                                       "state": "offline", "at": AT}, received_at=AT)  # fmt: skip
        repository.store_alert(conn, {"alert_id": "a1", "store_id": "store-2", "device_id": "k9",
                                      "kind": "paper_out", "severity": "warning",
                                      "message": "paper out", "at": AT})  # fmt: skip
    with TestClient(create_app(fleet_engine, event_poll_s=0.05)) as test_client:
        signed_in(fleet_engine, test_client)
        yield test_client


def test_the_kiosk_list_shows_every_kiosk_of_every_store(client: TestClient) -> None:
    rows = client.get("/api/kiosks").json()
    assert [(r["store_id"], r["device_id"], r["online"]) for r in rows] == [
        ("store-1", "k1", True), ("store-2", "k9", False)]  # fmt: skip
    assert (rows[0]["outbox_depth"], rows[0]["outbox_oldest_age_s"], rows[0]["version"]) == (
        3, 125, "1.4.0")  # fmt: skip
    assert (rows[0]["open_alerts"], rows[1]["open_alerts"]) == (0, 1)
    assert rows[0]["journal_broken"] is False  # the kiosk's real chain, every link seen
    assert [r["device_id"] for r in client.get("/api/kiosks?store=store-2").json()] == ["k9"]
    page = client.get("/?lang=en")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Kiosk fleet" in page.text and "Offline" in page.text
    # Times in the store's zone (WIB) and ages in words, never raw UTC or seconds.
    assert "13:00 WIB" in page.text and "2 min 5 s" in page.text and "125 s" not in page.text
    assert AT not in page.text
    indonesian = client.get("/?lang=id").text
    assert "13.00 WIB" in indonesian and "2 mnt 5 dtk" in indonesian
    assert "Armada kios" in client.get("/", headers={"Accept-Language": "id-ID,id;q=0.9"}).text


def test_a_stores_day_report_page_and_api_agree(client: TestClient) -> None:
    report = client.get("/api/stores/store-1/day/2026-11-27").json()
    assert report["transactions"] == 4 and report["net"] == report["gross"] - report["discounts"]
    page = client.get("/stores/store-1/report?date=2026-11-27&lang=id")
    assert page.status_code == 200
    gross = f"Rp{report['gross']:,}".replace(",", ".")
    assert gross in page.text and "Penjualan kotor" in page.text
    assert "Rp0 (0 refund)" in page.text
    voids = report["voids"]
    assert voids["count"] == 2  # ring_up voids a line before every third sale
    english = client.get("/stores/store-1/report?date=2026-11-27&lang=en").text
    assert f"Rp{voids['amount']:,} (2 lines voided)" in english
    assert "Not closed yet: no Z." in english and "No shift closed yet." in english
    bad = client.get("/stores/store-1/report?date=27-11-2026&lang=en")
    assert bad.status_code == 200 and "Not a valid date" in bad.text
    assert client.get("/api/stores/store-1/day/yesterday").status_code == 422


def test_events_stream_the_kiosk_list(client: TestClient) -> None:
    with client.stream("GET", "/events?limit=1") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    data = [line[6:] for line in text.splitlines() if line.startswith("data: ")]
    assert "event: kiosks" in text and len(data) == 1
    assert [r["device_id"] for r in json.loads(data[0])] == ["k1", "k9"]
    assert "shown" not in json.loads(data[0])[0]  # plain rows unless a language is asked for
    with client.stream("GET", "/events?limit=1&lang=id") as response:
        text = "".join(response.iter_text())
    rows = json.loads(next(line[6:] for line in text.splitlines() if line.startswith("data: ")))
    assert rows[0]["shown"]["outbox_oldest_age"] == "2 mnt 5 dtk"
    assert rows[0]["shown"]["last_seen"].endswith("13.00 WIB")
    assert rows[1]["shown"]["oldest_alert_age"]  # k9's paper-out alert, aged in words


def test_the_openapi_spec_describes_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/kiosks", "/api/stores/{store}/day/{business_date}", "/events"} <= set(paths)


def test_the_catalog_is_complete_and_the_language_is_chosen() -> None:
    assert all(set(words) == set(LANGS) and all(words.values()) for words in TEXTS.values())
    assert pick_lang("en", "id") == "en" and pick_lang(None, "en-US,en;q=0.8") == "en"
    assert pick_lang("xx", "fr-FR") == "id"


def test_the_demo_data_of_make_run_fleet(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("fleet_demo", "scripts/fleet_demo.py")
    assert spec is not None and spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    db = tmp_path / "demo.sqlite"
    assert demo.main(str(db), "2026-11-27") == 0
    assert demo.main(str(db), "2026-11-27") == 0  # a second start keeps what is there
    engine = open_engine(f"sqlite:///{db}")
    with TestClient(create_app(engine)) as client:
        sign_in(client, "demo", "demo-pos")  # the owner account the demo creates
        rows = client.get("/api/kiosks").json()
        assert len(rows) == 6 and not any(r["journal_broken"] for r in rows)
        assert [r["online"] for r in rows].count(False) == 1
        week = client.get("/api/stores/toko-depok/analytics?start=2026-11-21&end=2026-11-27")
        assert all(day["transactions"] >= 8 for day in week.json()["daily"])
    engine.dispose()


def test_fleet_run_serves_the_dashboard_and_stops_on_sigterm(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = f"sqlite:///{tmp_path / 'fleet.sqlite'}"
    command = [sys.executable, "-m", "fleet.cli", "run", "--db", db, "--http", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:

        def answers() -> bool:
            try:
                return (
                    httpx.get(f"http://127.0.0.1:{port}/api/kiosks", timeout=2).status_code == 401
                )
            except httpx.TransportError:
                return False

        assert eventually(answers, timeout=30)
        first = httpx.get(f"http://127.0.0.1:{port}/", timeout=5, follow_redirects=True)
        assert "Armada kios" in first.text and 'name="password"' in first.text  # the login page
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(20)
        assert server.stderr is not None
        err = server.stderr.read().decode()
        server.stderr.close()
    assert code == 0, err
    assert f"dashboard: http://127.0.0.1:{port}/" in err
    assert "no accounts yet; create the owner: fleet user add NAME --stores all" in err
