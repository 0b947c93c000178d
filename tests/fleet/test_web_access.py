"""Logins, grants and per-store access on both engines: a person granted store A sees
and commands store A only, in the pages, the API, the live events and the services; the
login is rate-limited; forms and API posts need their CSRF token; `fleet user add`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.services import commands, kiosks, reports, users
from fleet.services.users import Access, AccessDenied
from fleet.storage import repository, schema
from fleet.storage.engine import open_engine
from fleet.web import create_app
from fleet.web.auth import COOKIE, LoginLimiter
from tests.fleet.accounts import PASSWORD, add_account, login_csrf, sign_in

AT = "2026-11-27T06:00:00.000000Z"


class Published:
    """Records what the app would publish (the broker path is tested in test_web_commands)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def __call__(self, topic: str, payload: bytes) -> None:
        self.sent.append((topic, payload))


@pytest.fixture
def fleet(fleet_engine: sa.Engine) -> Iterator[tuple[sa.Engine, Published]]:
    with fleet_engine.begin() as conn:
        for store, device in (("toko-a", "k1"), ("toko-b", "k2")):
            repository.store_status(conn, {"store_id": store, "device_id": device,
                                           "state": "online", "at": AT}, received_at=AT)  # fmt: skip
    add_account(fleet_engine, "ani", role="manager", stores=["toko-a"])
    add_account(fleet_engine, "owner")
    yield fleet_engine, Published()


def client_for(engine: sa.Engine, published: Published, **options: Any) -> TestClient:
    return TestClient(create_app(engine, event_poll_s=0.05, publish=published, **options))


def test_nothing_is_open_without_signing_in(fleet: tuple[sa.Engine, Published]) -> None:
    client = client_for(*fleet)
    for path in ("/api/kiosks", "/api/stores/toko-a/day/2026-11-27", "/api/me", "/events",
                 "/api/stores/toko-a/analytics?start=2026-11-27&end=2026-11-27",
                 "/api/stores/toko-a/commands", "/events/sales", "/api/sales/latest",
                 "/api/stores/toko-a/analytics/heatmap?start=2026-11-27&end=2026-11-27",
                 "/api/stores/toko-a/report?start=2026-11-27&end=2026-11-28"):  # fmt: skip
        assert client.get(path).status_code == 401, path
    assert client.post("/api/stores/toko-a/commands", json={"name": "lock"}).status_code == 401
    page = client.get("/stores/toko-a/report?date=2026-11-27&lang=en", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == (
        "/login?next=%2Fstores%2Ftoko-a%2Freport%3Fdate%3D2026-11-27%26lang%3Den&lang=en"
    )
    login = client.get(page.headers["location"])
    switch = (
        'href="/login?next=%2Fstores%2Ftoko-a%2Freport%3Fdate%3D2026-11-27%26lang%3Den&amp;lang=id"'
    )
    assert switch in login.text  # the other language keeps where to go after signing in
    assert (
        "Sign in" in login.text
        and 'value="/stores/toko-a/report?date=2026-11-27&amp;lang=en"' in login.text
    )
    assert client.post("/stores/toko-a/commands", data={"name": "lock"},
                       follow_redirects=False).status_code == 303  # fmt: skip
    assert fleet[1].sent == []


def test_a_manager_of_store_a_never_sees_or_commands_store_b(
    fleet: tuple[sa.Engine, Published],
) -> None:
    engine, published = fleet
    client = client_for(engine, published)
    csrf = sign_in(client, "ani")
    assert client.get("/api/me").json() == {"user": "ani", "role": "manager",
                                            "stores": ["toko-a"], "csrf": csrf}  # fmt: skip
    # The kiosk list: page, API, a filter for B, and the live events.
    assert [r["store_id"] for r in client.get("/api/kiosks").json()] == ["toko-a"]
    assert client.get("/api/kiosks?store=toko-b").status_code == 403
    page = client.get("/?lang=en").text
    assert "toko-a" in page and "toko-b" not in page and "ani · Manager" in page
    with client.stream("GET", "/events?limit=1") as response:
        text = "".join(response.iter_text())
    data = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert [[r["store_id"] for r in rows] for rows in data] == [["toko-a"]]
    # Store A's report, analytics and commands: yes; store B's: 403 on API and page.
    for store, code in (("toko-a", 200), ("toko-b", 403)):
        for path in (f"/api/stores/{store}/day/2026-11-27", f"/api/stores/{store}/commands",
                     f"/api/stores/{store}/analytics?start=2026-11-27&end=2026-11-27"):  # fmt: skip
            assert client.get(path).status_code == code, path
        for path in (f"/stores/{store}/report?date=2026-11-27", f"/stores/{store}/commands",
                     f"/stores/{store}/analytics"):  # fmt: skip
            got = client.get(path + ("&" if "?" in path else "?") + "lang=en")
            assert got.status_code == code, path
            assert ("no access" in got.text) == (code == 403)
    denied = client.get("/api/stores/toko-b/day/2026-11-27").json()
    assert denied == {"detail": "ani has no access to store toko-b"}
    assert "Akun Anda tidak punya akses" in client.get("/stores/toko-b/report").text
    # Commands: to A they go out; to B they are refused before anything is recorded.
    lock = {"name": "lock", "device": "k1", "body": {}}
    headers = {"X-CSRF-Token": csrf}
    assert client.post("/api/stores/toko-a/commands", json=lock, headers=headers).status_code == 202
    assert client.post("/api/stores/toko-b/commands", json=lock, headers=headers).status_code == 403
    form = {"name": "lock", "device": "all", "csrf": csrf, "lang": "en"}
    assert client.post("/stores/toko-b/commands", data=form).status_code == 403
    assert client.post("/stores/toko-a/commands", data=form, follow_redirects=False
                       ).status_code == 303  # fmt: skip
    assert [topic for topic, _ in published.sent] == [
        "pos/v1/toko-a/k1/cmd/lock", "pos/v1/toko-a/all/cmd/lock"]  # fmt: skip
    with engine.connect() as conn:
        issued = conn.execute(sa.select(schema.commands.c.store_id, schema.commands.c.issued_by))
        assert sorted(issued) == [("toko-a", "ani"), ("toko-a", "ani")]


def test_the_owner_sees_every_store(fleet: tuple[sa.Engine, Published]) -> None:
    client = client_for(*fleet)
    sign_in(client, "owner")
    assert [r["store_id"] for r in client.get("/api/kiosks").json()] == ["toko-a", "toko-b"]
    assert client.get("/api/stores/toko-b/day/2026-11-27").status_code == 200


def test_a_viewer_looks_but_cannot_command(fleet: tuple[sa.Engine, Published]) -> None:
    engine, published = fleet
    add_account(engine, "budi", role="viewer", stores=["toko-a"])
    client = client_for(engine, published)
    csrf = sign_in(client, "budi")
    assert client.get("/api/stores/toko-a/commands").status_code == 200
    page = client.get("/stores/toko-a/commands?lang=en").text
    assert "can only look" in page and 'name="sku"' not in page
    sent = client.post("/api/stores/toko-a/commands", json={"name": "lock"},
                       headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert sent.status_code == 403 and "may look but not send" in sent.json()["detail"]
    assert published.sent == []


def test_the_services_refuse_what_the_access_does_not_allow(
    fleet: tuple[sa.Engine, Published],
) -> None:
    engine, published = fleet
    ani = Access("ani", "manager", frozenset({"toko-a"}))
    with engine.connect() as conn:
        assert [k["store_id"] for k in kiosks.kiosk_list(conn, access=ani)] == ["toko-a"]
        assert kiosks.stores(conn, access=ani) == ["toko-a"]
        with pytest.raises(AccessDenied):
            kiosks.kiosk_list(conn, "toko-b", access=ani)
        with pytest.raises(AccessDenied):
            reports.day_report(conn, "toko-b", "2026-11-27", access=ani)
        with pytest.raises(AccessDenied):
            commands.recent(conn, "toko-b", access=ani)
    with pytest.raises(AccessDenied):
        commands.send(engine, published, "lock", {}, store_id="toko-b", device_id="all", by=ani)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.commands)).scalar() == 0


def test_csrf_tokens_guard_every_post(fleet: tuple[sa.Engine, Published]) -> None:
    engine, published = fleet
    client = client_for(engine, published)
    csrf = sign_in(client, "ani")
    lock = {"name": "lock", "device": "all", "body": {}}
    assert client.post("/api/stores/toko-a/commands", json=lock).status_code == 403
    wrong = client.post("/api/stores/toko-a/commands", json=lock, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403 and "X-CSRF-Token" in wrong.json()["detail"]
    form = {"name": "lock", "device": "all", "lang": "en"}
    assert client.post("/stores/toko-a/commands", data=form).status_code == 403
    assert client.post("/stores/toko-a/commands", data={**form, "csrf": "x"}).status_code == 403
    assert published.sent == []
    # Logging out needs the token too; after it the cookie opens nothing.
    cookie = client.cookies[COOKIE]
    client.post("/logout", data={"csrf": "wrong"})
    client.cookies.set(COOKIE, cookie)
    assert client.get("/api/me").status_code == 200
    client.post("/logout", data={"csrf": csrf})
    client.cookies.set(COOKIE, cookie)
    assert client.get("/api/me").status_code == 401
    # The login form without its cookie's token is refused (login CSRF).
    fresh = client_for(engine, published)
    forged = fresh.post("/login", data={"name": "ani", "password": PASSWORD, "csrf": "x"})
    assert forged.status_code == 403 and COOKIE not in fresh.cookies


def test_a_wrong_password_then_too_many_attempts(fleet: tuple[sa.Engine, Published]) -> None:
    engine, published = fleet
    now = [0.0]
    client = client_for(engine, published, login_limiter=LoginLimiter(3, 60, lambda: now[0]))

    def attempt(name: str, password: str) -> Any:
        fields = {"name": name, "password": password, "csrf": login_csrf(client), "next": "/"}
        return client.post("/login?lang=en", data=fields, follow_redirects=False)

    wrong = attempt("ani", "salah-sekali")
    assert wrong.status_code == 401 and "Wrong user name or password." in wrong.text
    assert attempt("nobody", "salah-sekali").status_code == 401  # the same answer
    assert attempt("ani", "salah-lagi").status_code == 401
    blocked = attempt("ani", PASSWORD)  # even the right password, while blocked
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    now[0] = 61.0
    assert attempt("ani", PASSWORD).status_code == 303
    assert client.get("/api/me").json()["user"] == "ani"
    # Never back to another site after signing in.
    fields = {"name": "ani", "password": PASSWORD, "csrf": login_csrf(client),
              "next": "//evil.example/"}  # fmt: skip
    assert client.post("/login", data=fields, follow_redirects=False).headers["location"] == "/"


def test_the_session_cookie_is_httponly_and_secure_when_asked(
    fleet: tuple[sa.Engine, Published],
) -> None:
    engine, published = fleet
    client = TestClient(create_app(engine, publish=published, secure_cookies=True),
                        base_url="https://testserver")  # fmt: skip
    fields = {"name": "ani", "password": PASSWORD, "csrf": login_csrf(client), "next": "/"}
    answer = client.post("/login", data=fields, follow_redirects=False)
    cookie = next(v for k, v in answer.headers.multi_items()
                  if k == "set-cookie" and v.startswith(COOKIE))  # fmt: skip
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    with engine.connect() as conn:  # only a hash of the token is kept
        kept = conn.execute(sa.select(schema.sessions.c.token_hash)).scalars().all()
    assert len(kept) == 1 and client.cookies[COOKIE] not in kept


def test_passwords_are_hashed_and_accounts_checked(fleet_engine: sa.Engine) -> None:
    stored = users.hash_password("rahasia-toko")
    assert stored.startswith("scrypt$") and "rahasia" not in stored
    assert users.verify_password("rahasia-toko", stored)
    assert not users.verify_password("rahasia-toku", stored)
    assert users.hash_password("rahasia-toko") != stored  # salted
    assert not users.verify_password("x", "not-a-hash")
    with fleet_engine.begin() as conn:
        for name, password, role, stores, why in (
            ("a b", PASSWORD, "manager", ["s"], "without spaces"),
            ("siti", "pendek", "manager", ["s"], "at least 8"),
            ("siti", PASSWORD, "boss", ["s"], "role must be"),
            ("siti", PASSWORD, "owner", ["s"], "owner sees every store"),
            ("siti", PASSWORD, "manager", [], "at least one store"),
        ):
            with pytest.raises(users.AccountError, match=why):
                users.add_user(conn, name, password, role=role, stores=stores)


def test_fleet_user_add_creates_the_first_owner(fleet_url: str) -> None:
    def fleet(*args: str, password: str = "") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "fleet.cli", "user", *args, "--db", fleet_url]
        return subprocess.run(command, input=password + "\n", capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip

    made = fleet("add", "pemilik", "--stores", "all", password="rahasia-toko")
    assert made.returncode == 0, made.stderr
    assert "user pemilik added (owner, stores: all)" in made.stdout
    assert fleet("add", "ani", "--stores", "toko-a,toko-b", password="rahasia-ani").returncode == 0
    again = fleet("add", "pemilik", "--stores", "all", password="rahasia-toko")
    assert again.returncode == 2 and "user pemilik exists already" in again.stderr
    short = fleet("add", "budi", "--stores", "toko-a", password="pendek")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    listed = fleet("list").stdout.splitlines()
    assert listed == ["ani\tmanager\ttoko-a,toko-b", "pemilik\towner\tall"]
    engine = open_engine(fleet_url)
    try:
        with engine.connect() as conn:
            assert users.authenticate(conn, "pemilik", "rahasia-toko") == Access(
                "pemilik", "owner", None)  # fmt: skip
            assert users.authenticate(conn, "pemilik", "rahasia-toku") is None
    finally:
        engine.dispose()


def test_a_session_expires_and_expired_ones_are_cleared(fleet_engine: sa.Engine) -> None:
    add_account(fleet_engine, "ani", role="manager", stores=["toko-a"])
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with fleet_engine.begin() as conn:
        access = users.authenticate(conn, "ani", PASSWORD)
        assert access is not None
        old = users.open_session(conn, access, now=start)
        assert users.find_session(conn, old.token, now=start + timedelta(days=6)) is not None
        assert users.find_session(conn, old.token, now=start + timedelta(days=7)) is None
        users.open_session(conn, access, now=start + timedelta(days=8))  # a later login
        kept = conn.execute(sa.select(sa.func.count()).select_from(schema.sessions)).scalar()
    assert kept == 1  # the expired one is gone


# Open on purpose: signing in and out, the customers' web shop (fleet/shop), the orders
# API, which checks its own per-store API key (fleet/web/orders_api.py), and the digital
# receipt a customer opens from the QR (an unguessable 32-hex token, fleet/web/receipt_routes.py).
OPEN_ROUTES = ("/login", "/logout", "/shop/", "/api/v1/stores/", "/r/")


def test_every_other_route_needs_a_session(fleet_engine: sa.Engine) -> None:
    """A route added later without a guard fails here, not in production."""
    from fastapi.routing import APIRoute

    from fleet.web import auth

    def calls(dependant: Any) -> set[Any]:
        found = set()
        for sub in dependant.dependencies:
            found |= {sub.call} | calls(sub)
        return found

    routes = [r for r in create_app(fleet_engine).routes if isinstance(r, APIRoute)]
    unguarded = [r.path for r in routes if not r.path.startswith(OPEN_ROUTES)
                 and not calls(r.dependant) & {auth.api_access, auth.page_access}]  # fmt: skip
    assert unguarded == []
    assert len(routes) > 12
