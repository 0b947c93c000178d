"""A refund stuck "being refunded" (the fleet stopped between claiming it and keeping
the acquirer's answer) on both engines: the refund loop leaves it alone, and an owner or
manager has the acquirer asked from the orders page. Refunded: kept as done, never paid
again. Not refunded: released, and the loop pays it once. No answer: it stays. A viewer
is refused; every check is in the order's history with who asked."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.services.users import Access
from fleet.shop import payments
from fleet.shop.payments import SimulatedAcquirer
from fleet.shop.refund_checks import check_refund
from fleet.storage.shop_schema import orders
from fleet.web import create_app
from tests.fleet.accounts import add_account, sign_in
from tests.fleet.test_shop_connector_steps import auth, kiosk_says, open_store, place
from tests.fleet.test_web_shop import Broker


class MuteAcquirer(SimulatedAcquirer):
    """Cannot say whether a refund was made (its status call fails)."""

    def refund_state(self, reference: str) -> payments.RefundState:
        raise ConnectionError("acquirer unreachable")


Shop = tuple[TestClient, SimulatedAcquirer, str]


@pytest.fixture(params=[SimulatedAcquirer, MuteAcquirer])
def shop(request: pytest.FixtureRequest, fleet_engine: sa.Engine) -> Iterator[Shop]:
    broker, acquirer = Broker(), request.param()
    key = open_store(fleet_engine, broker)
    add_account(fleet_engine, "bos", role="manager", stores=["toko"])
    add_account(fleet_engine, "lihat", role="viewer", stores=["toko"])
    with TestClient(create_app(fleet_engine, publish=broker, acquirer=acquirer)) as client:
        yield client, acquirer, key


def stuck_refund(engine: sa.Engine, acquirer: SimulatedAcquirer, client: TestClient,
                 key: str, order_id: str, *, made: bool) -> str:  # fmt: skip
    """A cancelled prepaid order whose refund was claimed; ``made``: the acquirer's call
    went through before the fleet stopped."""
    oid = str(place(client, key, order_id)["order_id"])
    kiosk_says(engine, oid, "received", "2026-11-30T03:00:00Z")
    kiosk_says(engine, oid, "cancelled", "2026-11-30T03:01:00Z", reason="customer")
    with engine.connect() as conn:
        row = conn.execute(sa.select(orders).where(orders.c.order_id == oid)).one()
    source = {"provider": "gofood", "reference": f"GOPAY-{order_id}"}
    assert payments._claim(engine, row, json.loads(row.body), source, "2026-11-30T03:02:00Z")
    if made:
        acquirer.refund(f"GOPAY-{order_id}", 25000)
    assert payments.refund_cancelled(engine, acquirer, "later") == []  # never called again
    return oid


def row_of(page: str, oid: str) -> str:
    return dict(re.findall(r'data-order="(\w+)">(.*?)</tr>', page, re.S))[oid]


def check(client: TestClient, csrf: str, oid: str, lang: str = "en") -> str:
    answer = client.post(f"/stores/toko/orders/{oid}/refund-check", follow_redirects=False,
                         data={"csrf": csrf, "lang": lang})  # fmt: skip
    assert answer.status_code == 303
    return str(answer.headers["location"])


def history(engine: sa.Engine, oid: str) -> list[dict[str, object]]:
    with engine.connect() as conn:
        body = conn.execute(sa.select(orders.c.body).where(orders.c.order_id == oid))
        return list(json.loads(body.scalar_one())["history"])


def test_the_acquirer_is_asked_and_its_answer_kept(shop: Shop, fleet_engine: sa.Engine) -> None:
    client, acquirer, key = shop
    made = stuck_refund(fleet_engine, acquirer, client, key, "GF-40", made=True)
    lost = stuck_refund(fleet_engine, acquirer, client, key, "GF-41", made=False)
    csrf = sign_in(client, "lihat")
    page = client.get("/stores/toko/orders?lang=en").text
    assert "Refund outcome not known Rp25,000" in row_of(page, made)
    assert "/refund-check" not in page  # a viewer gets no button
    assert check(client, csrf, made).endswith("error=not_allowed")
    client.post("/logout", data={"csrf": csrf})
    csrf = sign_in(client, "bos")
    assert "Ask the acquirer" in row_of(client.get("/stores/toko/orders?lang=en").text, made)
    if isinstance(acquirer, MuteAcquirer):
        where = check(client, csrf, made, "id")
        assert where.endswith("checked=still_unknown")
        assert "Penyedia pembayaran belum bisa menjawab" in client.get(where).text
        assert "Refund belum pasti" in row_of(client.get(where).text, made)
        assert payments.refund_cancelled(fleet_engine, acquirer, "again") == []
        assert history(fleet_engine, made)[-1] == {
            "status": "refund_check", "at": history(fleet_engine, made)[-1]["at"],
            "by": "bos", "acquirer_says": "unknown", "outcome": "still_unknown"}  # fmt: skip
        return
    where = check(client, csrf, made)
    assert where.endswith("checked=refunded")
    assert "The acquirer says it was refunded. Recorded." in client.get(where).text
    assert check(client, csrf, made).endswith("error=refund_not_stuck")  # settled: once
    where = check(client, csrf, lost, "id")
    assert where.endswith("checked=released")
    assert "Penyedia pembayaran: dana belum dikembalikan" in client.get(where).text
    assert payments.refund_cancelled(fleet_engine, acquirer, "next") == [lost]
    assert payments.refund_cancelled(fleet_engine, acquirer, "again") == []
    assert acquirer.refunded == {"GOPAY-GF-40": 25000, "GOPAY-GF-41": 25000}  # each once
    for order_id in ("GF-40", "GF-41"):
        answer = client.get(f"/api/v1/stores/toko/orders/{order_id}", headers=auth(key)).json()
        assert (answer["status"], answer["refunded"]) == ("cancelled", 25000)
    checks = [h for h in history(fleet_engine, made) if h["status"] == "refund_check"]
    assert [(h["by"], h["outcome"]) for h in checks] == [("bos", "refunded")]
    assert [h.get("checked_by") for h in history(fleet_engine, made)
            if h["status"] == "refunded"] == ["bos"]  # fmt: skip
    assert [h["outcome"] for h in history(fleet_engine, lost)
            if h["status"] == "refund_check"] == ["released"]  # fmt: skip
    page = client.get("/stores/toko/orders?lang=en").text
    assert "Refunded Rp25,000" in row_of(page, made) and "Refunded Rp25,000" in row_of(page, lost)


def test_a_refund_not_listed_yet_is_not_released_before_ten_minutes(
    fleet_engine: sa.Engine,
) -> None:
    """The acquirer may not list a refund it is still making: "not refunded" within ten
    minutes of the call keeps it stuck (no second payment), after that it is released."""
    broker, acquirer = Broker(), SimulatedAcquirer()
    key = open_store(fleet_engine, broker)
    add_account(fleet_engine, "bos", role="manager", stores=["toko"])
    with TestClient(create_app(fleet_engine, publish=broker, acquirer=acquirer)) as client:
        lost = stuck_refund(fleet_engine, acquirer, client, key, "GF-42", made=False)
    bos = Access("bos", "manager", frozenset({"toko"}))
    soon = check_refund(fleet_engine, acquirer, "toko", lost, by=bos, now="2026-11-30T03:11:59Z")
    assert soon == "too_soon"
    assert payments.refund_cancelled(fleet_engine, acquirer, "soon") == []  # not paid again
    later = check_refund(fleet_engine, acquirer, "toko", lost, by=bos, now="2026-11-30T03:12:00Z")
    assert later == "released"
    assert payments.refund_cancelled(fleet_engine, acquirer, "later") == [lost]
    assert acquirer.refunded == {"GOPAY-GF-42": 25000}
    assert [h["outcome"] for h in history(fleet_engine, lost)
            if h["status"] == "refund_check"] == ["too_soon", "released"]  # fmt: skip
