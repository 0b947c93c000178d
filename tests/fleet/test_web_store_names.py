"""A store page names its store as the owner knows it: the name in its shop settings
("Warung Bu Sri & Anak"), not its id ("toko-01"), in the browser's tab (``<title>``) and
the page's heading, in both languages; a store without a name shows its id."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.shop import settings
from fleet.storage import repository
from fleet.web import create_app
from fleet.web.analytics_routes import VIEW_NAMES
from fleet.web.i18n import LANGS
from tests.fleet.accounts import signed_in
from tests.fleet.analytics_sales import ring_up_plan

NAMED, UNNAMED, NAME = "toko-01", "toko-02", "Warung Bu Sri & Anak"
PAGES = ("report", "report?period=week", "analytics", "orders", "products", "commands",
         *(f"analytics/{view}" for view in VIEW_NAMES))  # fmt: skip


def title_and_heading(page: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL)
    assert title is not None and heading is not None, page[:500]
    return title[1], heading[1]


@pytest.fixture
def client(fleet_engine: sa.Engine) -> TestClient:
    with fleet_engine.begin() as conn:
        settings.save(conn, NAMED, {"name": NAME})
        settings.save(conn, UNNAMED, {"timezone": "Asia/Makassar"})  # settings, no name
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "bos")
    return client


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_a_store_page_names_its_store(client: TestClient, path: str, lang: str) -> None:
    joiner = "&" if "?" in path else "?"
    answer = client.get(f"/stores/{NAMED}/{path}{joiner}lang={lang}")
    assert answer.status_code == 200, answer.text[:500]
    for shown in title_and_heading(answer.text):
        assert "Warung Bu Sri &amp; Anak" in shown and NAMED not in shown, (path, shown)
    title, heading = title_and_heading(
        client.get(f"/stores/{UNNAMED}/{path}{joiner}lang={lang}").text
    )
    assert UNNAMED in title and UNNAMED in heading


def test_a_store_never_named_shows_its_id(client: TestClient) -> None:
    """No shop settings at all: the id, as before."""
    title, heading = title_and_heading(client.get("/stores/toko-03/report?lang=id").text)
    assert title.endswith("toko-03") and heading.endswith("toko-03")


def test_the_kiosk_list_and_the_latest_sales_name_each_store(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    """The dashboard too: its kiosk list, its sales ticker and the kiosk API carry the
    name (the link still goes to the store's id)."""
    ring_up_plan(fleet_engine, tmp_path, "k1", [{"day": date(2026, 11, 20), "hour": 9}], 1)
    with fleet_engine.begin() as conn:
        settings.save(conn, "store-1", {"name": NAME})
        repository.store_status(conn, {"store_id": "store-1", "device_id": "k1",
                                       "state": "online"}, received_at="2026-11-20T02:00:00Z")  # fmt: skip
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "bos")
    page = client.get("/?lang=id").text
    assert '/stores/store-1/report?lang=id">Warung Bu Sri &amp; Anak</a>' in page
    ticker = page.split('id="ticker"', 1)[1]
    assert ">Warung Bu Sri &amp; Anak</td>" in ticker and ">store-1</td>" not in ticker
    [kiosk] = client.get("/api/kiosks").json()
    assert kiosk["store_id"] == "store-1" and kiosk["store_name"] == NAME
