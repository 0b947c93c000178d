"""Test helpers: make a dashboard account and sign a TestClient in through the real
login form (its CSRF cookie, the password check, the session cookie)."""

from __future__ import annotations

import re
from collections.abc import Collection

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.services import users

PASSWORD = "kata-sandi-uji"


def add_account(
    engine: sa.Engine, name: str, *, role: str = "owner", stores: Collection[str] | None = None
) -> None:
    with engine.begin() as conn:
        users.add_user(conn, name, PASSWORD, role=role, stores=stores)


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in; returns the session's CSRF token (for forms and API posts)."""
    answer = client.post(
        "/login",
        data={"name": name, "password": password, "csrf": login_csrf(client), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    token: str = client.get("/api/me").json()["csrf"]
    return token


def signed_in(engine: sa.Engine, client: TestClient, name: str = "owner", **account: object) -> str:
    add_account(engine, name, **account)  # type: ignore[arg-type]
    return sign_in(client, name)
